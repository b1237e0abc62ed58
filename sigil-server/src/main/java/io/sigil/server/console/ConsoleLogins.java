package io.sigil.server.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's logins: a random id (the cookie's value) mapped to the credential typed at the login form and a
 * CSRF token. The credential stays on the server; the browser only holds the id in an HttpOnly, SameSite=Strict
 * cookie. Each request re-authenticates the stored credential, so a revoked key or an expired token logs the user
 * out at once. With a shared cache (Redis, several replicas) logins live there ({@link SharedLogins}), so any
 * replica serves them and a logout ends them everywhere; without one they live in this process.
 */
public final class ConsoleLogins {
    /** What a login holds: how the credential is sent ({@code api_key} or {@code bearer}) and the CSRF token. */
    public record Login(String id, Kind kind, String credential, String csrf, Instant created, Instant lastUsed) {
        public enum Kind { API_KEY, BEARER }

        /** The two credential headers as the authenticator takes them. */
        public String authorization() { return kind == Kind.BEARER ? "Bearer " + credential : null; }

        public String apiKey() { return kind == Kind.API_KEY ? credential : null; }

        @Override
        public String toString() { return "Login[" + kind + ", created " + created + "]"; } // never the secret
    }

    private final Map<String, Login> logins = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final int max;
    /** Where logins live when replicas share them; null: in {@link #logins}, this process only. */
    private final SharedLogins shared;

    /**
     * @param idle     a login unused this long ends
     * @param absolute a login ends this long after it began, used or not
     * @param max      logins kept at once; the least recently used goes first beyond it
     */
    public ConsoleLogins(Clock clock, Duration idle, Duration absolute, int max) {
        this(clock, idle, absolute, max, io.sigil.cluster.SharedCache.NONE);
    }

    /** @param shared the replicas' shared cache; {@link io.sigil.cluster.SharedCache#NONE}: logins stay in this process */
    public ConsoleLogins(Clock clock, Duration idle, Duration absolute, int max, io.sigil.cluster.SharedCache shared) {
        this.shared = shared == io.sigil.cluster.SharedCache.NONE ? null : new SharedLogins(shared);
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
        this.max = max;
    }

    public static ConsoleLogins defaults(Clock clock) {
        return defaults(clock, io.sigil.cluster.SharedCache.NONE);
    }

    public static ConsoleLogins defaults(Clock clock, io.sigil.cluster.SharedCache shared) {
        return new ConsoleLogins(clock, Duration.ofHours(2), Duration.ofHours(12), 10_000, shared);
    }

    /** Starts a login for an already verified credential. */
    public Login start(Login.Kind kind, String credential) {
        if (shared != null) {
            Instant now = clock.instant();
            Login login = new Login(token(), kind, credential, token(), now, now);
            shared.put(login, ttl(login));
            return login;
        }
        sweep();
        if (logins.size() >= max) {
            logins.values().stream().min(java.util.Comparator.comparing(Login::lastUsed))
                    .ifPresent(oldest -> logins.remove(oldest.id()));
        }
        Instant now = clock.instant();
        Login login = new Login(token(), kind, credential, token(), now, now);
        logins.put(login.id(), login);
        return login;
    }

    /** The live login of a cookie value, its last use refreshed; empty when unknown or expired. */
    public Optional<Login> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) return Optional.empty();
        if (shared != null) return findShared(id);
        Login l = logins.get(id);
        if (l == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(l, now)) {
            logins.remove(id);
            return Optional.empty();
        }
        Login used = new Login(l.id(), l.kind(), l.credential(), l.csrf(), l.created(), now);
        logins.replace(id, l, used);
        return Optional.of(used);
    }

    private Optional<Login> findShared(String id) {
        Optional<Login> l = shared.get(id);
        if (l.isEmpty()) return l;
        Instant now = clock.instant();
        if (expired(l.get(), now)) {
            shared.remove(id);
            return Optional.empty();
        }
        Login used = new Login(l.get().id(), l.get().kind(), l.get().credential(), l.get().csrf(), l.get().created(), now);
        shared.put(used, ttl(used));
        return Optional.of(used);
    }

    /** A shared entry lives until the login would end unused: idle from now, never past its absolute end. */
    private Duration ttl(Login l) {
        Duration left = Duration.between(clock.instant(), l.created().plus(absolute));
        return left.compareTo(idle) < 0 ? left : idle;
    }

    public void end(String id) {
        if (id == null) return;
        if (shared != null) shared.remove(id);
        logins.remove(id);
    }

    /** Logins held in this process (none when they are shared). */
    public int size() { return logins.size(); }

    /** Constant-time comparison of a submitted CSRF token with the login's. */
    public static boolean csrfMatches(Login login, String submitted) {
        if (submitted == null) return false;
        return MessageDigest.isEqual(login.csrf().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                submitted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private boolean expired(Login l, Instant now) {
        return now.isAfter(l.lastUsed().plus(idle)) || now.isAfter(l.created().plus(absolute));
    }

    private void sweep() {
        Instant now = clock.instant();
        logins.values().removeIf(l -> expired(l, now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
