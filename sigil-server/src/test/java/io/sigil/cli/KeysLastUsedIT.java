package io.sigil.cli;

import io.sigil.auth.ApiKeyStore;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.auth.Scope;
import io.sigil.postgres.PostgresApiKeyStore;
import io.sigil.postgres.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sigil keys list} shows when each key last authenticated a request ({@code last_used_at}, kept by the
 * server about once a minute), on the file store and on PostgreSQL alike. There is no HTTP keys API: the guide
 * names none, keys are managed with the CLI.
 */
class KeysLastUsedIT {
    private static final String SERVER = System.getProperty("sigil.test.postgres", "jdbc:postgresql://localhost:5432/");
    private static final Instant USED = Instant.parse("2026-12-01T10:00:00.123456Z");

    @TempDir
    Path dir;

    @Test
    void theFileStoreListsLastUse() {
        Installation at = Installation.at(dir);
        record(new FileApiKeyStore(at.settings().state().dataDir()));
        assertListed(at);
    }

    @Test
    void postgresListsLastUse() throws Exception {
        String name = "sigil_test_keys_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        try {
            Installation at = Installation.at(dir).with("SIGIL_STATE_BACKEND", "postgres")
                    .with("DATABASE_URL", "postgresql://postgres@localhost:5432/" + name + "?sslmode=disable");
            try (var db = PostgresDatabase.fromSettings(at.settings())) {
                db.migrate();
                record(new PostgresApiKeyStore(db));
            }
            assertListed(at);
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** Two keys; the server noted a use of 'ci-bot' (as its KeyUsage flush does), 'idle' was never used. */
    private static void record(ApiKeyStore store) {
        var keys = new ApiKeys(store, Clock.systemUTC());
        var used = keys.create("ci-bot", Set.of(Scope.RUNS_EXECUTE), 120, null);
        keys.create("idle", Set.of(Scope.AGENTS_READ), 60, null);
        store.recordUse(Map.of(used.key().id(), USED));
    }

    private static void assertListed(Installation at) {
        CliHarness.Run list = new CliHarness(at.env(), at.root()).run("keys", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("LAST USED");
        assertThat(list.out().lines().filter(l -> l.contains("ci-bot")).findFirst().orElseThrow())
                .contains("2026-12-01T10:00:00Z");
        assertThat(list.out().lines().filter(l -> l.contains("idle")).findFirst().orElseThrow())
                .containsPattern("active +60 +never +never");
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
