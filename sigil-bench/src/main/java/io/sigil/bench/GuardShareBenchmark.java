package io.sigil.bench;

import io.sigil.config.Settings;
import io.sigil.events.file.FileEventStore;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.InjectionMode;
import io.sigil.guard.LearnedInjectionDetector;
import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Consolidator;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The injection guard's share of a run, measured inside runs: the same pipeline (zero-latency scripted model, real
 * file event store, plan, contract) with the rule guard and with the learned guard, with memory off (the guard
 * embeds each message itself) and on (the guard shares memory's embedder, so recall's vector is reused). Every
 * request carries a distinct message, so no vector comes from an earlier request. Rounds interleave the four
 * set-ups; each prints the median of its rounds' p50 and the learned guard's share of the run:
 * (p50 learned - p50 rules) / p50 learned.
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.GuardShareBenchmark [rounds] [requests]}
 * (defaults 5, 40).
 */
public final class GuardShareBenchmark {
    private GuardShareBenchmark() { }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path dir = Files.createTempDirectory("sigil-guard-share");
        Settings settings = Settings.defaults();
        // Two caches over one model: memory's, which the shared guard also reads, and the guard's own.
        Embedder onnx = Embedders.fromSettings(settings.memory(), settings.llm());
        CachingEmbedder shared = CachingEmbedder.of(onnx);
        CachingEmbedder guardsOwn = CachingEmbedder.of(onnx);
        try (LuceneMemoryStore store = LuceneMemoryStore.open(dir.resolve("memory"), shared);
             FileEventStore events = FileEventStore.open(dir.resolve("state"), 1_000_000)) {
            PipelineBenchmark.seed(store, shared);
            var memory = new MemoryService(store, new RuleExtractor(), new Consolidator(null),
                    Retriever.builder().store(store).retrievalK(settings.memory().retrievalK())
                            .hybridThreshold(settings.memory().hybridThreshold()).fusion(Retriever.DEFAULT_FUSION).build(), null, settings.memory().consolidationThreshold(), null);
            InjectionGuard rules = InjectionGuard.fromSettings("flag");
            var off = new Settings.Features(false, true, true, false, true);
            var on = new Settings.Features(true, true, true, false, true);
            Map<String, Orchestrator> setups = new LinkedHashMap<>();
            setups.put("memory off, rules", PipelineBenchmark.orchestrator(dir, events, memory, off, rules));
            setups.put("memory off, learned", PipelineBenchmark.orchestrator(dir, events, memory, off,
                    new InjectionGuard(LearnedInjectionDetector.builtIn(guardsOwn), InjectionMode.FLAG)));
            setups.put("memory on, rules", PipelineBenchmark.orchestrator(dir, events, memory, on, rules));
            setups.put("memory on, learned (shared embedder)", PipelineBenchmark.orchestrator(dir, events, memory, on,
                    new InjectionGuard(LearnedInjectionDetector.builtIn(shared), InjectionMode.FLAG)));
            int[] counter = {0};
            // Warm-up: JIT, the ONNX session, Lucene, the store's segments.
            for (Orchestrator o : setups.values()) for (int i = 0; i < 30; i++) run(o, counter);
            Map<String, List<Double>> p50s = new LinkedHashMap<>();
            setups.keySet().forEach(k -> p50s.put(k, new ArrayList<>()));
            List<String> order = new ArrayList<>(setups.keySet());
            System.out.printf(Locale.ROOT, "load before: %s; %d processors; %d rounds x %d requests%n",
                    Files.readString(Path.of("/proc/loadavg")).strip(), Runtime.getRuntime().availableProcessors(),
                    rounds, requests);
            for (int round = 0; round < rounds; round++) {
                for (String name : order) {
                    long[] nanos = new long[requests];
                    for (int i = 0; i < requests; i++) nanos[i] = run(setups.get(name), counter);
                    Arrays.sort(nanos);
                    p50s.get(name).add(nanos[requests / 2] / 1e6);
                }
                order.addLast(order.removeFirst()); // rotate who goes first
            }
            System.out.println("| set-up | p50 per round (ms) | median p50 (ms) |");
            System.out.println("|---|---|---:|");
            Map<String, Double> median = new LinkedHashMap<>();
            p50s.forEach((name, list) -> {
                double m = median(list);
                median.put(name, m);
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f |%n", name,
                        list.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), m);
            });
            share("memory off", median.get("memory off, rules"), median.get("memory off, learned"));
            share("memory on", median.get("memory on, rules"), median.get("memory on, learned (shared embedder)"));
            System.out.printf(Locale.ROOT, "load after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            onnx.close();
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static long run(Orchestrator o, int[] counter) {
        String message = PipelineBenchmark.COMPLEX + " Account reference " + (counter[0]++) + ".";
        long start = System.nanoTime();
        var r = o.handle(RunRequest.builder(message).userId(PipelineBenchmark.USER).contract("lead_qualification").build(),
                RunListener.NONE);
        long took = System.nanoTime() - start;
        if (r.status() != RunStatus.SUCCESS) throw new IllegalStateException("run failed: " + r.errors());
        return took;
    }

    private static void share(String what, double rules, double learned) {
        System.out.printf(Locale.ROOT, "%s: learned guard adds %.2f ms to a run of %.2f ms: %.1f %% of the run%n", what,
                learned - rules, learned, 100 * (learned - rules) / learned);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
