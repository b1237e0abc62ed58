package io.sigil.server.runs;

import io.sigil.errors.SigilError;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code data} of a WebSocket {@code error} message, shaped like the HTTP API's answer to the same mistake: the
 * same {@code code} (a problem's own code, else its slug upper-cased: {@code session-busy} is {@code SESSION_BUSY}),
 * the HTTP {@code status} it would have had, the problem {@code type}, and {@code retry_after_seconds} when HTTP
 * would send {@code Retry-After}.
 */
final class SocketErrors {
    static final String RUN_IN_PROGRESS = "run_in_progress";
    static final String INVALID_INPUT = "INVALID_INPUT";
    static final String SHUTTING_DOWN = "SHUTTING_DOWN";

    private SocketErrors() { }

    static Map<String, Object> runInProgress() {
        return Map.of("code", RUN_IN_PROGRESS,
                "message", "A run is already in progress on this connection; wait for its complete message.");
    }

    static Map<String, Object> of(SigilError e) {
        return Map.of("code", e.code().name(), "message", e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
    }

    /** A message that is not valid JSON for its type, or holds a bad value. */
    static Map<String, Object> invalid(String detail, Object invalidParams) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", INVALID_INPUT);
        m.put("message", detail);
        m.put("invalid_params", invalidParams);
        return m;
    }

    static Map<String, Object> of(ApiProblem p) {
        Problem problem = p.problem();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code(problem));
        m.put("message", problem.detail());
        m.put("status", problem.status());
        m.put("type", problem.type());
        if (!problem.invalidParams().isEmpty()) m.put("invalid_params", problem.invalidParams());
        String retryAfter = p.headers().get("Retry-After");
        if (retryAfter != null) m.put("retry_after_seconds", retryAfter.chars().allMatch(Character::isDigit)
                ? Integer.parseInt(retryAfter) : retryAfter);
        return m;
    }

    private static String code(Problem problem) {
        if (problem.code() != null) return problem.code();
        if (problem.status() == 503) return SHUTTING_DOWN;
        if (problem.status() == 400 || problem.status() == 422) return INVALID_INPUT;
        String slug = problem.type().substring(problem.type().lastIndexOf(':') + 1);
        return slug.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
