package io.sigil.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Turns every failure into a problem document. Unexpected exceptions are logged with the request id and answered
 * with a generic 500 that carries the id but never the exception's message or stack.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final String WRITTEN = "sigil.problem.written";

    private final ObjectMapper mapper;
    private final java.util.List<Dialect> dialects;

    /**
     * Another API's error format for the paths it covers (the OpenAI-compatible API under {@code /v1/}): the same
     * problem (status, detail, invalid params, code, headers) written as that API's clients expect it.
     */
    public interface Dialect {
        boolean covers(String path);

        /** The body for {@code problem}, already located (instance, request id); written as application/json. */
        byte[] render(Problem problem);
    }

    public Problems(ObjectMapper mapper) {
        this(mapper, java.util.List.of());
    }

    public Problems(ObjectMapper mapper, java.util.List<Dialect> dialects) {
        this.mapper = mapper;
        this.dialects = java.util.List.copyOf(dialects);
    }

    /** Exception handler for everything a handler or the pipeline throws. */
    public void handle(Exception e, Context ctx) {
        switch (e) {
            case ApiProblem p -> {
                p.headers().forEach(ctx::header);
                write(ctx, p.problem());
            }
            case SigilError s -> write(ctx, fromSigilError(s));
            case HttpResponseException h -> write(ctx, forStatus(h.getStatus()));
            default -> {
                log.error("Unhandled error in {} {} (request {})", ctx.method(), ctx.path(), RequestContext.requestId(ctx), e);
                write(ctx, Problem.of(500, "internal-error", "Internal server error",
                        "The server failed to handle the request; quote the request id when reporting it."));
            }
        }
    }

    /**
     * After-handler: a 4xx/5xx response that is not a problem document yet (Javalin's own 404, 405, 413 and the
     * like) is rewritten into one.
     */
    public void ensureProblem(Context ctx) {
        int status = ctx.statusCode();
        if (status >= 400 && ctx.attribute(WRITTEN) == null) write(ctx, forStatus(status));
    }

    /** Marks a 4xx/5xx response whose body is its own answer (the health report's 503), so it is kept as written. */
    public static void keepBody(Context ctx) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
    }

    public void write(Context ctx, Problem problem) {
        Problem located = problem.at(ctx.path(), RequestContext.requestId(ctx));
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(problem.status());
        for (Dialect d : dialects) {
            if (d.covers(ctx.path())) {
                ctx.contentType("application/json").result(d.render(located));
                return;
            }
        }
        try {
            ctx.contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsBytes(located));
        } catch (Exception impossible) {
            ctx.contentType(Problem.MEDIA_TYPE).result("{\"status\":" + problem.status() + "}");
        }
    }

    static Problem fromSigilError(SigilError e) {
        if (e instanceof io.sigil.memory.ScopeAccess.ScopeDeniedError) {
            return Problem.of(403, "forbidden", title(403), e.getMessage() + " (" + e.hint() + ")")
                    .withCode(e.code().name());
        }
        if (e instanceof io.sigil.errors.StorageFullError || e instanceof io.sigil.events.EventStoreStoppedError) {
            boolean full = e instanceof io.sigil.errors.StorageFullError;
            return Problem.of(full ? 507 : 503, slug(e.code()), title(full ? 507 : 503),
                    e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")")).withCode(e.code().name());
        }
        int status = switch (e.code()) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONTRACT_ERROR, TOKEN_BUDGET_EXCEEDED -> 422;
            case LLM_ERROR -> 502;
            // Continuing a session that has ended: the request conflicts with the session's state. A store that is
            // unavailable for now (database down, connection lost) says so: retry later.
            case STATE_ERROR -> e instanceof io.sigil.events.SessionEndedError ? 409 : e.recoverable() ? 503 : 500;
            default -> 500;
        };
        String detail = e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")");
        return Problem.of(status, slug(e.code()), title(status), detail).withCode(e.code().name());
    }

    /** The problem for a bare status (Javalin's built-in responses), with a detail that helps. */
    public static Problem forStatus(int status) {
        String detail = switch (status) {
            case 400 -> "The request is malformed.";
            case 404 -> "No endpoint has this path; see /openapi.json for the API.";
            case 405 -> "This path does not support this method; the Allow header lists the methods it does.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request body is larger than the server accepts (SIGIL_API_MAX_BODY_BYTES).";
            case 414 -> "The request URI is too long.";
            case 415 -> "Send the body as application/json.";
            case 431 -> "The request headers are too large.";
            case 503 -> "The server is shutting down or overloaded; retry shortly.";
            default -> status >= 500 ? "The server failed to handle the request." : "The request was refused.";
        };
        return Problem.of(status, title(status).toLowerCase(Locale.ROOT).replace(' ', '-'), title(status), detail);
    }

    private static String slug(ErrorCode code) {
        return code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not found"), Map.entry(405, "Method not allowed"), Map.entry(406, "Not acceptable"),
            Map.entry(408, "Request timeout"), Map.entry(409, "Conflict"), Map.entry(413, "Content too large"),
            Map.entry(414, "URI too long"), Map.entry(415, "Unsupported media type"),
            Map.entry(422, "Unprocessable content"), Map.entry(429, "Too many requests"),
            Map.entry(431, "Request header fields too large"), Map.entry(500, "Internal server error"),
            Map.entry(502, "Bad gateway"), Map.entry(503, "Service unavailable"), Map.entry(507, "Insufficient storage"), Map.entry(504, "Gateway timeout"));

    static String title(int status) {
        return TITLES.getOrDefault(status, status >= 500 ? "Server error" : "Client error");
    }
}
