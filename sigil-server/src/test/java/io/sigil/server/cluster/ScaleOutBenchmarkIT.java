package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.ratelimit.RateLimiter;
import io.sigil.ratelimit.TokenBucketRateLimiter;
import io.sigil.redis.RedisConnections;
import io.sigil.redis.RedisRateLimiter;
import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scale-out figures of issue 19 (docs/benchmarks.md), run on demand only:
 * {@code ./mvnw -B verify -pl sigil-server -am -Dtest=none -Dit.test=ScaleOutBenchmarkIT -Dsigil.bench.scaleout=true}.
 * Runs/s and latency percentiles of JSON runs (offline test model) through nginx with 1, 2 and 3 replicas (rounds
 * interleaved, medians reported), and the cost of one Redis limiter check against the in-process one, measured in
 * the same JVM in interleaved rounds. All processes share this machine's cores.
 */
class ScaleOutBenchmarkIT {
    static final String SECRET = "scale-out-bench-secret-0123456789-abcdefghij";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CLIENTS = Integer.getInteger("sigil.bench.clients", 8);
    static final Duration ROUND = Duration.ofSeconds(Long.getLong("sigil.bench.round_seconds", 15));

    @Test
    void throughputWithOneTwoThreeReplicasAndLimiterCost() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("sigil.bench.scaleout"), "benchmark: run with -Dsigil.bench.scaleout=true");
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed");
        Path dir = Files.createTempDirectory("sigil-scale-bench-");
        String database = "sigil_redis_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String admin = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&sslmode=disable";
        try (var c = DriverManager.getConnection(admin)) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        List<SigilReplica> replicas = new ArrayList<>();
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("redis"))) {
            for (String name : List.of("a", "b", "c")) {
                Map<String, String> env = new HashMap<>();
                env.put("SIGIL_STATE_BACKEND", "postgres");
                env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database + "?sslmode=disable");
                env.put("SIGIL_DATABASE_SSL_MODE", "disable");
                env.put("SIGIL_DATABASE_POOL_SIZE", "8");
                env.put("REDIS_URL", redis.url());
                env.put("SIGIL_JWT_SECRET", SECRET);
                env.put("SIGIL_LLM_MODEL", "test");
                env.put("SIGIL_USE_MEMORY", "false");
                env.put("SIGIL_RATE_LIMIT_PER_MINUTE", "1000000");
                env.put("SIGIL_API_HOST", "127.0.0.1");
                env.put("SIGIL_LOG_LEVEL", "WARN");
                env.put("SIGIL_STATE_DATA_DIR", dir.resolve(name).resolve("state").toString());
                replicas.add(new SigilReplica(name, dir.resolve(name), env).start());
            }
            String token = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC())
                    .mint("bench", Set.of(Scope.ADMIN), Duration.ofHours(1), null, null);
            HttpClient direct = HttpClient.newHttpClient();
            HttpResponse<String> agent = direct.send(HttpRequest.newBuilder(URI.create(replicas.getFirst().url() + "/agents"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"fast_bot\", \"description\": \"Answers at once\","
                            + " \"system_prompt\": \"Be brief.\", \"model\": \"test\", \"tools\": []}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (agent.statusCode() != 201) throw new AssertionError(agent.body());

            Map<Integer, List<double[]>> results = new HashMap<>();
            int[] order = {1, 2, 3, 3, 2, 1};
            for (int round = 0; round < order.length; round++) {
                int n = order[round];
                try (NginxFront nginx = NginxFront.start(dir.resolve("nginx-" + round),
                        replicas.subList(0, n).stream().map(r -> r.port).toList())) {
                    HttpClient http = HttpClient.newBuilder().sslContext(nginx.trust()).build();
                    measure(http, nginx.url(), token, Duration.ofSeconds(3)); // warm-up (connections, JIT)
                    results.computeIfAbsent(n, k -> new ArrayList<>()).add(measure(http, nginx.url(), token, ROUND));
                }
            }
            System.out.println("SCALE-OUT clients=" + CLIENTS + " round=" + ROUND.toSeconds() + "s");
            for (int n = 1; n <= 3; n++) {
                List<double[]> rs = results.get(n);
                System.out.printf("SCALE-OUT replicas=%d runs_per_s=%s p50_ms=%s p99_ms=%s (rounds: %s)%n", n,
                        median(rs, 0), median(rs, 1), median(rs, 2),
                        rs.stream().map(a -> String.format("%.0f/s p99 %.1f ms", a[0], a[2])).toList());
            }
            limiterCost(redis);
        } finally {
            for (SigilReplica r : replicas) r.close();
            try (var c = DriverManager.getConnection(admin)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** {runs/s, p50 ms, p99 ms} of JSON runs by {@link #CLIENTS} closed-loop clients for {@code length}. */
    private static double[] measure(HttpClient http, String base, String token, Duration length) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long[] lat = new long[200_000];
            perClient.add(lat);
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                while (running.get() && i < lat.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/agents/fast_bot/run"))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"bench " + client + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    lat[i++] = System.nanoTime() - t0;
                }
                lat[lat.length - 1] = i; // the count, in the last slot
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(length.toMillis());
        running.set(false);
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (long[] lat : perClient) for (int i = 0; i < lat[lat.length - 1]; i++) all.add(lat[i]);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[]{sorted.length / seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6};
    }

    private static String median(List<double[]> rounds, int field) {
        double[] v = rounds.stream().mapToDouble(a -> a[field]).sorted().toArray();
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format("%.1f", m);
    }

    /** Mean microseconds per acquire, Redis (private, loopback) against in-process, 7 interleaved rounds. */
    private static void limiterCost(PrivateRedis redis) {
        try (RedisConnections c = RedisConnections.open(redis.url(), "bench:", Duration.ofSeconds(2))) {
            RateLimiter shared = new RedisRateLimiter(c);
            RateLimiter local = new TokenBucketRateLimiter();
            int calls = 5_000;
            double[] r = new double[7];
            double[] l = new double[7];
            for (int round = 0; round < 7; round++) {
                r[round] = perCall(shared, calls, round);
                l[round] = perCall(local, calls, round);
            }
            Arrays.sort(r);
            Arrays.sort(l);
            System.out.printf("SCALE-OUT limiter_us_per_check redis=%.1f in_process=%.3f ratio=%.0f (rounds redis %s, local %s)%n",
                    r[3], l[3], r[3] / l[3], Arrays.toString(r), Arrays.toString(l));
        }
    }

    private static double perCall(RateLimiter limiter, int calls, int round) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) limiter.acquire("key:" + round + ":" + (i % 100), 1_000_000);
        return (System.nanoTime() - t0) / 1e3 / calls;
    }
}
