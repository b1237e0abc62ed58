package io.sigil.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link ApiKey#lastUsedAt()} current without a write per request: a use is noted in memory, and only when
 * the key's recorded time is at least {@code resolution} old (a minute by default); the noted uses are written in
 * one {@link ApiKeyStore#recordUse} call every {@code resolution / 6} by a background thread, and once more on
 * {@link #close()}. So a key busy with thousands of requests a second costs one small write a minute, and a
 * crash loses at most the last few seconds of "last used" times (never a key or a revocation).
 */
public final class KeyUsage implements AutoCloseable {
    public static final Duration DEFAULT_RESOLUTION = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

    private final ApiKeyStore store;
    private final Clock clock;
    private final Duration resolution;
    /** Uses noted and not yet written: key id -> latest use. */
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    /** The time last written (or seen stored) per key, so a busy key is noted once per resolution. */
    private final Map<String, Instant> recorded = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    /** @param background whether to flush on a timer (false: only {@link #flush()} and {@link #close()} write) */
    public KeyUsage(ApiKeyStore store, Clock clock, Duration resolution, boolean background) {
        this.store = store;
        this.clock = clock;
        this.resolution = resolution;
        if (background) {
            flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sigil-key-usage").factory());
            long every = Math.max(1, resolution.toMillis() / 6);
            flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** Notes that {@code key} authenticated a request now; costs a map lookup unless the stored time is stale. */
    public void used(ApiKey key) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant last = latest(key.lastUsedAt(), recorded.get(key.id()));
        if (last != null && Duration.between(last, now).compareTo(resolution) < 0) return;
        pending.merge(key.id(), now, KeyUsage::latest);
    }

    /** Writes the noted uses now (one store call); returns how many keys it recorded. */
    public int flush() {
        if (pending.isEmpty()) return 0;
        Map<String, Instant> batch = new HashMap<>();
        for (String id : pending.keySet()) {
            Instant t = pending.remove(id);
            if (t != null) batch.put(id, t);
        }
        try {
            store.recordUse(batch);
        } catch (RuntimeException e) {
            batch.forEach((id, t) -> pending.merge(id, t, KeyUsage::latest)); // retried on the next flush
            throw e;
        }
        batch.forEach((id, t) -> recorded.merge(id, t, KeyUsage::latest));
        return batch.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not record API key use (retried at the next flush): {}", e.getMessage());
        }
    }

    /** Stops the timer and writes what is noted. */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushQuietly();
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
