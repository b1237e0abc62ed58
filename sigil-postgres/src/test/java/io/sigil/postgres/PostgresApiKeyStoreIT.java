package io.sigil.postgres;

import io.sigil.auth.ApiKeyStore;
import io.sigil.auth.ApiKeyStoreConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The API key store conformance suite on PostgreSQL (a fresh database per test). */
class PostgresApiKeyStoreIT extends ApiKeyStoreConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("keys");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Override
    protected ApiKeyStore store() { return new PostgresApiKeyStore(db.database()); }
}
