package io.sigil.evolution;

import java.util.List;

/**
 * How one run of a case scored: 0..1, whether it passed, and why it lost points (the contract's errors, what the
 * expectation missed) - the material a reflective rewrite reads.
 */
public record CaseScore(String caseId, double score, boolean pass, List<String> reasons, long tokens) {
    public CaseScore {
        if (score < 0 || score > 1 || Double.isNaN(score)) throw new IllegalArgumentException("score must be 0..1: " + score);
        reasons = List.copyOf(reasons);
    }
}
