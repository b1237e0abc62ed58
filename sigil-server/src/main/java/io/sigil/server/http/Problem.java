package io.sigil.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document, the body of every 4xx and 5xx response ({@code application/problem+json}).
 *
 * @param type          a URI naming the kind of problem ({@code urn:sigil:problem:<slug>})
 * @param invalidParams the request fields that were wrong and why; empty unless the body or query was invalid
 * @param code          Sigil's error code when a {@link io.sigil.errors.SigilError} caused it
 * @param requestId     the X-Request-Id, to find the matching log lines
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<InvalidParam> invalidParams, String code, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** @param name a JSON pointer-like path into the body ({@code message}, {@code items[2].name}) or a query name */
    public record InvalidParam(String name, String reason) { }

    public Problem {
        invalidParams = invalidParams == null ? List.of() : List.copyOf(invalidParams);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:sigil:problem:" + slug, title, status, detail, null, List.of(), null, null);
    }

    public Problem withInvalidParams(List<InvalidParam> params) {
        return new Problem(type, title, status, detail, instance, params, code, requestId);
    }

    public Problem withCode(String newCode) {
        return new Problem(type, title, status, detail, instance, invalidParams, newCode, requestId);
    }

    Problem at(String path, String id) {
        return new Problem(type, title, status, detail, path, invalidParams, code, id);
    }
}
