package io.sigil.postgres;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreConformance;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The memory store conformance suite on PostgreSQL: a fresh database per test, each store with its own Lucene
 * projection directory (reopening builds a new projection from the database, as a restarted process does).
 */
class PostgresMemoryStoreIT extends MemoryStoreConformance {
    @TempDir
    Path projections;
    private TestDatabase db;
    private Embedder embedder;

    @Override
    protected MemoryStore openEmptyStore(Embedder embedder) {
        this.embedder = embedder;
        db = TestDatabase.create("memory");
        return open();
    }

    private MemoryStore open() {
        Path dir = projections.resolve(UUID.randomUUID().toString());
        return PostgresMemoryStore.open(db.database(), embedder, LuceneMemoryStore.open(dir, embedder, 0), () -> { });
    }

    @Override
    protected MemoryStore reopen(MemoryStore store) {
        store.close();
        return open();
    }

    @AfterEach
    void dropDatabase() {
        if (store != null) store.close();
        store = null;
        if (db != null) db.close();
    }
}
