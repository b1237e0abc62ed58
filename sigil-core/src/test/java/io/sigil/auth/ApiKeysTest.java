package io.sigil.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    @TempDir
    Path dir;

    @Test
    void createdKeyAuthenticatesAndOnlyItsHashIsStored() throws Exception {
        ApiKeys keys = new ApiKeys(new FileApiKeyStore(dir), Clock.systemUTC());
        ApiKeys.Created created = keys.create("ci", Set.of(Scope.RUNS_EXECUTE), 120, null);
        assertThat(created.plaintext()).startsWith("sgk_").hasSize(4 + 43);
        assertThat(created.toString()).doesNotContain(created.plaintext());
        Principal p = keys.authenticate(created.plaintext());
        assertThat(p.subject()).isEqualTo("ci");
        assertThat(p.keyId()).isEqualTo(created.key().id());
        assertThat(p.rateLimitPerMinute()).hasValue(120);
        Path file = dir.resolve(FileApiKeyStore.FILE_NAME);
        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(created.plaintext()).contains(ApiKeys.hash(created.plaintext())).contains("runs:execute");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void expiryRevocationAndUnknownKeys() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        ApiKeys keys = new ApiKeys(new FileApiKeyStore(dir), clock);
        ApiKeys.Created k = keys.create("temp", Set.of(Scope.AGENTS_READ), 60, now[0].plusSeconds(60));
        now[0] = now[0].plusSeconds(60);
        assertThatThrownBy(() -> keys.authenticate(k.plaintext())).extracting("reason").isEqualTo(AuthenticationFailed.Reason.KEY_EXPIRED);
        ApiKeys.Created r = keys.create("rev", Set.of(Scope.AGENTS_READ), 60, null);
        assertThat(keys.store().revoke(r.key().id(), now[0])).isTrue();
        assertThatThrownBy(() -> keys.authenticate(r.plaintext())).extracting("reason").isEqualTo(AuthenticationFailed.Reason.KEY_REVOKED);
        assertThat(keys.store().revoke("no-such-id", now[0])).isFalse();
        assertThatThrownBy(() -> keys.authenticate("sgk_nope")).extracting("reason").isEqualTo(AuthenticationFailed.Reason.UNKNOWN_KEY);
        assertThatThrownBy(() -> keys.create("late", Set.of(), 60, now[0].minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersFromSeparateStoresLoseNothing() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                // A store per writer, as separate 'sigil keys create' processes would have.
                futures.add(pool.submit(() -> new ApiKeys(new FileApiKeyStore(dir), Clock.systemUTC())
                        .create("k" + n, Set.of(Scope.AGENTS_READ), 60, null)));
            }
            for (Future<?> f : futures) f.get();
        }
        assertThat(new FileApiKeyStore(dir).list()).hasSize(40);
    }

    @Test
    void scopeListsAreParsedStrictly() {
        assertThat(Scope.parseList("agents:read, runs:execute admin")).containsExactlyInAnyOrder(Scope.AGENTS_READ,
                Scope.RUNS_EXECUTE, Scope.ADMIN);
        assertThatThrownBy(() -> Scope.parseList("agents:read,agents:delete")).hasMessageContaining("agents:delete");
    }
}
