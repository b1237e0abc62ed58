package io.sigil.redis;

import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.Embedder;
import io.sigil.memory.SharedQueryVectors;
import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query vectors through a private redis-server: two connections under one prefix stand for two replicas; one
 * embeds, the other hits. With Redis stopped, recall still gets its vectors (embedded in-process), and once Redis
 * is back the vectors are shared again.
 */
class RedisQueryVectorsTest {
    @TempDir
    Path dir;

    private static final class Counting implements Embedder {
        final AtomicInteger queries = new AtomicInteger();

        @Override public String model() { return "counting"; }
        @Override public int dimension() { return 4; }
        @Override public boolean asymmetric() { return true; }
        @Override public List<float[]> embed(List<String> texts) { throw new AssertionError("only queries here"); }

        @Override
        public float[] embedQuery(String query) {
            queries.incrementAndGet();
            return new float[] {query.length(), 1, 2, 3};
        }
    }

    private static CachingEmbedder replica(Counting model, RedisConnections redis) {
        return new CachingEmbedder(() -> model, 16, new SharedQueryVectors(
                new RedisSharedCache(redis, Duration.ofMillis(100)), Duration.ofMinutes(1)));
    }

    @Test
    void twoReplicasShareAHitAndRecallWorksWhileRedisIsDown() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("redis"));
             RedisConnections a = RedisConnections.open(redis.url(), "t:", Duration.ofMillis(300));
             RedisConnections b = RedisConnections.open(redis.url(), "t:", Duration.ofMillis(300))) {
            Counting modelA = new Counting();
            Counting modelB = new Counting();
            CachingEmbedder onA = replica(modelA, a);
            CachingEmbedder onB = replica(modelB, b);

            float[] first = onA.embedQuery("who owns the Acme account?");
            awaitShared(b, "who owns the Acme account?");
            assertThat(onB.embedQuery("who owns the Acme account?")).containsExactly(first);
            assertThat(modelB.queries).as("B used A's vector").hasValue(0);

            redis.stop();
            assertThat(onB.embedQuery("while redis is down")).containsExactly(19, 1, 2, 3);
            assertThat(onB.embedQuery("while redis is down")).as("in-process cache meanwhile").containsExactly(19, 1, 2, 3);
            assertThat(modelB.queries).hasValue(1);

            redis.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String q = "after the restart";
            int n = 0;
            // Lettuce reconnects by itself; until it has, the shared cache is skipped and A embeds alone.
            while (System.nanoTime() < deadline && !(a.connected() && b.connected())) Thread.sleep(100);
            Thread.sleep(150); // past B's retry-after (100 ms) from its failed read during the outage
            while (System.nanoTime() < deadline) {
                onA.embedQuery(q + n);
                if (new RedisSharedCache(b).get(SharedQueryVectors.key("counting", SharedQueryVectors.Kind.QUERY, q + n)).isPresent()) break;
                n++;
                Thread.sleep(150);
            }
            int before = modelB.queries.get();
            assertThat(onB.embedQuery(q + n)).containsExactly((q + n).length(), 1, 2, 3);
            assertThat(modelB.queries).as("shared again after Redis came back").hasValue(before);
        }
    }

    private static void awaitShared(RedisConnections redis, String query) throws InterruptedException {
        var cache = new RedisSharedCache(redis);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        // the write is pipelined (async SET): wait until it has landed
        while (cache.get(SharedQueryVectors.key("counting", SharedQueryVectors.Kind.QUERY, query)).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    }
}
