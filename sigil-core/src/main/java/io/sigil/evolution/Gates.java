package io.sigil.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The safety gates a candidate must pass on the held-out cases (sigil-design.md section 10): its score beats the
 * current prompt's by at least {@code minImprovement} (0.02 = 2 points of the 0..1 score), it drifts at most
 * {@code maxDrift} from the current prompt, its confidence is at least {@code minConfidence} and it passes at least
 * {@code minPassRate} of the runs. An incomplete evaluation (budget ran out) never passes.
 */
public record Gates(double minImprovement, double maxDrift, double minConfidence, double minPassRate) {
    public static final Gates DEFAULT = new Gates(0.02, 0.30, 0.7, 0.9);

    public Gates {
        if (minImprovement < 0 || maxDrift < 0 || maxDrift > 1 || minConfidence < 0 || minConfidence > 1
                || minPassRate < 0 || minPassRate > 1) {
            throw new IllegalArgumentException("gates must be within 0..1 (improvement at least 0)");
        }
    }

    /**
     * @param improved whether the score gate passed
     * @param failures every gate that failed, written for the user
     */
    public record Verdict(boolean improved, List<String> failures) {
        public Verdict { failures = List.copyOf(failures); }

        public boolean passed() { return improved && failures.isEmpty(); }
    }

    public Verdict check(Evaluation baseline, Evaluation candidate, double drift) {
        List<String> failures = new ArrayList<>();
        boolean improved = candidate.score() >= baseline.score() + minImprovement - 1e-9;
        if (!candidate.complete()) failures.add("the held-out evaluation is incomplete: the token budget ran out");
        if (drift > maxDrift + 1e-9) failures.add(f("drift %.2f exceeds %.2f (1 - Jaccard of words vs the current prompt)", drift, maxDrift));
        if (candidate.confidence() < minConfidence - 1e-9) {
            failures.add(candidate.repeats() < 2 ? "confidence is not measured with a single run per case: use repeats >= 2"
                    : f("confidence %.2f is below %.2f (its scores vary between repeated runs)", candidate.confidence(), minConfidence));
        }
        if (candidate.passRate() < minPassRate - 1e-9) failures.add(f("pass rate %.2f is below %.2f", candidate.passRate(), minPassRate));
        return new Verdict(improved, failures);
    }

    static String f(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}
