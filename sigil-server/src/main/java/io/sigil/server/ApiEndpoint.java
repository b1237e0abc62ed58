package io.sigil.server;

import io.javalin.http.Context;

/**
 * One REST operation: its {@link Route} (method, path template, who may call it, OpenAPI summary) and its handler.
 * Adding an endpoint to the server is one class implementing this, passed to {@link SigilServer}; authentication,
 * scopes, rate limits, errors, metrics, access logs and the OpenAPI document follow from the route.
 *
 * <p>Most endpoints are built with {@link io.sigil.server.http.Endpoints} (answer JSON, a page of a list, a body
 * then an answer, 204). Handlers read bodies with {@link io.sigil.server.http.JsonBodies}, page lists with
 * {@link io.sigil.server.http.PageRequest}, and report failures by throwing: a {@link io.sigil.errors.SigilError}
 * (mapped to its HTTP status) or an {@link io.sigil.server.http.ApiProblem}.
 */
public interface ApiEndpoint {

    Route route();

    void handle(Context ctx) throws Exception;
}
