package io.sigil.mcp.server;

import java.util.List;

/**
 * What the MCP server needs of Sigil: the agents to offer as tools, and a way to run one. Implemented over the
 * orchestrator by the server module; refusals that are the caller's mistake (unknown agent, bad session id,
 * blocked input) are {@link io.sigil.errors.SigilError}s and come back to the MCP client as tool errors.
 */
public interface AgentGateway {

    /** An agent as a tool: its name and what it does. */
    record AgentTool(String name, String description) { }

    /** What a run answered; {@code success} false when it failed or did not meet its contract. */
    record Answer(String text, String sessionId, String status, boolean success) { }

    List<AgentTool> agents();

    /**
     * Runs {@code agent} on {@code message} to the end.
     *
     * @param sessionId an existing session to continue, or null for a new one
     * @param user      the authenticated caller, whose session and memory scope the run uses
     */
    Answer run(String agent, String message, String sessionId, String user);
}
