package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatModel;
import io.sigil.memory.Embedder;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.eval.CrossValidation;
import io.sigil.memory.eval.EvalSet;
import io.sigil.memory.eval.Evaluator;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.memory.retrieval.TemporalBoost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code sigil memory eval}: indexes a corpus into a temporary store and measures every requested setting (mode,
 * fusion, keyword context window) on the queries; with {@code --folds K} it also chooses among the settings of
 * each mode by K-fold cross-validation over conversations ({@link CrossValidation}) and reports held-out figures.
 */
@Command(name = "eval", description = "Measure retrieval on a corpus and queries (JSONL): recall@k, MRR@k, nDCG@k, "
        + "latency, indexing rate; per category, and cross-validated with --folds.")
final class MemoryEvalCommand extends MemoryCommand.Base {
    @Option(names = "--corpus", required = true, description = "{\"id\", \"text\", \"scope\"?, \"timestamp\"?, \"conversation\"?} a line") Path corpus;
    @Option(names = "--queries", required = true, description = "{\"query\", \"scope\"?, \"category\"?, \"asked_at\"?, \"relevant\": [ids]} a line (asked_at: ISO date-time, default a minute after the scope's last turn)") Path queries;
    @Option(names = "--k", defaultValue = "10") int k;
    @Option(names = "--mode", defaultValue = "hybrid", split = ",", description = "One or more of hybrid, rag, llm, keyword, vector (comma-separated; default: ${DEFAULT-VALUE})") List<String> modes;
    @Option(names = "--fusion", split = ",", description = "For experiments: one or more fusions for rag, llm and hybrid instead of the default, "
            + "each " + Fusion.FORMS + " (comma-separated)") List<String> fusions;
    @Option(names = "--context-turns", split = ",", description = "Preceding turns of the same conversation in a turn's keyword text, one or more "
            + "(comma-separated; default: " + Evaluator.DEFAULT_CONTEXT_TURNS + ")") List<Integer> contextTurns;
    @Option(names = "--temporal-boost", split = ",", description = "One or more weights (0 to 1; 0 is off) of the boost for results inside the span "
            + "of time a question names, e.g. 0,0.1,0.2 (default: memory.temporal_boost)") List<Double> temporalBoosts;
    @Option(names = "--temporal-anchors", split = ",", description = "off, on or off,on: resolve \"before/after <event>\" by one "
            + "extra keyword search (with a temporal boost above 0; default: memory.temporal_anchors)") List<String> temporalAnchors;
    @Option(names = "--folds", defaultValue = "0", description = "Cross-validate: choose each mode's fusion and context window on K-1 folds of conversations, "
            + "score on the K-th (0: off)") int folds;
    @Option(names = "--embedding-model", description = "Override memory.embedding_model for this run (e.g. e5-small-v2-q)") String embeddingModel;
    @Option(names = "--json", description = "Print JSON") boolean json;

    /** One measured setting: a mode, the fusion it used (null for keyword and vector) and the context window. */
    record Row(String fusion, int contextTurns, Evaluator.ModeReport report, Map<String, Double> recallByCategory) {
        String name() { return "context=" + contextTurns + (fusion == null ? "" : " " + fusion); }
    }

    private static TemporalBoost boost(double weight, boolean anchors) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new InvalidInputError("--temporal-boost " + weight + " is out of range", "use weights from 0 (off) to 1, e.g. --temporal-boost 0,0.1,0.2");
        }
        return new TemporalBoost(weight, anchors);
    }

    private static boolean anchors(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new InvalidInputError("--temporal-anchors '" + value + "' is not on or off", "e.g. --temporal-anchors off,on");
        };
    }

    @Override
    public Integer call() throws Exception {
        if (k < 1) throw new InvalidInputError("--k must be at least 1", "e.g. --k 10");
        if (folds == 1 || folds < 0) throw new InvalidInputError("--folds must be 0 (off) or at least 2", "e.g. --folds 5");
        List<Integer> contexts = contextTurns == null || contextTurns.isEmpty() ? List.of(Evaluator.DEFAULT_CONTEXT_TURNS) : contextTurns;
        for (int c : contexts) {
            if (c < 0 || c > 20) throw new InvalidInputError("--context-turns " + c + " is out of range", "use 0 to 20 preceding turns, e.g. --context-turns 0,1,2");
        }
        List<RetrievalMode> parsed = modes.stream().map(RetrievalMode::parse).toList();
        EvalSet set = EvalSet.load(corpus, queries);
        Settings s = settings();
        var m = embeddingModel == null ? s.memory() : s.memory().withEmbeddingModel(embeddingModel);
        Fusion modelDefault = Retriever.defaultFusion(m.embeddingModel());
        List<Fusion> fusionList = fusions == null || fusions.isEmpty() ? List.of(modelDefault)
                : fusions.stream().map(f -> Fusion.parse(f, modelDefault)).toList();
        List<Double> weights = temporalBoosts == null || temporalBoosts.isEmpty() ? List.of(m.temporalBoost()) : temporalBoosts;
        List<Boolean> anchorChoices = temporalAnchors == null || temporalAnchors.isEmpty() ? List.of(m.temporalAnchors())
                : temporalAnchors.stream().map(MemoryEvalCommand::anchors).distinct().toList();
        var boosts = new ArrayList<TemporalBoost>();
        for (double w : weights) {
            for (boolean a : anchorChoices) {
                if (w == 0 && a && anchorChoices.contains(false)) continue; // anchors do nothing without a boost
                boosts.add(boost(w, a));
            }
        }
        ChatModel chat = chatModel();
        var rows = new ArrayList<Row>();
        var scores = new LinkedHashMap<RetrievalMode, List<CrossValidation.Candidate>>();
        double embedSeconds, indexSeconds = 0;
        String model;
        try (Embedder embedder = Embedders.fromSettings(m, s.llm())) {
            model = embedder.model();
            long start = System.nanoTime();
            List<float[]> vectors = embedder.embed(set.corpus().stream().map(EvalSet.Doc::text).toList());
            embedSeconds = (System.nanoTime() - start) / 1e9;
            for (int context : contexts) {
                Path dir = Files.createTempDirectory("sigil-memory-eval");
                try (LuceneMemoryStore store = LuceneMemoryStore.open(dir, embedder, m.indexRefreshMs())) {
                    double seconds = Evaluator.index(store, set, context, vectors);
                    if (indexSeconds == 0) indexSeconds = seconds;
                    for (RetrievalMode mode : parsed) {
                        boolean fuses = mode != RetrievalMode.KEYWORD && mode != RetrievalMode.VECTOR;
                        if (!fuses && mode == RetrievalMode.VECTOR && context != contexts.getFirst()) continue; // context is keyword-only
                        for (Fusion fusion : fuses ? fusionList : List.of(modelDefault)) {
                            for (TemporalBoost boost : fuses ? boosts : List.of(TemporalBoost.OFF)) {
                                var retriever = Retriever.builder().store(store).chatModel(chat).retrievalK(m.retrievalK())
                                        .hybridThreshold(m.hybridThreshold()).fusion(fusion).temporalBoost(boost).build();
                                Evaluator.Scores sc = Evaluator.scores(retriever, set, mode, k);
                                var row = new Row(fuses ? fusion.describe() + (boost.on() ? " " + boost.describe() : "") : null,
                                        context, Evaluator.summarise(mode, sc), recallByCategory(set, sc));
                                rows.add(row);
                                scores.computeIfAbsent(mode, x -> new ArrayList<>()).add(new CrossValidation.Candidate(row.name(), sc));
                            }
                        }
                    }
                } finally {
                    delete(dir);
                }
            }
        }
        var cv = new LinkedHashMap<RetrievalMode, CrossValidation.Result>();
        if (folds >= 2) scores.forEach((mode, candidates) -> cv.put(mode, CrossValidation.run(set, candidates, folds)));
        int n = set.corpus().size();
        if (json) {
            var out = new LinkedHashMap<String, Object>();
            out.put("embedding_model", model);
            out.put("corpus", n);
            out.put("queries", set.queries().size());
            out.put("k", k);
            out.put("fusion", fusionList.getFirst().describe());
            out.put("embedding_seconds", embedSeconds);
            // the same "report" as before --folds existed: indexing (embedding included) and every row's figures
            out.put("report", new Evaluator.Report(k, n, embedSeconds + indexSeconds, n / (embedSeconds + indexSeconds),
                    rows.stream().map(Row::report).toList()));
            out.put("rows", rows);
            if (!cv.isEmpty()) out.put("cross_validation", cv);
            json(out);
        } else {
            print(rows, cv, model, set, embedSeconds, indexSeconds, chat != null);
        }
        return ExitCodes.OK;
    }

    private static Map<String, Double> recallByCategory(EvalSet set, Evaluator.Scores sc) {
        var sum = new TreeMap<String, double[]>();
        for (int i = 0; i < set.queries().size(); i++) {
            double[] acc = sum.computeIfAbsent(set.queries().get(i).category(), c -> new double[2]);
            acc[0] += sc.recall()[i];
            acc[1]++;
        }
        var out = new LinkedHashMap<String, Double>();
        sum.forEach((c, acc) -> out.put(c, acc[0] / acc[1]));
        return out;
    }

    private void print(List<Row> rows, Map<RetrievalMode, CrossValidation.Result> cv, String model, EvalSet set,
                       double embedSeconds, double indexSeconds, boolean withModel) {
        int n = set.corpus().size();
        out().printf("corpus %d items, %d queries, embedding %s, %s%n", n, set.queries().size(), model,
                withModel ? "model configured (hybrid may escalate to llm)" : "no model (hybrid answers with rag)");
        out().printf(Locale.ROOT, "indexing: %.1f s, %.0f items/s (embedding %.1f s of it)%n", embedSeconds + indexSeconds,
                n / (embedSeconds + indexSeconds), embedSeconds);
        out().printf(Locale.ROOT, "%-8s %9s %7s %8s %8s %8s  %-16s %-4s %s%n", "mode", "recall@" + k, "MRR@" + k,
                "nDCG@" + k, "p50 ms", "p95 ms", "answered by", "ctx", "fusion");
        for (Row row : rows) {
            var r = row.report();
            out().printf(Locale.ROOT, "%-8s %9.3f %7.3f %8.3f %8.2f %8.2f  %-16s %-4d %s%n", r.mode(), r.recall(), r.mrr(),
                    r.ndcg(), r.p50Ms(), r.p95Ms(), r.answeredBy(), row.contextTurns(), row.fusion() == null ? "-" : row.fusion());
        }
        if (rows.stream().anyMatch(r -> r.recallByCategory().size() > 1)) {
            out().println("recall@" + k + " per category:");
            for (Row row : rows) {
                var parts = new ArrayList<String>();
                row.recallByCategory().forEach((c, v) -> parts.add(String.format(Locale.ROOT, "%s %.3f", c, v)));
                out().printf("  %-8s %-40s %s%n", row.report().mode(), row.name(), String.join(", ", parts));
            }
        }
        cv.forEach((mode, result) -> {
            out().printf("%s, %d-fold cross-validation over %ss (setting chosen on the other folds by recall@%d):%n",
                    mode, result.folds(), result.groupedBy(), k);
            for (CrossValidation.Fold f : result.perFold()) {
                out().printf(Locale.ROOT, "  fold %d: %3d queries  recall %.3f  MRR %.3f  nDCG %.3f   chosen: %s (train recall %.3f)%n",
                        f.fold(), f.test().queries(), f.test().recall(), f.test().mrr(), f.test().ndcg(), f.chosen(), f.trainRecall());
            }
            var p = result.pooled();
            out().printf(Locale.ROOT, "  pooled: %3d queries  recall %.3f  MRR %.3f  nDCG %.3f%n", p.queries(), p.recall(), p.mrr(), p.ndcg());
            if (result.perCategory().size() > 1) {
                result.perCategory().forEach((c, f) -> out().printf(Locale.ROOT,
                        "  %-14s %3d queries  recall %.3f  MRR %.3f  nDCG %.3f%n", c, f.queries(), f.recall(), f.mrr(), f.ndcg()));
            }
        });
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
