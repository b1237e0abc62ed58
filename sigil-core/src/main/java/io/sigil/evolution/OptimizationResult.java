package io.sigil.evolution;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an optimisation ended.
 *
 * @param baseline  the current prompt on the held-out cases (null when the run ended before measuring it)
 * @param heldOut   the chosen candidate on the held-out cases (null when none got that far)
 * @param candidate the chosen (or best blocked) candidate with its training evaluation, or null
 * @param versionId the version stored for an accepted candidate, else null
 */
public record OptimizationResult(Status status, String reason, Evaluation baseline, Evaluation heldOut,
                                 BeamEntry candidate, int generations, boolean budgetExhausted, String versionId,
                                 Cost.Report cost) {

    public enum Status {
        IMPROVED, PENDING_APPROVAL, SAFETY_BLOCKED, NO_IMPROVEMENT;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }
    }

    public OptimizationResult withVersion(Status s, String id) {
        return new OptimizationResult(s, reason, baseline, heldOut, candidate, generations, budgetExhausted, id, cost);
    }

    public OptimizationResult withCost(Cost.Report c) {
        return new OptimizationResult(status, reason, baseline, heldOut, candidate, generations, budgetExhausted, versionId, c);
    }

    /** The payload of {@code evolution.completed} and the body of the API's answer. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.wireName());
        m.put("reason", reason);
        if (versionId != null) m.put("version_id", versionId);
        m.put("generations", generations);
        m.put("budget_exhausted", budgetExhausted);
        if (baseline != null) m.put("baseline", baseline.summary());
        if (candidate != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("prompt", candidate.candidate().prompt());
            c.put("origin", candidate.candidate().origin());
            c.put("drift", Evaluation.round(candidate.drift()));
            c.put("train_score", Evaluation.round(candidate.train().score()));
            if (heldOut != null) c.put("held_out", heldOut.summary());
            m.put("candidate", c);
        }
        m.put("cost", cost.toMap());
        return m;
    }
}
