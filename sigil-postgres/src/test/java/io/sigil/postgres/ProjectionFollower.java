package io.sigil.postgres;

import io.sigil.config.Settings;
import io.sigil.memory.Embedder;
import io.sigil.memory.lucene.LuceneMemoryStore;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link PostgresMemoryProjectionCrashIT}: a Sigil process whose memory projection follows the
 * database in {@code <dataDir>/projections} (reused from the previous child when it can be) until it is killed.
 * Prints {@code READY reused|rebuilt} once open. Arguments: {@code JDBC_URL DATA_DIR}.
 */
public final class ProjectionFollower {
    private ProjectionFollower() { }

    public static void main(String[] args) throws Exception {
        var settings = new Settings.Database(2, 4, Duration.ofSeconds(10), Duration.ofSeconds(1800), false, "disable", null);
        Embedder embedder = new HashEmbedder();
        try (var db = new PostgresDatabase(DatabaseUrl.parse(args[0]), settings)) {
            var identity = new LocalIndexDirectory.Identity(MemoryChangeLog.read(db).databaseId(), embedder.model(),
                    embedder.dimension());
            var dir = LocalIndexDirectory.acquire(Path.of(args[1]).resolve("projections"), identity);
            try (var store = PostgresMemoryStore.open(db, embedder, dir, p -> LuceneMemoryStore.open(p, embedder, 0), null)) {
                System.out.println("READY " + store.status().get("index_opened"));
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE); // follows until killed
            }
        }
    }
}
