package io.sigil.postgres;

import io.sigil.approval.ApprovalConformance;
import io.sigil.events.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The approval scenario on PostgreSQL (a fresh database per test): "another process" is a second store over the same
 * database, as another replica would be; the first stays open, so decisions race for real.
 */
class PostgresApprovalIT extends ApprovalConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("approvals");
    }

    @AfterEach
    void dropDatabase() {
        closeStores();
        db.close();
    }

    @Override
    protected EventStore openStore() { return PostgresEventStore.open(db.database(), 10_000); }

    @Override
    protected EventStore reopen(EventStore old) { return PostgresEventStore.open(db.database(), 10_000); }
}
