package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory commands and {@code sigil state copy} of memory with {@code state.backend=postgres} (databases of their
 * own on the shared test server): every subcommand reads and writes the database, not a local store; memory moves
 * file -> postgres -> file with equal checksums, and a re-run writes nothing.
 */
class MemoryPostgresCliIT {
    @TempDir
    Path dir;
    private final TestDatabases databases = new TestDatabases("pgproj_memcli_");

    private String database() throws Exception { return databases.create(); }

    private static String url(String name) { return TestDatabases.url(name); }

    private static long count(String database, String sql) throws Exception { return TestDatabases.count(database, sql); }

    @AfterEach
    void drop() throws Exception {
        databases.close();
    }

    private static CliHarness.Run sigil(Installation at, String... args) {
        return new CliHarness(at.env(), at.root()).run(args);
    }

    private static CliHarness.Run ok(Installation at, String... args) {
        CliHarness.Run r = sigil(at, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.out() + r.err()).isZero();
        return r;
    }

    @Test
    void everyMemoryCommandWorksOnTheDatabase() throws Exception {
        String db = database();
        Installation pg = Installation.at(dir.resolve("a")).with("DATABASE_URL", url(db)).with("SIGIL_STATE_BACKEND", "postgres");
        Path calls = Files.createDirectories(dir.resolve("calls"));
        Files.writeString(calls.resolve("acme.txt"), """
                rep: Thanks for joining.
                lead: We prefer email over phone calls.
                lead: Our budget is around $40k for the year.
                """);

        assertThat(ok(pg, "memory", "ingest", calls.toString(), "--scope", "user:dana").out()).contains("2 items");
        assertThat(ok(pg, "memory", "remember", "Dana signs all contracts", "--category", "decision_makers",
                "--scope", "user:dana").out()).contains("Remembered in decision_makers");
        assertThat(count(db, "SELECT COUNT(*) FROM memory_items")).as("the items are in PostgreSQL").isEqualTo(3);
        assertThat(count(db, "SELECT COUNT(*) FROM resources")).isEqualTo(2);
        assertThat(dir.resolve("a/memory/index")).as("no local memory store").doesNotExist();
        assertThat(dir.resolve("a/memory/projections")).as("only this process's index of the database").isDirectory();

        // a second installation on the same database (another machine) sees the same memory
        Installation other = Installation.at(dir.resolve("b")).with("DATABASE_URL", url(db)).with("SIGIL_STATE_BACKEND", "postgres");
        assertThat(ok(other, "memory", "search", "How much money do they have?", "--scope", "user:dana", "--k", "1").out())
                .contains("Our budget is around $40k");
        assertThat(ok(other, "memory", "categories", "--scope", "user:dana").out())
                .contains("budget_information").contains("decision_makers");
        assertThat(ok(pg, "memory", "consolidate", "--scope", "user:dana").exit()).isZero();
        assertThat(ok(other, "memory", "show", "budget_information", "--scope", "user:dana").out())
                .contains("- Our budget is around $40k for the year.");
        assertThat(count(db, "SELECT COUNT(*) FROM categories WHERE content <> ''")).as("summaries stored").isPositive();

        Path export = dir.resolve("export.jsonl");
        assertThat(ok(pg, "memory", "export", export.toString()).out()).contains("Exported");
        String fresh = database();
        Installation empty = Installation.at(dir.resolve("c")).with("DATABASE_URL", url(fresh)).with("SIGIL_STATE_BACKEND", "postgres");
        assertThat(ok(empty, "memory", "import", export.toString()).out()).contains("3 items");
        assertThat(count(fresh, "SELECT COUNT(*) FROM memory_items")).isEqualTo(3);

        assertThat(ok(pg, "memory", "reindex").out()).contains("Re-embedded 3 of 3 memory items in PostgreSQL");
        assertThat(ok(pg, "memory", "search", "budget", "--scope", "user:dana", "--mode", "keyword").out())
                .contains("Our budget is around $40k");
    }

    @Test
    void memoryMovesFromFilesToPostgresAndBackWithEqualChecksums() throws Exception {
        String db = database();
        Installation a = Installation.at(dir.resolve("a")).with("DATABASE_URL", url(db));
        a.populate(true);

        CliHarness.Run copy = ok(a, "state", "copy", "--from", "file", "--to", "postgres");
        // 1 resource, 3 items, 3 categories (2 of them made by their items: "already there" once the items are)
        assertThat(copy.out()).contains("Verified").containsPattern("memory\\s+7\\s+5\\s+2\\s+equal")
                .as("the vectors are copied, not embedded again").containsPattern("memory_vectors\\s+3\\s+3\\s+0\\s+equal")
                .doesNotContain("embedded");
        assertThat(count(db, "SELECT COUNT(*) FROM memory_items")).isEqualTo(3);
        assertThat(count(db, "SELECT COUNT(*) FROM categories WHERE name = 'preferences' AND content = '- green tea'"))
                .isEqualTo(1);

        CliHarness.Run again = ok(a, "state", "copy", "--from", "file", "--to", "postgres");
        assertThat(again.out()).as("a re-run writes nothing").contains("Verified").containsPattern("memory\\s+7\\s+0\\s+7\\s+equal");

        Installation c = Installation.at(dir.resolve("c")).with("DATABASE_URL", url(db));
        CliHarness.Run back = ok(c, "state", "copy", "--from", "postgres", "--to", "file");
        assertThat(back.out()).contains("Verified").containsPattern("memory\\s+7\\s+5\\s+2\\s+equal")
                .containsPattern("memory_vectors\\s+3\\s+3\\s+0\\s+equal");

        Path fromA = dir.resolve("backup-a");
        Path fromC = dir.resolve("backup-c");
        ok(a, "backup", fromA.toString());
        ok(c, "backup", fromC.toString());
        assertThat(checksums(fromC).get("memory")).isNotBlank().isEqualTo(checksums(fromA).get("memory"));
        assertThat(checksums(fromC).get("memory_vectors")).as("the very same vectors").isNotBlank()
                .isEqualTo(checksums(fromA).get("memory_vectors"));
        assertThat(ok(c, "memory", "search", "What does Alice drink?", "--scope", "user:alice", "--k", "1").out())
                .contains("Alice likes green tea");
    }

    private static Map<String, String> checksums(Path backup) throws Exception {
        JsonNode m = new ObjectMapper().readTree(backup.resolve("MANIFEST.json").toFile());
        Map<String, String> out = new HashMap<>();
        m.path("stores").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("sha256").asText()));
        return out;
    }
}
