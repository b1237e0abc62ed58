package io.sigil.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prompt evaluated over cases, each run {@code repeats} times.
 *
 * @param score      weighted mean of the cases' mean scores, 0..1
 * @param passRate   weighted share of runs that passed, 0..1
 * @param confidence how stable the scores are over repeated runs: 1 - 2 x the mean standard deviation of a case's
 *                   scores (1: every repeat scored the same; 0: coin flips). 0 with a single repeat (not measured)
 * @param complete   false when the token budget refused some runs: such an evaluation never passes a gate
 */
public record Evaluation(String prompt, double score, double passRate, double confidence, int repeats,
                         List<CaseResult> cases, int runsSkipped, boolean complete, Cost.Report cost) {
    public Evaluation {
        cases = List.copyOf(cases);
    }

    /** One case's runs: mean score, share passed, spread, and why its failing runs lost points. */
    public record CaseResult(String caseId, double weight, double score, double passRate, double stddev,
                             List<String> reasons, int runs) {
        public CaseResult {
            reasons = List.copyOf(reasons);
        }
    }

    /** The cases that did not pass every run, with their reasons. */
    public List<CaseResult> failing() {
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult c : cases) if (c.passRate() < 1.0) out.add(c);
        return out;
    }

    /** The summary shown to users and stored in events (without the prompt). */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score", round(score));
        m.put("pass_rate", round(passRate));
        m.put("confidence", round(confidence));
        m.put("repeats", repeats);
        m.put("cases", cases.size());
        m.put("complete", complete);
        if (runsSkipped > 0) m.put("runs_skipped", runsSkipped);
        m.put("cost", cost.toMap());
        return m;
    }

    /** The per-case detail for reports. */
    public List<Map<String, Object>> caseDetails() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CaseResult c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.caseId());
            m.put("score", round(c.score()));
            m.put("pass_rate", round(c.passRate()));
            m.put("runs", c.runs());
            if (!c.reasons().isEmpty()) m.put("reasons", c.reasons());
            out.add(m);
        }
        return out;
    }

    static double round(double v) { return Math.round(v * 10_000) / 10_000.0; }
}
