package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.agents.AgentDefinition;
import io.sigil.approval.ApprovalGate;
import io.sigil.context.ContextManager;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.memory.Scope;
import io.sigil.memory.ScopeAccess;
import io.sigil.reasoning.ReasoningManager;
import io.sigil.sessions.Session;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tokens.TokenTracker;
import io.sigil.tools.ScopedTool;
import io.sigil.tools.Tool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolObserver;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What every stage of one run shares once its session is open: what is run ({@link Input}), where the run tells
 * what happens ({@link Outputs}) and the model it spends its token budget on ({@link Budgeted}). The stages
 * ({@link ReasonStage}, {@link PlanStage}, {@link ClientTurnStage}, {@link ApprovalStage}) read it through the
 * accessors below; only {@link RequestRun} makes it.
 */
record RunContext(Orchestrator o, Input input, Outputs outputs, Budgeted budgeted) {
    static final ObjectMapper JSON = io.sigil.json.JsonFactories.mapper().build();

    /** The request as prepared (agent, session, model, contract) and the ids the run goes by. */
    record Input(String requestId, String sessionId, RunRequest request, Orchestrator.Prepared prepared) { }

    /** Streamed to the caller as it happens, noted in the response, recorded as the session's events. */
    record Outputs(RunListener listener, RunNotes notes, QueuedEventSink events) { }

    /** The request's model, its every call observed and counted against the run's one token budget. */
    record Budgeted(ChatModel model, TokenTracker tracker) { }

    String requestId() { return input.requestId(); }

    String sessionId() { return input.sessionId(); }

    RunRequest request() { return input.request(); }

    Orchestrator.Prepared prepared() { return input.prepared(); }

    RunListener listener() { return outputs.listener(); }

    RunNotes notes() { return outputs.notes(); }

    QueuedEventSink events() { return outputs.events(); }

    ChatModel model() { return budgeted.model(); }

    TokenTracker tracker() { return budgeted.tracker(); }

    AgentDefinition agent() { return prepared().agent(); }

    void warn(String message) { notes().warn(message); }

    boolean memoryOn() {
        return o.config.features().memory() && (agent() == null || agent().memoryEnabled());
    }

    /** The run's memory scope: the caller's own, per agent, as {@link ScopeAccess} allows it. */
    Scope scope() {
        return ScopeAccess.check(request().caller(), new Scope(request().userId(), agent() == null ? null : agent().name()),
                ScopeAccess.Use.WRITE);
    }

    String instructions() {
        return agent() == null ? "You are Sigil, a precise and honest assistant." : agent().systemPrompt();
    }

    /** The request's context and the recalled memories, as the background of a prompt. */
    String background(List<String> memories) {
        StringBuilder sb = new StringBuilder();
        if (!request().context().isEmpty()) {
            sb.append("Request context: ").append(JSON.valueToTree(request().context()).toString());
        }
        if (!memories.isEmpty()) sb.append(sb.isEmpty() ? "" : "\n\n").append(ContextManager.recalledBlock(memories));
        return sb.toString();
    }

    /** The conversation so far: the session's user and assistant messages, or the history the caller sent. */
    List<Message> history() {
        Session session = prepared().session();
        if (session == null) return request().conversation().history();
        List<Message> out = new ArrayList<>();
        for (var m : session.messages()) {
            if ("user".equals(m.role())) out.add(Message.user(m.content() == null ? "" : m.content()));
            else if ("assistant".equals(m.role())) out.add(Message.assistant(m.content()));
        }
        return out;
    }

    /** The tokens left in the run's budget (at least 1), or null without a budget. */
    Long remaining() {
        long max = tracker().budget().maxTotalTokens();
        return max <= 0 ? null : Math.max(1, max - tracker().used().totalTokens());
    }

    /** A strategy may overrun the budget by its last call; the run then ends as a budget failure. */
    void requireWithinBudget() {
        if (tracker().utilization() > 1.0) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, tracker().used().totalTokens(),
                    tracker().budget().maxTotalTokens());
        }
    }

    /** The ids every model call of the run carries (session, correlation, agent). */
    Map<String, String> metadataForCalls() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ChatRequest.SESSION_ID, sessionId());
        m.put(ChatRequest.CORRELATION_ID, request().correlationId());
        if (agent() != null) m.put(ChatRequest.AGENT_ID, agent().name());
        return m;
    }

    /** Adds {@link #metadataForCalls()} to a model call being built. */
    UnaryOperator<ChatRequest.Builder> callTemplate() {
        var calls = metadataForCalls();
        return b -> {
            calls.forEach(b::metadata);
            return b;
        };
    }

    ReasoningManager reasoning(ToolRegistry registry, ApprovalGate gate) {
        return ReasoningManager.standard(model(), null, tools(registry), gate, o.reasoningMetrics);
    }

    /** An executor whose every call and result reach the run's listener (streamed as tool_call, tool_result). */
    ToolExecutor tools(ToolRegistry registry) {
        return new ToolExecutor(registry).observed(new ToolObserver() {
            @Override
            public void called(ToolCall call) { listener().toolCalled(call); }

            @Override
            public void returned(ToolCall call, ToolResult result) { listener().toolReturned(result); }
        });
    }

    /**
     * The tools the agent may call: its list, or every registered tool for the default assistant; tools with side
     * effects only when the agent's definition allows them by name (never for the default assistant).
     */
    ToolRegistry agentTools() {
        AgentDefinition agent = agent();
        ToolRegistry allowed = new ToolRegistry();
        if (agent == null) {
            for (var tool : o.tools.tools()) if (!tool.sideEffects()) allowed.register(bound(tool));
            return allowed;
        }
        for (String name : agent.tools()) {
            var tool = o.tools.lookup(name);
            if (tool.isEmpty()) {
                warn("agent " + agent.name() + " lists tool '" + name + "', which is not available (a service"
                        + " without its key, an MCP server that is down, or a typo; see sigil tools list)");
            } else if (tool.get().sideEffects() && !agent.sideEffectTools().contains(name)) {
                warn("agent " + agent.name() + " lists tool '" + name + "', which has side effects; it is withheld"
                        + " until the agent also lists it under side_effect_tools");
            } else {
                allowed.register(bound(tool.get()));
            }
        }
        return allowed;
    }

    /** Memory tools act in this run's scope, never in the one they were registered with. */
    private Tool bound(Tool tool) {
        return tool instanceof ScopedTool scoped ? scoped.inScope(scope()) : tool;
    }
}
