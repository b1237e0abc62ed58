package io.sigil.postgres;

import io.sigil.contracts.ContractStore;
import io.sigil.contracts.ContractStoreConformance;
import io.sigil.contracts.ContractTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract store conformance suite on PostgreSQL (a fresh database per test). */
class PostgresContractStoreIT extends ContractStoreConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("contracts");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Override
    protected ContractStore store() { return new PostgresContractStore(db.database(), loader, new ContractTemplates(loader)); }
}
