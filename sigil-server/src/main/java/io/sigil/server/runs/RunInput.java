package io.sigil.server.runs;

import java.util.Map;

/**
 * What a client asks an agent to do, from a REST body or a WebSocket message.
 *
 * @param caller  the authenticated caller: owns a new session, may continue only its own, and its subject is the
 *                user of the memory scope and the author of the message
 * @param model   overrides the agent's model ({@code test} is the offline test model); null keeps it
 */
public record RunInput(String agent, String message, String sessionId, Map<String, Object> context, String model,
                       io.sigil.sessions.Caller caller) {
    public RunInput {
        context = context == null ? Map.of() : Map.copyOf(context);
        java.util.Objects.requireNonNull(caller, "caller");
    }
}
