package io.sigil.ratelimit;

/**
 * Decides whether one more request fits a caller's budget. The in-process adapter is {@link TokenBucketRateLimiter};
 * a Redis adapter shares buckets between server instances with the same contract.
 */
public interface RateLimiter {

    /**
     * Takes one request from the bucket named {@code key}, which holds {@code limitPerMinute} requests and refills
     * continuously at that rate.
     */
    Decision acquire(String key, int limitPerMinute);

    /**
     * @param remaining         whole requests left after this one
     * @param resetSeconds      seconds until the bucket is full again
     * @param retryAfterSeconds when refused: seconds until one request fits (at least 1); 0 when allowed
     */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) { }
}
