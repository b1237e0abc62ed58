package io.sigil.postgres;

import io.sigil.evolution.OptimizationJobStore;
import io.sigil.evolution.OptimizationJobStoreConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The optimisation job store conformance suite on PostgreSQL (a fresh database per test, migrated to V8). */
class PostgresOptimizationJobStoreIT extends OptimizationJobStoreConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() { db = TestDatabase.create("evolve"); }

    @AfterEach
    void dropDatabase() { db.close(); }

    @Override
    protected OptimizationJobStore store() { return new PostgresOptimizationJobStore(db.database()); }
}
