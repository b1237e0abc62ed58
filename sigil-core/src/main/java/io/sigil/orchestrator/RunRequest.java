package io.sigil.orchestrator;

import io.sigil.errors.InvalidInputError;
import io.sigil.sessions.Caller;

import java.util.Map;

/**
 * One request to Sigil (sigil-design.md section 1). Only {@code message} is required.
 *
 * @param sessionId      continue this session; null starts a new one
 * @param agentName      run this agent; null runs the default assistant (and lets the router pick builder intents)
 * @param model          override the agent's and the configured model ({@code provider:model} or {@code test})
 * @param contractName   hold the output to this contract (overrides the agent's)
 * @param forceStrategy  reason with this strategy instead of choosing by complexity
 * @param maxTokens      token budget for the whole request; null uses the configured total
 * @param timeoutSeconds deadline for the whole request; null uses the default
 * @param caller         who asks: owns the new session, may continue only its own ({@link Caller}); null means the
 *                       user {@code userId} when one is given, else the local administrator (CLI, library)
 * @param schemaContract a contract made for this request (an OpenAI {@code response_format} schema); used only when
 *                       neither {@code contractName} nor the agent names one (a declared contract wins)
 * @param conversation   turns and tools the caller keeps itself ({@link Conversation#NONE} when none)
 */
public record RunRequest(String message, String sessionId, String userId, String agentName, String model,
                         Map<String, Object> context, String contractName, String forceStrategy, Long maxTokens,
                         Double timeoutSeconds, String correlationId, Map<String, String> metadata, Caller caller,
                         io.sigil.contracts.Contract schemaContract, Conversation conversation) {

    public RunRequest(String message, String sessionId, String userId, String agentName, String model,
                      Map<String, Object> context, String contractName, String forceStrategy, Long maxTokens,
                      Double timeoutSeconds, String correlationId, Map<String, String> metadata, Caller caller) {
        this(message, sessionId, userId, agentName, model, context, contractName, forceStrategy, maxTokens,
                timeoutSeconds, correlationId, metadata, caller, null, null);
    }

    public RunRequest(String message, String sessionId, String userId, String agentName, String model,
                      Map<String, Object> context, String contractName, String forceStrategy, Long maxTokens,
                      Double timeoutSeconds, String correlationId, Map<String, String> metadata) {
        this(message, sessionId, userId, agentName, model, context, contractName, forceStrategy, maxTokens,
                timeoutSeconds, correlationId, metadata, null);
    }

    public RunRequest {
        if (caller == null) caller = userId == null ? Caller.LOCAL_ADMIN : Caller.user(userId);
        if (userId == null) userId = caller.subject();
        if (message == null || message.isBlank()) {
            throw new InvalidInputError("The request message is empty", "Say what the agent should do.");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidInputError("max_tokens must be at least 1, got " + maxTokens, null);
        }
        if (timeoutSeconds != null && !(timeoutSeconds > 0)) {
            throw new InvalidInputError("timeout_seconds must be positive, got " + timeoutSeconds, null);
        }
        context = context == null ? Map.of() : Map.copyOf(context);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        correlationId = correlationId == null || correlationId.isBlank() ? io.sigil.events.Ids.string() : correlationId;
        conversation = conversation == null ? Conversation.NONE : conversation;
    }

    public static RunRequest of(String message) { return builder(message).build(); }

    /** The same request with another message (the injection guard's sanitised text). */
    public RunRequest withMessage(String newMessage) {
        return new RunRequest(newMessage, sessionId, userId, agentName, model, context, contractName, forceStrategy,
                maxTokens, timeoutSeconds, correlationId, metadata, caller);
    }

    public static Builder builder(String message) { return new Builder(message); }

    /** Optional parts by name, so callers set only what they need. */
    public static final class Builder {
        private final String message;
        private String sessionId, userId, agentName, model, contractName, forceStrategy, correlationId;
        private Map<String, Object> context = Map.of();
        private Map<String, String> metadata = Map.of();
        private Long maxTokens;
        private Double timeoutSeconds;
        private Caller caller;
        private io.sigil.contracts.Contract schemaContract;
        private Conversation conversation;

        private Builder(String message) { this.message = message; }

        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        /** The authenticated caller; also the user (memory scope, session owner) unless {@link #userId} is set. */
        public Builder caller(Caller v) { caller = v; return this; }
        public Builder agent(String v) { agentName = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder context(Map<String, Object> v) { context = v; return this; }
        public Builder contract(String v) { contractName = v; return this; }
        public Builder strategy(String v) { forceStrategy = v; return this; }
        public Builder maxTokens(Long v) { maxTokens = v; return this; }
        public Builder timeoutSeconds(Double v) { timeoutSeconds = v; return this; }
        public Builder correlationId(String v) { correlationId = v; return this; }
        public Builder metadata(Map<String, String> v) { metadata = v; return this; }
        /** A contract for this request alone; the request's or agent's named contract wins over it. */
        public Builder schemaContract(io.sigil.contracts.Contract v) { schemaContract = v; return this; }
        public Builder conversation(Conversation v) { conversation = v; return this; }

        public RunRequest build() {
            return new RunRequest(message, sessionId, userId, agentName, model, context, contractName, forceStrategy,
                    maxTokens, timeoutSeconds, correlationId, metadata, caller, schemaContract, conversation);
        }
    }
}
