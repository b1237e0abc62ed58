package io.sigil.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Beam search over prompts. Each generation, every prompt in the beam gets proposals from the {@link Proposer}s
 * (reflective rewrites, mutations); new ones are evaluated on the training cases and the best {@code beamWidth} of
 * old and new stay. At the end the beam's candidates that beat the current prompt on training are checked, best
 * first, against the {@link Gates} on the held-out cases; the first that passes is the result. A candidate that
 * improves but fails a safety gate makes the result {@code safety_blocked}; one whose gain does not carry to the
 * held-out cases (overfitting the training split) makes it {@code no_improvement}.
 */
public final class Optimizer {
    /** A proposer and how many proposals to ask it for per parent. */
    public record Source(Proposer proposer, int count) { }

    /** Where each finished generation goes, so that a crashed optimisation can go on from it. */
    @FunctionalInterface
    public interface Journal {
        /** Generation 0 is the current prompt's training evaluation alone. */
        void generation(int generation, List<BeamEntry> beam, List<BeamEntry> evaluated, Cost.Report cost);
    }

    /** What earlier generations left: the baseline's training evaluation, the beam, and every prompt tried. */
    public record Progress(BeamEntry baseline, List<BeamEntry> beam, int generationsDone, Set<String> seen) {
        public Progress {
            beam = List.copyOf(beam);
            seen = Set.copyOf(seen);
        }
    }

    private final Evaluator evaluator;
    private final List<Source> sources;
    private final OptimizeOptions options;
    private final TokenPool pool;
    private final Cost cost;
    private final EvolutionListener listener;

    public Optimizer(Evaluator evaluator, List<Source> sources, OptimizeOptions options, TokenPool pool, Cost cost,
                     EvolutionListener listener) {
        this.evaluator = evaluator;
        this.sources = List.copyOf(sources);
        this.options = options;
        this.pool = pool;
        this.cost = cost;
        this.listener = listener;
    }

    /** @param resume what a crashed run of the same optimisation recorded, or null to start afresh */
    public OptimizationResult run(String current, List<TestCase> train, List<TestCase> heldOut, Progress resume,
                                  Journal journal) {
        BeamEntry baseline;
        List<BeamEntry> beam;
        Set<String> seen = new HashSet<>();
        int start;
        if (resume == null) {
            Evaluation t = evaluator.evaluate(current, train, pool, "baseline (training)", listener);
            baseline = new BeamEntry(new Candidate(current, "baseline"), t, 0);
            beam = List.of(baseline);
            seen.add(current);
            start = 1;
            if (!t.complete()) return ended("the token budget ran out while measuring the current prompt", null, 0);
            journal.generation(0, beam, beam, cost.report());
        } else {
            baseline = resume.baseline();
            beam = resume.beam();
            seen.addAll(resume.seen());
            start = resume.generationsDone() + 1;
            listener.note("resuming after generation " + resume.generationsDone());
        }
        int done = start - 1;
        for (int g = start; g <= options.generations() && !pool.exhausted(); g++) {
            if (beam.getFirst().train().passRate() >= 1.0 && beam.getFirst().train().score() >= 1.0) break;
            List<Candidate> proposed = new ArrayList<>();
            for (BeamEntry parent : beam) {
                for (Source s : sources) {
                    if (s.count() < 1) continue;
                    for (Candidate c : s.proposer().propose(parent.candidate().prompt(), parent.train(), train, g, s.count())) {
                        if (seen.add(c.prompt())) proposed.add(c);
                    }
                }
            }
            if (proposed.isEmpty()) {
                listener.note("generation " + g + ": no new candidate was proposed");
                break;
            }
            List<BeamEntry> evaluated = new ArrayList<>();
            for (Candidate c : proposed) {
                Evaluation t = evaluator.evaluate(c.prompt(), train, pool, "generation " + g + " (training)", listener);
                if (!t.complete()) break; // a partial score would mislead the beam
                evaluated.add(new BeamEntry(c, t, Drift.between(current, c.prompt())));
            }
            List<BeamEntry> next = new ArrayList<>(beam);
            next.addAll(evaluated);
            next.sort(Comparator.comparingDouble((BeamEntry e) -> -e.train().score()).thenComparingDouble(BeamEntry::drift));
            beam = List.copyOf(next.subList(0, Math.min(options.beamWidth(), next.size())));
            done = g;
            journal.generation(g, beam, evaluated, cost.report());
            listener.note(String.format(Locale.ROOT, "generation %d: %d candidates, best training score %.3f (current %.3f)",
                    g, evaluated.size(), beam.getFirst().train().score(), baseline.train().score()));
        }
        return decide(current, baseline, beam, heldOut, done);
    }

    private OptimizationResult decide(String current, BeamEntry baseline, List<BeamEntry> beam, List<TestCase> heldOut,
                                      int generations) {
        List<BeamEntry> finalists = beam.stream()
                .filter(e -> !e.candidate().prompt().equals(current) && e.train().score() > baseline.train().score())
                .toList();
        if (finalists.isEmpty()) {
            double best = beam.stream().mapToDouble(e -> e.train().score()).max().orElse(0);
            return ended(String.format(Locale.ROOT, "no candidate beat the current prompt on the training cases"
                    + " (best %.3f, current %.3f)%s", best, baseline.train().score(), budgetNote()), null, generations);
        }
        Evaluation base = evaluator.evaluate(current, heldOut, pool, "current prompt (held-out)", listener);
        if (!base.complete()) return ended("the token budget ran out while measuring the current prompt on the held-out cases", null, generations);
        BeamEntry blocked = null;
        Evaluation blockedHeld = null;
        Gates.Verdict blockedVerdict = null;
        BeamEntry bestTried = null;
        Evaluation bestTriedHeld = null;
        for (BeamEntry f : finalists) {
            Evaluation held = evaluator.evaluate(f.candidate().prompt(), heldOut, pool, "candidate (held-out)", listener);
            Gates.Verdict v = options.gates().check(base, held, f.drift());
            listener.note(String.format(Locale.ROOT, "candidate (%s): held-out score %.3f vs current %.3f%s", f.candidate().origin(),
                    held.score(), base.score(), v.passed() ? ": passes the gates" : v.improved() ? ": blocked: "
                            + String.join("; ", v.failures()) : ": not better on held-out cases"));
            if (v.passed()) {
                return new OptimizationResult(OptimizationResult.Status.IMPROVED, String.format(Locale.ROOT,
                        "held-out score %.3f vs %.3f, pass rate %.2f, confidence %.2f, drift %.2f", held.score(),
                        base.score(), held.passRate(), held.confidence(), f.drift()), base, held, f, generations,
                        pool.exhausted(), null, cost.report());
            }
            if (v.improved() && blocked == null) {
                blocked = f;
                blockedHeld = held;
                blockedVerdict = v;
            }
            if (bestTried == null || held.score() > bestTriedHeld.score()) {
                bestTried = f;
                bestTriedHeld = held;
            }
            if (pool.exhausted()) break;
        }
        if (blocked != null) {
            return new OptimizationResult(OptimizationResult.Status.SAFETY_BLOCKED, "the best candidate improves the"
                    + " held-out score (" + fmt(blockedHeld.score()) + " vs " + fmt(base.score()) + ") but "
                    + String.join("; ", blockedVerdict.failures()), base, blockedHeld, blocked, generations,
                    pool.exhausted(), null, cost.report());
        }
        return new OptimizationResult(OptimizationResult.Status.NO_IMPROVEMENT, "the gain on the training cases ("
                + fmt(bestTried.train().score()) + " vs " + fmt(baseline.train().score()) + ") does not carry to the"
                + " held-out cases (" + fmt(bestTriedHeld.score()) + " vs " + fmt(base.score()) + ", needs +"
                + fmt(options.gates().minImprovement()) + "): it overfits the training split" + budgetNote(), base,
                bestTriedHeld, bestTried, generations, pool.exhausted(), null, cost.report());
    }

    private OptimizationResult ended(String reason, Evaluation base, int generations) {
        return new OptimizationResult(OptimizationResult.Status.NO_IMPROVEMENT, reason, base, null, null, generations,
                pool.exhausted(), null, cost.report());
    }

    private String budgetNote() {
        return pool.exhausted() ? "; the token budget of " + pool.budget() + " ran out before the search ended" : "";
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
