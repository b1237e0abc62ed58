package io.sigil.postgres;

import io.sigil.evolution.PromptVersionStore;
import io.sigil.evolution.PromptVersionStoreConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The prompt version store conformance suite on PostgreSQL (a fresh database per test). */
class PostgresPromptVersionStoreIT extends PromptVersionStoreConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() { db = TestDatabase.create("evolve"); }

    @AfterEach
    void dropDatabase() { db.close(); }

    @Override
    protected PromptVersionStore store() { return new PostgresPromptVersionStore(db.database()); }
}
