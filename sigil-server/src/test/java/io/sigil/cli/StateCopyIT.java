package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sigil state copy between a file installation and PostgreSQL (databases of their own on the shared test server):
 * file -> postgres -> file gives stores with equal checksums, a re-run writes nothing, and a backup taken on
 * PostgreSQL is byte-equal to the file installation's and restores into another empty database.
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
