package io.sigil.server;

import io.javalin.websocket.WsConfig;

/**
 * A WebSocket endpoint: its {@link Route} (a GET path and who may connect; listed in {@code /openapi.json}) and its
 * connection handlers. The handshake goes through the same guard as REST requests (credentials, scope, rate
 * limit) before the upgrade; the handlers find the caller with
 * {@link io.sigil.server.http.RequestContext#principal(io.javalin.websocket.WsContext)}.
 */
public interface SocketEndpoint {

    Route route();

    void configure(WsConfig ws);
}
