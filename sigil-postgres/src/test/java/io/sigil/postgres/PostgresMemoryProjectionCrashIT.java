package io.sigil.postgres;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a process whose projection follows while another process writes and deletes: each restart
 * reuses the directory the killed one left and, once caught up, holds exactly the items of the database (none
 * missing, none deleted kept, none twice).
 */
class PostgresMemoryProjectionCrashIT {
    private static final Scope SCOPE = Scope.user("crash");
    @TempDir
    Path dataDir;
    private final Embedder embedder = new HashEmbedder();
    private TestDatabase db;

    @AfterEach
    void drop() {
        if (db != null) db.close();
    }

    @Test
    void killNineWhileFollowingLeavesAReusableProjectionThatCatchesUpExactly() throws Exception {
        db = TestDatabase.create("pgproj_crash");
        int cycles = Integer.getInteger("sigil.pg.memory.crash.cycles", 5);
        var random = new Random(Long.getLong("sigil.crash.seed", System.nanoTime()));
        var writing = new AtomicBoolean(true);
        var written = new AtomicInteger();
        try (PostgresMemoryStore writer = PostgresMemoryStore.open(db.database(), embedder,
                LuceneMemoryStore.open(dataDir.resolve("writer"), embedder, 0), () -> { })) {
            var load = CompletableFuture.runAsync(() -> write(writer, writing, written, new Random(random.nextLong())));
            List<String> opened = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                var ready = new CompletableFuture<String>();
                Process child = follower(ready);
                opened.add(ready.get(120, TimeUnit.SECONDS));
                Thread.sleep(random.nextInt(50, 1_000));
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            writing.set(false);
            load.get(60, TimeUnit.SECONDS);
            assertThat(written.get()).as("writes during the cycles").isPositive();
            assertThat(opened.getFirst()).isEqualTo("rebuilt");
            assertThat(opened.subList(1, opened.size())).as("every restart reuses the killed process's directory")
                    .containsOnly("reused");

            var identity = new LocalIndexDirectory.Identity(MemoryChangeLog.read(db.database()).databaseId(),
                    embedder.model(), embedder.dimension());
            var dir = LocalIndexDirectory.acquire(dataDir.resolve("projections"), identity);
            assertThat(dir.recordedPosition()).as("the last child recorded a position").isPositive();
            try (PostgresMemoryStore restarted = PostgresMemoryStore.open(db.database(), embedder, dir,
                    p -> LuceneMemoryStore.open(p, embedder, 0), null)) {
                assertThat(restarted.status()).containsEntry("index_opened", "reused");
                restarted.flush();
                List<String> truth = writer.allItems().stream().map(MemoryItem::id).sorted().toList();
                assertThat(ids(restarted)).isEqualTo(truth);
                assertThat(restarted.countItems(SearchFilter.of(SCOPE), 0)).isEqualTo(truth.size());
            }
        }
    }

    /** Writes batches of items and deletes some of the earlier ones until told to stop. */
    private static void write(PostgresMemoryStore writer, AtomicBoolean writing, AtomicInteger written, Random random) {
        int n = 0;
        while (writing.get()) {
            var batch = new ArrayList<MemoryItem>();
            for (int i = 0; i < 5; i++, n++) {
                batch.add(new MemoryItem("item-" + n, null, "fact number " + n + " about topic " + random.nextInt(50),
                        "facts", 0.9, Map.of(), SCOPE, null));
            }
            writer.putItems(batch);
            if (n > 10 && random.nextInt(3) == 0) writer.deleteItem("item-" + random.nextInt(n - 10));
            written.addAndGet(batch.size());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> ids(MemoryStore store) {
        return store.items(SearchFilter.of(SCOPE), 100_000).stream().map(MemoryItem::id).sorted().toList();
    }

    /** Starts a {@link ProjectionFollower}; {@code ready} completes with how it opened its projection. */
    private Process follower(CompletableFuture<String> ready) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ProjectionFollower.class.getName(), db.url().jdbcUrl() + "?user=postgres&sslmode=disable",
                dataDir.toString());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread.ofPlatform().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("READY ")) ready.complete(line.substring(6));
                }
            } catch (Exception e) {
                // the pipe breaks when the child dies
            }
            ready.completeExceptionally(new IllegalStateException("the follower exited before it was ready"));
        });
        return child;
    }
}
