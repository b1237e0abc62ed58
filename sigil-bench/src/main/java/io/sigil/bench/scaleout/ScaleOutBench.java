package io.sigil.bench.scaleout;

import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.memory.Embedder;
import io.sigil.memory.embed.Embedders;
import io.sigil.testing.NginxFront;
import io.sigil.testing.ClusterScratch;
import io.sigil.testing.SigilReplica;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scale-out figures of issue 19 (docs/benchmarks.md "Scale-out"), one command: {@code sigil-bench/scaleout/run.sh}.
 * <ol>
 *   <li>Runs/s and p50/p99 of JSON runs (offline test model) through nginx (a copy of the shipped nginx.conf)
 *   with 1, 2 and 3 {@code sigil serve} replicas on one PostgreSQL database (a new one on localhost:5432, dropped
 *   after) and one private redis-server; rounds interleaved 1,2,3,3,2,1; medians per configuration.</li>
 *   <li>The Redis limiter's cost per check against the in-process one, interleaved rounds.</li>
 *   <li>A recall's query vector: embedded, a Redis hit, a local hit (the default local model).</li>
 * </ol>
 * Options: {@code --clients N} (8), {@code --round-seconds S} (15), {@code --only replicas|limiter|vectors}.
 */
public final class ScaleOutBench {
    private static final String SECRET = "scale-out-bench-secret-0123456789-abcdefghij";

    private ScaleOutBench() { }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int clients = Integer.parseInt(opts.getOrDefault("clients", "8"));
        Duration round = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("round-seconds", "15")));
        String only = opts.get("only");
        try (ClusterScratch scratch = ClusterScratch.create("scale_bench_")) {
            String redis = scratch.redis().url();
            if (only == null || only.equals("replicas")) replicas(scratch, clients, round);
            if (only == null || only.equals("limiter")) LimiterCost.run(redis, 7, 5_000);
            if (only == null || only.equals("vectors")) {
                Settings settings = Settings.defaults();
                try (Embedder model = Embedders.fromSettings(settings.memory(), settings.llm())) {
                    QueryVectorCost.run(model, redis, 7, 40);
                }
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --clients N, --round-seconds S, --only replicas|limiter|vectors; got " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static void replicas(ClusterScratch scratch, int clients, Duration round) throws Exception {
        List<SigilReplica> replicas = new ArrayList<>();
        try {
            for (String name : List.of("a", "b", "c")) {
                Map<String, String> env = scratch.env(name, SECRET);
                env.put("SIGIL_DATABASE_POOL_SIZE", "8");
                env.put("SIGIL_LOG_LEVEL", "WARN");
                replicas.add(new SigilReplica(name, scratch.dir().resolve(name), env).start());
            }
            String token = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC()).mint("bench", Set.of(Scope.ADMIN), Duration.ofHours(1), null, null);
            HttpResponse<String> agent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(replicas.getFirst().url() + "/agents"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"fast_bot\", \"description\": \"Answers at once\","
                            + " \"system_prompt\": \"Be brief.\", \"model\": \"test\", \"tools\": []}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (agent.statusCode() != 201) throw new IllegalStateException("creating the agent: " + agent.body());

            Map<Integer, List<ClosedLoop.Round>> results = new HashMap<>();
            int[] order = {1, 2, 3, 3, 2, 1};
            for (int r = 0; r < order.length; r++) {
                int n = order[r];
                try (NginxFront nginx = NginxFront.start(scratch.dir().resolve("nginx-" + r), replicas.subList(0, n).stream().map(x -> x.port).toList())) {
                    HttpClient http = HttpClient.newBuilder().sslContext(nginx.trust()).build();
                    var run = (java.util.function.IntFunction<HttpRequest>) c -> HttpRequest.newBuilder(URI.create(nginx.url() + "/agents/fast_bot/run"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"bench " + c + "\"}")).build();
                    ClosedLoop.run(http, clients, Duration.ofSeconds(3), run); // warm-up: connections, JIT
                    results.computeIfAbsent(n, k -> new ArrayList<>()).add(ClosedLoop.run(http, clients, round, run));
                }
            }
            System.out.println("SCALE-OUT clients=" + clients + " round=" + round.toSeconds() + "s");
            double one = ClosedLoop.median(results.get(1).stream().mapToDouble(ClosedLoop.Round::perSecond).toArray());
            for (int n = 1; n <= 3; n++) {
                List<ClosedLoop.Round> rs = results.get(n);
                double perSecond = ClosedLoop.median(rs.stream().mapToDouble(ClosedLoop.Round::perSecond).toArray());
                System.out.printf("SCALE-OUT replicas=%d runs_per_s=%.1f p50_ms=%.1f p99_ms=%.1f ratio_to_1=%.2f (rounds: %s)%n", n, perSecond,
                        ClosedLoop.median(rs.stream().mapToDouble(ClosedLoop.Round::p50Ms).toArray()),
                        ClosedLoop.median(rs.stream().mapToDouble(ClosedLoop.Round::p99Ms).toArray()), perSecond / one,
                        rs.stream().map(ClosedLoop.Round::brief).toList());
            }
        } finally {
            for (SigilReplica r : replicas) r.close();
        }
    }
}
