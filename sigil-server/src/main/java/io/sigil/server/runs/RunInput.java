package io.sigil.server.runs;

import java.util.Map;

/**
 * What a client asks an agent to do, from a REST body or a WebSocket message.
 *
 * @param user    the authenticated caller's subject (memory scope, events)
 * @param model   overrides the agent's model ({@code test} is the offline test model); null keeps it
 */
public record RunInput(String agent, String message, String sessionId, Map<String, Object> context, String model,
                       String user) {
    public RunInput {
        context = context == null ? Map.of() : Map.copyOf(context);
    }
}
