package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sigil state copy between a file installation and PostgreSQL (databases of their own on the shared test server):
 * file -> postgres -> file gives stores with equal checksums, a re-run writes nothing, and a backup taken on
 * PostgreSQL is byte-equal to the file installation's and restores into another empty database. Memory copied back
 * from PostgreSQL (or backed up there) is read from the tables: no search index of the source is built or left in
 * the file installation, and the database is not written.
 */
class StateCopyIT {
    @TempDir
    Path dir;
    private final TestDatabases databases = new TestDatabases("sigil_state_copy_");

    private String database() throws Exception { return TestDatabases.url(databases.create()); }

    @AfterEach
    void drop() throws Exception {
        databases.close();
    }

    private CliHarness.Run sigil(Installation at, String... args) {
        return new CliHarness(at.env(), at.root()).run(args);
    }

    private static Map<String, String> checksums(Path backup) throws Exception {
        JsonNode m = new ObjectMapper().readTree(backup.resolve("MANIFEST.json").toFile());
        Map<String, String> out = new HashMap<>();
        m.path("stores").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("sha256").asText()));
        return out;
    }

    @Test
    void aBackupOrACopyFromPostgresValidatesTheSchemaAndNeverMigratesIt() throws Exception {
        String name = databases.create();
        org.flywaydb.core.Flyway.configure().dataSource(TestDatabases.SERVER + name, "postgres", null)
                .locations("classpath:db/migration").table("sigil_schema_history").target("1").load().migrate();
        Installation pg = Installation.at(dir.resolve("a")).with("DATABASE_URL", TestDatabases.url(name))
                .with("SIGIL_STATE_BACKEND", "postgres");

        CliHarness.Run backup = sigil(pg, "backup", "--no-memory", dir.resolve("backup").toString());
        assertThat(backup.exit()).as(backup.out() + backup.err()).isNotZero();
        assertThat(backup.err()).contains("schema").contains("sigil db migrate").doesNotContain("\tat ");
        Installation c = Installation.at(dir.resolve("c")).with("DATABASE_URL", TestDatabases.url(name));
        CliHarness.Run copy = sigil(c, "state", "copy", "--from", "postgres", "--to", "file", "--no-memory");
        assertThat(copy.exit()).as(copy.out() + copy.err()).isNotZero();
        assertThat(copy.err()).contains("sigil db migrate");
        assertThat(TestDatabases.count(name, "SELECT count(*) FROM sigil_schema_history WHERE success"))
                .as("the schema is still at version 1").isEqualTo(1);
        assertThat(Files.exists(dir.resolve("backup").resolve("MANIFEST.json"))).isFalse();
    }

    @Test
    void fileToPostgresToFileKeepsEveryChecksumAndReRunsWriteNothing() throws Exception {
        String url = database();
        Installation a = Installation.at(dir.resolve("a")).with("DATABASE_URL", url);
        a.populate(false);

        CliHarness.Run copy = sigil(a, "state", "copy", "--from", "file", "--to", "postgres", "--no-memory");
        assertThat(copy.exit()).as(copy.out() + copy.err()).isZero();
        assertThat(copy.out()).contains("Verified").containsPattern("events\\s+21\\s+21\\s+0\\s+equal")
                .containsPattern("api_keys\\s+2\\s+2\\s+0\\s+equal").containsPattern("contracts\\s+2\\s+2\\s+0\\s+equal")
                .containsPattern("agents\\s+1\\s+\\d\\s+\\d\\s+equal")
                .containsPattern("prompt_versions\\s+2\\s+2\\s+0\\s+equal");

        CliHarness.Run again = sigil(a, "state", "copy", "--from", "file", "--to", "postgres", "--no-memory");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("Verified").containsPattern("events\\s+21\\s+0\\s+21\\s+equal")
                .containsPattern("api_keys\\s+2\\s+0\\s+2\\s+equal")
                .containsPattern("prompt_versions\\s+2\\s+0\\s+2\\s+equal");

        // Back onto files in an empty installation.
        Installation c = Installation.at(dir.resolve("c")).with("DATABASE_URL", url);
        CliHarness.Run back = sigil(c, "state", "copy", "--from", "postgres", "--to", "file", "--no-memory");
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("Verified");

        Path fromA = dir.resolve("backup-a");
        Path fromC = dir.resolve("backup-c");
        Path fromPg = dir.resolve("backup-pg");
        assertThat(sigil(a, "backup", "--no-memory", fromA.toString()).exit()).isZero();
        assertThat(sigil(c, "backup", "--no-memory", fromC.toString()).exit()).isZero();
        Installation pg = a.with("SIGIL_STATE_BACKEND", "postgres");
        CliHarness.Run pgBackup = sigil(pg, "backup", "--no-memory", fromPg.toString());
        assertThat(pgBackup.exit()).as(pgBackup.err()).isZero();
        assertThat(pgBackup.out()).contains("postgres:jdbc:postgresql://localhost:5432/sigil_state_copy_");
        assertThat(checksums(fromC)).isEqualTo(checksums(fromA));
        assertThat(checksums(fromPg)).isEqualTo(checksums(fromA)); // the same portable format, byte for byte

        // The PostgreSQL backup restores into another empty database.
        Installation other = Installation.at(dir.resolve("d")).with("DATABASE_URL", database()).with("SIGIL_STATE_BACKEND", "postgres");
        CliHarness.Run restore = sigil(other, "restore", "--no-memory", fromPg.toString());
        assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
        Path fromOther = dir.resolve("backup-d");
        assertThat(sigil(other, "backup", "--no-memory", fromOther.toString()).exit()).isZero();
        assertThat(checksums(fromOther)).isEqualTo(checksums(fromA));
    }

    @Test
    void memoryCopiedBackFromPostgresIsReadFromTheTablesAndLeavesNoIndexBehind() throws Exception {
        String db = databases.create();
        String url = TestDatabases.url(db);
        Installation a = Installation.at(dir.resolve("a")).with("DATABASE_URL", url);
        a.populate(true);
        CliHarness.Run copy = sigil(a, "state", "copy", "--from", "file", "--to", "postgres");
        assertThat(copy.exit()).as(copy.out() + copy.err()).isZero();
        assertThat(dir.resolve("a/memory/projections")).as("the target's index, kept for a server on a's memory.data_dir")
                .isDirectory();
        String changes = "SELECT COUNT(*) * 1000000 + COALESCE(MAX(position), 0) FROM memory_changes";
        long changesBefore = TestDatabases.count(db, changes);
        long categoriesBefore = TestDatabases.count(db, "SELECT COUNT(*) FROM categories");

        Installation c = Installation.at(dir.resolve("c")).with("DATABASE_URL", url);
        CliHarness.Run back = sigil(c, "state", "copy", "--from", "postgres", "--to", "file");
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        // 1 resource, 3 items, 3 categories: 2 made by their items in the Lucene store, "already there"
        assertThat(back.out()).contains("Verified").containsPattern("events\\s+21\\s+21\\s+0\\s+equal")
                .containsPattern("memory\\s+7\\s+5\\s+2\\s+equal")
                .containsPattern("memory_vectors\\s+3\\s+3\\s+0\\s+equal");
        assertThat(dir.resolve("c/memory/projections")).as("no index of the source in the file installation").doesNotExist();
        assertThat(entries(dir.resolve("c/memory"))).as("only the file installation's own memory store")
                .containsExactlyInAnyOrderElementsOf(entries(dir.resolve("a/memory")).stream()
                        .filter(e -> !e.equals("projections")).toList());
        assertThat(TestDatabases.count(db, changes)).as("the source database is not written").isEqualTo(changesBefore);
        assertThat(TestDatabases.count(db, "SELECT COUNT(*) FROM categories")).isEqualTo(categoriesBefore);

        CliHarness.Run again = sigil(c, "state", "copy", "--from", "postgres", "--to", "file");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).as("a re-run writes nothing").contains("Verified")
                .containsPattern("memory\\s+7\\s+0\\s+7\\s+equal").containsPattern("events\\s+21\\s+0\\s+21\\s+equal");

        // Equal state: the file installations' backups, and one taken on PostgreSQL, hold the same bytes.
        Path fromA = dir.resolve("backup-a");
        Path fromC = dir.resolve("backup-c");
        Path fromPg = dir.resolve("backup-pg");
        assertThat(sigil(a, "backup", fromA.toString()).exit()).isZero();
        assertThat(sigil(c, "backup", fromC.toString()).exit()).isZero();
        // The embedding model is not opened for the database's memory: an embeddings endpoint that cannot be reached
        // (asking it the dimension would fail the backup) does not matter, the stored vectors give the dimension.
        Installation pg = Installation.at(dir.resolve("e")).with("DATABASE_URL", url).with("SIGIL_STATE_BACKEND", "postgres")
                .with("SIGIL_MEMORY__EMBEDDING_BASE_URL", "http://127.0.0.1:9");
        CliHarness.Run pgBackup = sigil(pg, "backup", fromPg.toString());
        assertThat(pgBackup.exit()).as(pgBackup.out() + pgBackup.err()).isZero();
        assertThat(dir.resolve("e/memory")).as("a backup of PostgreSQL builds no index").doesNotExist();
        assertThat(checksums(fromA)).containsKeys("memory", "memory_vectors");
        assertThat(checksums(fromC)).isEqualTo(checksums(fromA));
        assertThat(checksums(fromPg)).isEqualTo(checksums(fromA));
    }

    private static List<String> entries(Path directory) throws Exception {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void copyingIntoADatabaseThatHoldsOtherStateReportsTheMismatch() throws Exception {
        String url = database();
        Installation a = Installation.at(dir.resolve("a")).with("DATABASE_URL", url);
        a.populate(false);
        Installation b = Installation.at(dir.resolve("b")).with("DATABASE_URL", url);
        b.populate(false); // the same shape, other ids: sessions of the same names with other events
        assertThat(sigil(a, "state", "copy", "--from", "file", "--to", "postgres", "--no-memory").exit()).isZero();
        CliHarness.Run clash = sigil(b, "state", "copy", "--from", "file", "--to", "postgres", "--no-memory");
        assertThat(clash.exit()).isNotZero();
        assertThat(clash.err()).contains("holds another event at version 1").contains("hint:");
    }

    @Test
    void unknownOrEqualBackendsAreRefusedClearly() {
        Installation a = Installation.at(dir.resolve("a"));
        CliHarness.Run same = sigil(a, "state", "copy", "--from", "file", "--to", "file");
        assertThat(same.exit()).isNotZero();
        assertThat(same.err()).contains("--from and --to are both file");
        CliHarness.Run unknown = sigil(a, "state", "copy", "--from", "file", "--to", "mysql");
        assertThat(unknown.err()).contains("unknown backend 'mysql'");
    }
}
