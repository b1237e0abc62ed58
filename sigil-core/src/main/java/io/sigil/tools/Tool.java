package io.sigil.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.llm.ToolSpec;

import java.time.Duration;

/**
 * A capability an agent can call: built in (memory, current_time), a service (web search, SMS, CRM) or a tool of
 * an MCP server. The registry runs
 * {@link #execute} under {@link #timeout()} and treats what it returns as untrusted data.
 */
public interface Tool {

    /** Unique name, {@code [a-z][a-z0-9_]*}, as the model sees it. */
    String name();

    /** What the tool does and when to use it, written for the model. */
    String description();

    /** JSON Schema of the arguments object. */
    JsonNode inputSchema();

    /**
     * Runs the tool. Arguments have already been validated against {@link #inputSchema()}. A failure the model
     * should see and can react to is a {@link io.sigil.errors.ToolError}.
     *
     * @return the result as text (often JSON) for the model
     */
    String execute(JsonNode arguments);

    default Duration timeout() { return Duration.ofSeconds(30); }

    /**
     * True when a call changes the world outside Sigil (sends a message, places a call, creates or updates a
     * record). Such a tool is never retried blindly, and an agent gets it only when its definition lists it under
     * {@code side_effect_tools} as well as {@code tools}.
     */
    default boolean sideEffects() { return false; }

    /** Where the tool comes from, recorded with each call: {@code builtin}, {@code mcp:<server>}, {@code service:<name>}. */
    default String source() { return "builtin"; }

    /**
     * Whether a call needs a human decision before it runs ({@code approval: always | side_effects | never}); by
     * default only a tool with {@link #sideEffects()} does. The deployment and the agent can override it.
     */
    default io.sigil.approval.ApprovalPolicy approval() { return io.sigil.approval.ApprovalPolicy.SIDE_EFFECTS; }

    default ToolSpec spec() { return new ToolSpec(name(), description(), inputSchema()); }
}
