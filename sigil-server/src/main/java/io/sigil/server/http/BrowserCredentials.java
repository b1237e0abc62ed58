package io.sigil.server.http;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Credentials a browser presents without headers, for a WebSocket handshake (browsers cannot set headers on one):
 * the operator console's login cookie. Only consulted when the handshake carries no credential of its own.
 */
@FunctionalInterface
public interface BrowserCredentials {
    /** The two credential headers as the authenticator takes them (one of them null). */
    record Credentials(String authorization, String apiKey) { }

    /** The credentials of the request's login; empty when it has none, or it comes from another site. */
    Optional<Credentials> of(Context ctx);

    BrowserCredentials NONE = ctx -> Optional.empty();
}
