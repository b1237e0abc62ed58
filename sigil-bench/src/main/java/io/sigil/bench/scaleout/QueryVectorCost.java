package io.sigil.bench.scaleout;

import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.Embedder;
import io.sigil.memory.SharedQueryVectors;
import io.sigil.redis.RedisConnections;
import io.sigil.redis.RedisSharedCache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one recall's query vector costs (issue 19): embedding it with the model, taking it from Redis (another
 * replica embedded it), or from this process's own cache. Each path goes through {@link CachingEmbedder} as recall
 * does: a Redis hit is a replica whose local cache (capacity 1, queries cycled) misses; a local hit repeats one
 * query (embedded once before the timing). Rounds interleave the three; medians of the per-round means, in microseconds.
 */
final class QueryVectorCost {
    private QueryVectorCost() { }

    static void run(Embedder model, String redisUrl, int rounds, int embedsPerRound) {
        try (RedisConnections writer = RedisConnections.open(redisUrl, "bench-qv:", Duration.ofSeconds(2));
             RedisConnections reader = RedisConnections.open(redisUrl, "bench-qv:", Duration.ofSeconds(2))) {
            SharedQueryVectors replicaA = new SharedQueryVectors(new RedisSharedCache(writer), Duration.ofMinutes(10));
            SharedQueryVectors replicaB = new SharedQueryVectors(new RedisSharedCache(reader), Duration.ofMinutes(10));
            CachingEmbedder embedding = new CachingEmbedder(() -> model, 1, replicaA);
            CachingEmbedder fromRedis = new CachingEmbedder(() -> model, 1, replicaB);
            CachingEmbedder local = new CachingEmbedder(() -> model, 256, SharedQueryVectors.NONE);
            embedding.embedQuery("warm-up of the model");
            double[] embed = new double[rounds];
            double[] redis = new double[rounds];
            double[] hit = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                List<String> queries = new ArrayList<>();
                for (int i = 0; i < embedsPerRound; i++) queries.add("round " + round + " question " + i + ": who owns the Acme renewal?");
                embed[round] = microsEach(queries, embedding::embedQuery); // misses everywhere: the model runs, then SET
                awaitWritten(replicaB, model, queries.getLast());
                redis[round] = microsEach(cycled(queries, 5), fromRedis::embedQuery);
                local.embedQuery(queries.getFirst()); // its one miss, outside the timing
                hit[round] = microsEach(java.util.Collections.nCopies(embedsPerRound * 20, queries.getFirst()), local::embedQuery);
            }
            double e = ClosedLoop.median(embed);
            double r = ClosedLoop.median(redis);
            double l = ClosedLoop.median(hit);
            int bytes = SharedQueryVectors.encodedLength(model.dimension());
            System.out.printf("QUERY-VECTOR model=%s dim=%d value_bytes=%d us_per_recall embed=%.0f redis_hit=%.0f local_hit=%.2f"
                            + " embed/redis=%.1f redis/local=%.0f (rounds embed %s, redis %s, local %s)%n",
                    model.model(), model.dimension(), bytes, e, r, l, e / r, r / l,
                    Arrays.toString(embed), Arrays.toString(redis), Arrays.toString(hit));
        }
    }

    /** The list {@code times} over, so a capacity-1 local cache misses on every lookup. */
    private static List<String> cycled(List<String> queries, int times) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < times; t++) out.addAll(queries);
        return out;
    }

    private static double microsEach(List<String> queries, java.util.function.Function<String, float[]> lookup) {
        long t0 = System.nanoTime();
        float sink = 0;
        for (String q : queries) sink += lookup.apply(q)[0];
        if (Float.isNaN(sink)) System.out.print(""); // keeps the vectors used
        return (System.nanoTime() - t0) / 1e3 / queries.size();
    }

    /** The writes are pipelined (async SET): wait until the last one has landed before reading them back. */
    private static void awaitWritten(SharedQueryVectors replica, Embedder model, String query) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (replica.get(model.model(), model.asymmetric() ? SharedQueryVectors.Kind.QUERY : SharedQueryVectors.Kind.TEXT, query).isEmpty()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the query vectors never reached Redis");
            Thread.onSpinWait();
        }
    }
}
