package io.sigil.auth;

import io.sigil.errors.StateError;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ApiKeyStore} adapter must have; the file store and the PostgreSQL store run it
 * unchanged. {@link #store()} returns a store over this test's state, the same state on every call (a second call
 * is a second process on the same state).
 */
public abstract class ApiKeyStoreConformance {

    protected abstract ApiKeyStore store();

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ApiKey key(String id, String name, Instant created) {
        return new ApiKey(id, ApiKeys.hash("sgk_" + id), name, Set.of(Scope.AGENTS_READ, Scope.RUNS_EXECUTE), 90,
                created, created.plus(30, ChronoUnit.DAYS), null);
    }

    @Test
    void addedKeysAreFoundByHashAndListedOldestFirst() {
        ApiKey a = key("a", "first", T0);
        ApiKey b = key("b", "second", T0.plusSeconds(5));
        store().add(a);
        store().add(b);
        assertThat(store().findByHash(ApiKeys.hash("sgk_a"))).contains(a);
        assertThat(store().findByHash(ApiKeys.hash("sgk_nope"))).isEmpty();
        assertThat(store().list()).containsExactly(a, b);
    }

    @Test
    void aDuplicateIdOrHashIsRefused() {
        store().add(key("a", "first", T0));
        assertThatThrownBy(() -> store().add(key("a", "again", T0))).isInstanceOf(StateError.class)
                .hasMessageContaining("already exists");
        ApiKey sameHash = new ApiKey("other", ApiKeys.hash("sgk_a"), "x", Set.of(), 60, T0, null, null);
        assertThatThrownBy(() -> store().add(sameHash)).isInstanceOf(StateError.class);
        assertThat(store().list()).hasSize(1);
    }

    @Test
    void revokedKeysAreStillFoundAndMarked() {
        store().add(key("a", "first", T0));
        assertThat(store().revoke("a", T0.plusSeconds(60))).isTrue();
        assertThat(store().revoke("missing", T0)).isFalse();
        ApiKey found = store().findByHash(ApiKeys.hash("sgk_a")).orElseThrow();
        assertThat(found.revoked()).isTrue();
        assertThat(found.revokedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void keysAuthenticateThroughTheStoreAndOnlyHashesAreKept() throws Exception {
        ApiKeys keys = new ApiKeys(store(), Clock.systemUTC());
        ApiKeys.Created created = keys.create("ci", Set.of(Scope.RUNS_EXECUTE), 120, null);
        assertThat(new ApiKeys(store(), Clock.systemUTC()).authenticate(created.plaintext()).keyId())
                .isEqualTo(created.key().id());
        assertThat(store().list()).singleElement().satisfies(k -> assertThat(k.keyHash()).isEqualTo(ApiKeys.hash(created.plaintext())));
        assertThat(store().list().toString()).doesNotContain(created.plaintext());
    }

    @Test
    void recordedUseIsKeptNeverMovesBackAndSurvivesRevocation() {
        store().add(key("a", "first", T0));
        store().add(key("b", "second", T0));
        assertThat(store().list()).allSatisfy(k -> assertThat(k.lastUsedAt()).isNull());
        store().recordUse(java.util.Map.of("a", T0.plusSeconds(120), "missing", T0));
        assertThat(store().findByHash(ApiKeys.hash("sgk_a")).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(store().findByHash(ApiKeys.hash("sgk_b")).orElseThrow().lastUsedAt()).isNull();
        store().recordUse(java.util.Map.of("a", T0.plusSeconds(60), "b", T0.plusSeconds(30)));
        assertThat(store().findByHash(ApiKeys.hash("sgk_a")).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(store().findByHash(ApiKeys.hash("sgk_b")).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(30));
        store().revoke("a", T0.plusSeconds(300));
        ApiKey a = store().findByHash(ApiKeys.hash("sgk_a")).orElseThrow();
        assertThat(a.revokedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(a.lastUsedAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void authenticationsAreRecordedAboutOnceAMinuteThroughKeyUsage() throws Exception {
        var clock = new MutableClock(T0);
        ApiKeys plain = new ApiKeys(store(), clock);
        ApiKeys.Created created = plain.create("ci", Set.of(Scope.RUNS_EXECUTE), 120, null);
        try (KeyUsage usage = new KeyUsage(store(), clock, java.time.Duration.ofMinutes(1), false)) {
            ApiKeys keys = new ApiKeys(store(), clock, usage);
            keys.authenticate(created.plaintext());
            clock.now = T0.plusSeconds(5);
            keys.authenticate(created.plaintext());
            assertThat(usage.flush()).isEqualTo(1);
            assertThat(store().list().getFirst().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
            clock.now = T0.plusSeconds(30);
            keys.authenticate(created.plaintext());
            assertThat(usage.flush()).isZero(); // recorded 25 s ago: nothing to write
            clock.now = T0.plusSeconds(70);
            keys.authenticate(created.plaintext());
        } // close flushes
        assertThat(store().list().getFirst().lastUsedAt()).isEqualTo(T0.plusSeconds(70));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) { this.now = now; }

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }

        @Override public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }

    @Test
    void concurrentWritersFromSeparateStoresLoseNothing() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> new ApiKeys(store(), Clock.systemUTC())
                        .create("k" + n, Set.of(Scope.AGENTS_READ), 60, null)));
            }
            for (Future<?> f : futures) f.get();
        }
        assertThat(store().list()).hasSize(40);
    }
}
