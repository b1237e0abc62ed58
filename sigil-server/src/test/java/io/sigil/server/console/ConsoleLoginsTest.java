package io.sigil.server.console;

import io.sigil.server.console.ConsoleLogins.Login;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Console logins: random ids, idle and absolute expiry, the size cap, CSRF comparison, no secret in toString. */
class ConsoleLoginsTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T01:00:00Z"));
    final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };

    void advance(Duration d) { now.set(now.get().plus(d)); }

    @Test
    void aLoginIsFoundByItsIdUntilItIsIdleTooLong() {
        ConsoleLogins logins = new ConsoleLogins(clock, Duration.ofMinutes(30), Duration.ofHours(8), 100);
        Login l = logins.start(Login.Kind.API_KEY, "sgk_secret");
        assertThat(l.id()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(l.csrf());
        assertThat(logins.start(Login.Kind.API_KEY, "sgk_secret").id()).isNotEqualTo(l.id());
        assertThat(logins.find(l.id())).map(Login::apiKey).hasValue("sgk_secret");
        advance(Duration.ofMinutes(29));
        assertThat(logins.find(l.id())).isPresent(); // use refreshes the idle clock
        advance(Duration.ofMinutes(29));
        assertThat(logins.find(l.id())).isPresent();
        advance(Duration.ofMinutes(31));
        assertThat(logins.find(l.id())).isEmpty();
        assertThat(logins.find(null)).isEmpty();
        assertThat(logins.find("x".repeat(500))).isEmpty();
    }

    @Test
    void aLoginEndsAfterItsAbsoluteLifetimeEvenWhenUsed() {
        ConsoleLogins logins = new ConsoleLogins(clock, Duration.ofHours(1), Duration.ofHours(2), 100);
        Login l = logins.start(Login.Kind.BEARER, "a.b.c");
        assertThat(l.authorization()).isEqualTo("Bearer a.b.c");
        assertThat(l.apiKey()).isNull();
        for (int i = 0; i < 4; i++) {
            advance(Duration.ofMinutes(29));
            assertThat(logins.find(l.id())).isPresent();
        }
        advance(Duration.ofMinutes(10));
        assertThat(logins.find(l.id())).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedLoginGoesWhenFullAndLogoutEndsOne() {
        ConsoleLogins logins = new ConsoleLogins(clock, Duration.ofHours(1), Duration.ofHours(2), 2);
        Login a = logins.start(Login.Kind.API_KEY, "a");
        advance(Duration.ofSeconds(1));
        Login b = logins.start(Login.Kind.API_KEY, "b");
        advance(Duration.ofSeconds(1));
        logins.find(a.id());
        advance(Duration.ofSeconds(1));
        Login c = logins.start(Login.Kind.API_KEY, "c");
        assertThat(logins.size()).isEqualTo(2);
        assertThat(logins.find(b.id())).isEmpty();
        assertThat(logins.find(a.id())).isPresent();
        logins.end(c.id());
        assertThat(logins.find(c.id())).isEmpty();
    }

    @Test
    void csrfTokensCompareExactlyAndTheSecretNeverPrints() {
        ConsoleLogins logins = ConsoleLogins.defaults(clock);
        Login l = logins.start(Login.Kind.API_KEY, "sgk_topsecret");
        assertThat(ConsoleLogins.csrfMatches(l, l.csrf())).isTrue();
        assertThat(ConsoleLogins.csrfMatches(l, l.csrf() + "x")).isFalse();
        assertThat(ConsoleLogins.csrfMatches(l, null)).isFalse();
        assertThat(ConsoleLogins.csrfMatches(l, "")).isFalse();
        assertThat(l.toString()).doesNotContain("sgk_topsecret").doesNotContain(l.id());
    }

    @Test
    void safeNextOnlyAllowsConsolePaths() {
        assertThat(LoginEndpoints.safeNext("/console/sessions/a?type=x")).isEqualTo("/console/sessions/a?type=x");
        assertThat(LoginEndpoints.safeNext("https://evil.example")).isEqualTo("/console");
        assertThat(LoginEndpoints.safeNext("//evil.example")).isEqualTo("/console");
        assertThat(LoginEndpoints.safeNext("/console\\@evil")).isEqualTo("/console");
        assertThat(LoginEndpoints.safeNext("/console\r\nSet-Cookie: x")).isEqualTo("/console");
        assertThat(LoginEndpoints.safeNext("/console/login")).isEqualTo("/console");
        assertThat(LoginEndpoints.safeNext(null)).isEqualTo("/console");
    }

    /** The replicas' shared cache (Redis in production): one map, with the TTLs it was given. */
    static final class MapCache implements io.sigil.cluster.SharedCache {
        final java.util.Map<String, String> entries = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<String, Duration> ttls = new java.util.concurrent.ConcurrentHashMap<>();

        @Override public java.util.Optional<String> get(String key) { return java.util.Optional.ofNullable(entries.get(key)); }

        @Override
        public void put(String key, String value, Duration ttl) {
            entries.put(key, value);
            ttls.put(key, ttl);
        }

        @Override public void remove(String key) { entries.remove(key); }
    }

    @Test
    void sharedLoginsServeEveryReplicaEndEverywhereAndKeepNoUsableSecretInTheCache() {
        MapCache redis = new MapCache();
        ConsoleLogins a = new ConsoleLogins(clock, Duration.ofMinutes(30), Duration.ofHours(8), 100, redis);
        ConsoleLogins b = new ConsoleLogins(clock, Duration.ofMinutes(30), Duration.ofHours(8), 100, redis);
        Login l = a.start(Login.Kind.API_KEY, "sgk_shared_secret");
        assertThat(b.find(l.id())).as("a login made through A is valid on B")
                .hasValueSatisfying(found -> {
                    assertThat(found.apiKey()).isEqualTo("sgk_shared_secret");
                    assertThat(found.csrf()).isEqualTo(l.csrf());
                    assertThat(ConsoleLogins.csrfMatches(found, l.csrf())).isTrue();
                });
        assertThat(a.size()).as("nothing kept in the process").isZero();
        String key = redis.entries.keySet().iterator().next();
        assertThat(key).doesNotContain(l.id());
        assertThat(redis.entries.get(key)).doesNotContain("sgk_shared_secret").doesNotContain(l.csrf());
        assertThat(redis.ttls.get(key)).isEqualTo(Duration.ofMinutes(30));

        advance(Duration.ofMinutes(20));
        assertThat(a.find(l.id())).isPresent(); // use on A renews the idle time for B as well
        advance(Duration.ofMinutes(20));
        assertThat(b.find(l.id())).isPresent();
        b.end(l.id());
        assertThat(a.find(l.id())).as("a logout on B ends the login on A").isEmpty();

        Login other = a.start(Login.Kind.BEARER, "a.b.c");
        String sealed = redis.entries.values().iterator().next();
        redis.entries.replaceAll((k, v) -> v.substring(0, v.length() - 4) + (v.endsWith("AAAA") ? "BBBB" : "AAAA"));
        assertThat(b.find(other.id())).as("a tampered entry opens to nothing").isEmpty();
        redis.entries.replaceAll((k, v) -> sealed);
        assertThat(b.find("another-cookie-value")).isEmpty();
    }

    @Test
    void aSharedLoginStillEndsAtItsAbsoluteLifetime() {
        MapCache redis = new MapCache();
        ConsoleLogins a = new ConsoleLogins(clock, Duration.ofHours(1), Duration.ofHours(2), 100, redis);
        Login l = a.start(Login.Kind.BEARER, "x.y.z");
        advance(Duration.ofMinutes(50));
        assertThat(a.find(l.id())).isPresent();
        advance(Duration.ofMinutes(40));
        assertThat(a.find(l.id())).isPresent();
        assertThat(redis.ttls.values()).as("TTL capped by the absolute end").containsExactly(Duration.ofMinutes(30));
        advance(Duration.ofMinutes(31));
        assertThat(a.find(l.id())).isEmpty();
        assertThat(redis.entries).as("an expired login is dropped").isEmpty();
    }
}
