package io.sigil.server;

import io.sigil.auth.Scope;

import java.util.Objects;
import java.util.Set;

/**
 * Where an endpoint lives and who may call it; also its entry in {@code /openapi.json}.
 *
 * @param method      HTTP method in upper case
 * @param path        path template, parameters in braces: {@code /sessions/{session_id}}
 * @param access      who may call it
 * @param rateLimited false only for probes that load balancers call constantly ({@code /health})
 * @param tag         OpenAPI tag grouping related operations
 * @param summary     one line for the OpenAPI document
 * @param produces    the success response's media type
 */
public record Route(String method, String path, Access access, boolean rateLimited, String tag, String summary,
                    String produces) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    public Route {
        Objects.requireNonNull(method, "method");
        if (!METHODS.contains(method)) throw new IllegalArgumentException("unsupported method " + method);
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + path);
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(produces, "produces");
    }

    public static Route get(String path, Access access, String tag, String summary) {
        return new Route("GET", path, access, true, tag, summary, "application/json");
    }

    public static Route post(String path, Access access, String tag, String summary) {
        return new Route("POST", path, access, true, tag, summary, "application/json");
    }

    public static Route put(String path, Access access, String tag, String summary) {
        return new Route("PUT", path, access, true, tag, summary, "application/json");
    }

    public static Route delete(String path, Access access, String tag, String summary) {
        return new Route("DELETE", path, access, true, tag, summary, "application/json");
    }

    public Route produces(String mediaType) {
        return new Route(method, path, access, rateLimited, tag, summary, mediaType);
    }

    public Route notRateLimited() {
        return new Route(method, path, access, false, tag, summary, produces);
    }

    /** Who may call an endpoint. */
    public sealed interface Access {
        /** Anyone, no credentials. */
        record Public() implements Access { }

        /** A valid credential holding {@code scope} (or {@code admin}). */
        record Scoped(Scope scope) implements Access {
            public Scoped { Objects.requireNonNull(scope, "scope"); }
        }

        /**
         * Operational endpoints ({@code /metrics}, {@code /debug/*}): the {@code admin} scope, or no credentials at
         * all when debug mode is on and the request comes from the loopback interface.
         */
        record AdminOrLocalDebug() implements Access { }

        Access PUBLIC = new Public();
        Access ADMIN_OR_LOCAL_DEBUG = new AdminOrLocalDebug();

        static Access scope(Scope scope) { return new Scoped(scope); }
    }
}
