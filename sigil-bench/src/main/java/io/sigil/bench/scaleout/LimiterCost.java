package io.sigil.bench.scaleout;

import io.sigil.ratelimit.RateLimiter;
import io.sigil.ratelimit.TokenBucketRateLimiter;
import io.sigil.redis.RedisConnections;
import io.sigil.redis.RedisRateLimiter;

import java.time.Duration;
import java.util.Arrays;

/** Microseconds per rate-limit check: the Redis limiter (one EVALSHA round trip) against the in-process one. */
final class LimiterCost {
    private LimiterCost() { }

    static void run(String redisUrl, int rounds, int calls) {
        try (RedisConnections c = RedisConnections.open(redisUrl, "bench:", Duration.ofSeconds(2))) {
            RateLimiter shared = new RedisRateLimiter(c);
            RateLimiter local = new TokenBucketRateLimiter();
            perCall(shared, calls / 10, -1); // warm-up: script load, connection, JIT
            double[] r = new double[rounds];
            double[] l = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                r[round] = perCall(shared, calls, round);
                l[round] = perCall(local, calls, round);
            }
            double mr = ClosedLoop.median(r);
            double ml = ClosedLoop.median(l);
            System.out.printf("SCALE-OUT limiter_us_per_check redis=%.1f in_process=%.3f ratio=%.0f (rounds redis %s, local %s)%n",
                    mr, ml, mr / ml, Arrays.toString(r), Arrays.toString(l));
        }
    }

    private static double perCall(RateLimiter limiter, int calls, int round) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) limiter.acquire("key:" + round + ":" + (i % 100), 1_000_000);
        return (System.nanoTime() - t0) / 1e3 / calls;
    }
}
