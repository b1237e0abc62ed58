package io.sigil.planning;

import io.sigil.cluster.SharedCache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans already made, keyed by goal, available tools and context (sigil-design.md section 7: 24 h). Bounded
 * and least-recently-used, so a busy server cannot grow it without limit. Thread-safe. With a {@link SharedCache}
 * (Redis), plans are also stored there with the same TTL, and a local miss looks there before planning again, so
 * a plan made on one replica serves all of them.
 */
public final class PlanCache {
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private record Cached(Plan plan, Instant expiresAt) { }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> entries;
    private final SharedCache shared;

    public PlanCache(Clock clock, Duration ttl, int maxEntries) {
        this(clock, ttl, maxEntries, SharedCache.NONE);
    }

    public PlanCache(Clock clock, Duration ttl, int maxEntries, SharedCache shared) {
        this.shared = shared;
        this.clock = clock;
        this.ttl = ttl;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) { return size() > maxEntries; }
        };
    }

    public Optional<Plan> get(String key) {
        Optional<Plan> local = getLocal(key);
        if (local.isPresent() || shared == SharedCache.NONE) return local;
        Optional<Plan> found = shared.get(SHARED_PREFIX + key).flatMap(PlanCache::parse);
        // Kept here for the shared entry's remaining life at most as long as a local one would be.
        found.ifPresent(p -> putLocal(key, p));
        return found;
    }

    public void put(String key, Plan plan) {
        putLocal(key, plan);
        if (shared != SharedCache.NONE) shared.put(SHARED_PREFIX + key, PlanJson.toJson(plan).toString(), ttl);
    }

    private static final String SHARED_PREFIX = "plan:";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Optional<Plan> parse(String json) {
        try {
            return Optional.of(PlanJson.fromJson(JSON.readTree(json)));
        } catch (Exception e) {
            return Optional.empty(); // an entry this version cannot read is a miss
        }
    }

    private synchronized Optional<Plan> getLocal(String key) {
        Cached e = entries.get(key);
        if (e == null) return Optional.empty();
        if (!clock.instant().isBefore(e.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.plan());
    }

    private synchronized void putLocal(String key, Plan plan) {
        entries.put(key, new Cached(plan, clock.instant().plus(ttl)));
    }

    public synchronized int size() { return entries.size(); }

    /** The cache key of a goal, the names of the tools it may use (order-insensitive) and its context. */
    public static String key(String goal, List<String> toolNames, String context) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(goal.strip().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            for (String t : toolNames.stream().sorted().toList()) {
                sha.update(t.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 1);
            }
            sha.update((byte) 0);
            sha.update((context == null ? "" : context).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
