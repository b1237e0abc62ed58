package io.sigil.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs every case {@code repeats} times with a prompt, at most {@code concurrency} at once, each within the shared
 * {@link TokenPool}: a run is started only if its ceiling ({@code tokensPerRun}, plus the judge's share for a judged
 * case) still fits, so the evaluation never commits more than the budget; runs that do not fit are skipped and the
 * evaluation is marked incomplete.
 */
public final class Evaluator {
    private final CaseRunner runner;
    private final Scorer scorer;
    private final Predicate<TestCase> contractApplies;
    private final Cost cost;
    private final int concurrency;
    private final int repeats;
    private final long tokensPerRun;

    /** @param contractApplies whether a contract holds a case's output (the case's own or the agent's) */
    public Evaluator(CaseRunner runner, Scorer scorer, Predicate<TestCase> contractApplies, Cost cost, int concurrency,
                     int repeats, long tokensPerRun) {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1");
        if (tokensPerRun < 1) throw new IllegalArgumentException("tokens per run must be at least 1");
        this.runner = runner;
        this.scorer = scorer;
        this.contractApplies = contractApplies;
        this.cost = cost;
        this.concurrency = concurrency;
        this.repeats = repeats;
        this.tokensPerRun = tokensPerRun;
    }

    public Evaluation evaluate(String prompt, List<TestCase> cases, TokenPool pool, String phase, EvolutionListener listener) {
        Cost.Report before = cost.report();
        int total = cases.size() * repeats;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        Map<String, List<CaseScore>> byCase = new ConcurrentHashMap<>();
        for (TestCase c : cases) byCase.put(c.id(), new CopyOnWriteArrayList<>());
        Semaphore slots = new Semaphore(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < repeats; r++) {
                for (TestCase c : cases) {
                    slots.acquireUninterruptibly();
                    long ceiling = tokensPerRun + (c.expected() instanceof Expected.Judge ? Scorer.JUDGE_TOKENS : 0);
                    if (!pool.reserve(ceiling)) {
                        slots.release();
                        skipped.incrementAndGet();
                        continue;
                    }
                    futures.add(threads.submit(() -> {
                        long spent = ceiling; // a run that throws is charged its whole reservation
                        try {
                            CaseRun run = runner.run(prompt, c, tokensPerRun);
                            CaseScore s = scorer.score(c, run, contractApplies.test(c));
                            spent = s.tokens();
                            byCase.get(c.id()).add(s);
                        } finally {
                            pool.settle(ceiling, spent);
                            slots.release();
                            listener.caseRun(phase, done.incrementAndGet(), total);
                        }
                    }));
                }
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
        return summarise(prompt, cases, byCase, skipped.get(), cost.report().minus(before));
    }

    private Evaluation summarise(String prompt, List<TestCase> cases, Map<String, List<CaseScore>> byCase, int skipped,
                                 Cost.Report spent) {
        List<Evaluation.CaseResult> results = new ArrayList<>();
        double weights = 0, score = 0, pass = 0, spread = 0;
        for (TestCase c : cases) {
            List<CaseScore> runs = byCase.get(c.id());
            double mean = runs.stream().mapToDouble(CaseScore::score).average().orElse(0);
            double passed = runs.isEmpty() ? 0 : runs.stream().filter(CaseScore::pass).count() / (double) runs.size();
            double var = runs.stream().mapToDouble(s -> (s.score() - mean) * (s.score() - mean)).average().orElse(0);
            List<String> reasons = runs.stream().filter(s -> !s.pass()).flatMap(s -> s.reasons().stream()).distinct().toList();
            results.add(new Evaluation.CaseResult(c.id(), c.weight(), mean, passed, Math.sqrt(var), reasons, runs.size()));
            weights += c.weight();
            score += c.weight() * mean;
            pass += c.weight() * passed;
            spread += Math.sqrt(var);
        }
        double confidence = repeats < 2 ? 0 : Math.max(0, 1 - 2 * spread / cases.size());
        return new Evaluation(prompt, score / weights, pass / weights, confidence, repeats, results, skipped,
                skipped == 0, spent);
    }
}
