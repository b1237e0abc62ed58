package io.sigil.evolution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What one run of a case produced.
 *
 * @param output          the run's output (the contract's deliverables, or {@code {"answer": text}}); null if none
 * @param contractOutcome valid / partial / template / failed, or null when no contract applied
 * @param contractErrors  the contract's remaining errors ({@code field: reason})
 * @param errors          the run's errors (a failed model call, a token budget crossed, ...)
 * @param tokens          tokens the run spent
 */
public record CaseRun(JsonNode output, String answer, String contractOutcome, List<String> contractErrors,
                      List<String> errors, long tokens) {
    public CaseRun {
        answer = answer == null ? "" : answer;
        contractErrors = List.copyOf(contractErrors);
        errors = List.copyOf(errors);
    }

    /** A run that never produced output. */
    public static CaseRun failed(String error, long tokens) {
        return new CaseRun(null, "", null, List.of(), List.of(error), tokens);
    }
}
