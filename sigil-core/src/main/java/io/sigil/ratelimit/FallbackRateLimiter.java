package io.sigil.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A shared limiter (Redis) with this process's own as the fallback (deployment guide 8.1: "Redis optional, fallback
 * in-memory"). When the shared one fails, requests are limited per replica and the shared one is tried again once
 * per {@code retryInterval}; its first success switches back, without a restart. While degraded,
 * {@link #degraded()} says why (for {@code /health}).
 */
public final class FallbackRateLimiter implements RateLimiter {
    private static final Logger log = LoggerFactory.getLogger(FallbackRateLimiter.class);

    private final RateLimiter shared;
    private final RateLimiter local;
    private final long retryNanos;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    private volatile String problem;
    private volatile long retryAt;

    public FallbackRateLimiter(RateLimiter shared, RateLimiter local, Duration retryInterval) {
        this(shared, local, retryInterval, System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds (tests pass a fake) */
    public FallbackRateLimiter(RateLimiter shared, RateLimiter local, Duration retryInterval, LongSupplier nanoClock) {
        this.shared = shared;
        this.local = local;
        this.retryNanos = retryInterval.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public Decision acquire(String key, int limitPerMinute) {
        if (problem != null && !retryDue()) return local.acquire(key, limitPerMinute);
        try {
            Decision d = shared.acquire(key, limitPerMinute);
            if (problem != null) {
                synchronized (lock) {
                    if (problem != null) log.info("Shared rate limiter is back; limits are global again");
                    problem = null;
                }
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw e; // the caller's mistake, not the shared limiter's
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (problem == null) {
                    log.warn("Shared rate limiter failed ({}); limiting per replica until it answers again", e.toString());
                }
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                retryAt = nanoClock.getAsLong() + retryNanos;
            }
            return local.acquire(key, limitPerMinute);
        }
    }

    /** One caller per interval tries the shared limiter again; the others stay on the local one meanwhile. */
    private boolean retryDue() {
        long now = nanoClock.getAsLong();
        synchronized (lock) {
            if (now - retryAt < 0) return false;
            retryAt = now + retryNanos;
            return true;
        }
    }

    /** Why limits are per replica now; empty while the shared limiter answers. */
    public Optional<String> degraded() { return Optional.ofNullable(problem); }
}
