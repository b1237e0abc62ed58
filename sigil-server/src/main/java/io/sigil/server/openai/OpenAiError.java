package io.sigil.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.server.http.Problem;
import io.sigil.server.http.Problems;

import java.util.Locale;

/**
 * OpenAI's error body, {@code {"error": {"message", "type", "param", "code"}}}: what every failure under
 * {@code /v1/} is written as, so that OpenAI clients raise their usual exceptions (401 authentication, 429 rate
 * limit, 400 bad request with the offending {@code param}, 404 model not found).
 */
public record OpenAiError(Detail error) {

    public record Detail(String message, String type, String param, String code) { }

    /** The OpenAI form of a problem: the type from the status, the param from its first invalid field. */
    static OpenAiError of(Problem p) {
        int status = p.status();
        String param = p.invalidParams().isEmpty() ? null : p.invalidParams().getFirst().name();
        String message = p.detail();
        if (!p.invalidParams().isEmpty()) {
            String reasons = p.invalidParams().stream().filter(i -> !p.detail().contains(i.reason()))
                    .map(i -> i.name() + ": " + i.reason()).reduce((a, b) -> a + "; " + b).orElse("");
            if (!reasons.isEmpty()) message += " " + reasons;
        }
        if (p.requestId() != null && status >= 500) message += " (request id " + p.requestId() + ")";
        String type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
        String code = switch (status) {
            case 401 -> "invalid_api_key";
            case 403 -> "insufficient_permissions";
            case 429 -> "rate_limit_exceeded";
            default -> p.code() == null ? null : p.code().toLowerCase(Locale.ROOT);
        };
        return new OpenAiError(new Detail(message, type, param, code));
    }

    /** The {@link Problems.Dialect} of the OpenAI-compatible API: every problem under {@code /v1/} in this form. */
    public static Problems.Dialect dialect(ObjectMapper mapper) {
        return new Problems.Dialect() {
            @Override
            public boolean covers(String path) { return path.startsWith(OpenAiApi.PREFIX + "/"); }

            @Override
            public byte[] render(Problem problem) {
                try {
                    return mapper.writeValueAsBytes(of(problem));
                } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        };
    }
}
