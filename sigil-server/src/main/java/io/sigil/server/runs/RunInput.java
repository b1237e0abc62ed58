package io.sigil.server.runs;

import java.util.Map;

/**
 * What a client asks an agent to do, from a REST body or a WebSocket message.
 *
 * @param caller  the authenticated caller: owns a new session, may continue only its own, and its subject is the
 *                user of the memory scope and the author of the message
 * @param model   overrides the agent's model ({@code test} is the offline test model); null keeps it
 * @param schemaContract a contract for this request alone (the agent's own wins); null: none
 * @param conversation   turns and tools the client keeps itself (the OpenAI-compatible API); null: none
 * @param maxTokens      the run's token budget; null: the configured one
 * @param resume         non-null: not a new request but a paused run going on after a human decision (the rest is
 *                       then taken from the events)
 */
public record RunInput(String agent, String message, String sessionId, Map<String, Object> context, String model,
                       io.sigil.sessions.Caller caller, io.sigil.contracts.Contract schemaContract,
                       io.sigil.orchestrator.Conversation conversation, Long maxTokens,
                       io.sigil.approval.ApprovalResume resume) {
    public RunInput {
        context = context == null ? Map.of() : Map.copyOf(context);
        java.util.Objects.requireNonNull(caller, "caller");
        conversation = conversation == null ? io.sigil.orchestrator.Conversation.NONE : conversation;
    }

    public RunInput(String agent, String message, String sessionId, Map<String, Object> context, String model,
                    io.sigil.sessions.Caller caller) {
        this(agent, message, sessionId, context, model, caller, null, null, null, null);
    }

    /** A request of the OpenAI-compatible API: its schema contract, the client's conversation and budget. */
    public RunInput(String agent, String message, String sessionId, Map<String, Object> context, String model,
                    io.sigil.sessions.Caller caller, io.sigil.contracts.Contract schemaContract,
                    io.sigil.orchestrator.Conversation conversation, Long maxTokens) {
        this(agent, message, sessionId, context, model, caller, schemaContract, conversation, maxTokens, null);
    }

    /** The continuation of a run after a decision, for the decider. */
    public static RunInput resuming(io.sigil.approval.ApprovalResume resume, io.sigil.sessions.Caller caller) {
        return new RunInput(resume.agent(), resume.message(), resume.sessionId(), Map.of(), resume.model(), caller, null,
                null, null, resume);
    }
}
