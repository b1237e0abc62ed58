package io.sigil.orchestrator;

import io.sigil.agents.AgentDefinition;
import io.sigil.approval.ApprovalGate;
import io.sigil.approval.ApprovalResume;
import io.sigil.approval.ApprovalRules;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import io.sigil.llm.ToolCall;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The approval side of one run: which calls the gate holds (the deployment's rules with the agent's overrides), the
 * tools a plan may use (none that needs approval: a plan step cannot wait for a person), and the result of the call a
 * human decided when the run resumes (run at most once: a result recorded for the run's call id is reused).
 */
final class RunApprovals {
    private final ApprovalRules rules;
    private final SessionManager sessions;
    private final RunListener listener;

    RunApprovals(ApprovalRules rules, SessionManager sessions, RunListener listener) {
        this.rules = rules;
        this.sessions = sessions;
        this.listener = listener;
    }

    private ApprovalRules rulesFor(AgentDefinition agent) {
        return rules.forAgent(agent == null ? Map.of() : agent.approval());
    }

    /** Holds every call of a tool in {@code registry} whose policy requires approval. */
    ApprovalGate gate(AgentDefinition agent, ToolRegistry registry) {
        ApprovalRules r = rulesFor(agent);
        return call -> registry.lookup(call.name()).flatMap(r::reason);
    }

    /** The registry without the tools that need approval, each withheld with a warning. */
    ToolRegistry withoutHeld(AgentDefinition agent, ToolRegistry registry, Consumer<String> warn) {
        ApprovalRules r = rulesFor(agent);
        ToolRegistry out = new ToolRegistry();
        for (var tool : registry.tools()) {
            Optional<String> held = r.reason(tool);
            if (held.isPresent()) {
                warn.accept("tool '" + tool.name() + "' needs approval (" + held.get() + "), which a planned run"
                        + " cannot wait for; it is withheld from the plan (turn planning off for this agent to use it)");
            } else {
                out.register(tool);
            }
        }
        return out;
    }

    /**
     * The decided call's result: the denial, a result this run already recorded for the call id, or the tool's
     * output now (recorded in {@code tool.called} with the run id, so it is never run twice for this run).
     */
    ToolResult decidedResult(ApprovalResume resume, ToolRegistry registry, ToolExecutor executor, EventSink events,
                             String runId) {
        ToolCall call = resume.call();
        if (!resume.approved()) {
            String text = resume.denialText();
            ToolResult denied = new ToolResult(call.id(), call.name(), text, true, false, text.length(), Duration.ZERO);
            listener.toolCalled(call);
            listener.toolReturned(denied);
            Map<String, Object> p = io.sigil.reasoning.ReactStrategy.toolEvent(call, denied, registry.lookup(call.name()));
            p.put("request_id", runId);
            p.put("denied", true);
            p.put("result", text);
            events.emit(EventType.TOOL_CALLED, p);
            return denied;
        }
        Optional<ToolResult> earlier = recorded(resume.sessionId(), runId, call);
        if (earlier.isPresent()) return earlier.get();
        ToolResult result = executor.execute(call);
        Map<String, Object> p = io.sigil.reasoning.ReactStrategy.toolEvent(call, result, registry.lookup(call.name()));
        p.put("request_id", runId);
        p.put("approved", true);
        p.put("result", result.output());
        events.emit(EventType.TOOL_CALLED, p);
        return result;
    }

    private Optional<ToolResult> recorded(String sessionId, String runId, ToolCall call) {
        for (RecordedEvent e : sessions.events(sessionId, EventType.TOOL_CALLED.wireName())) {
            Map<String, Object> p = e.event().payload();
            if (runId.equals(p.get("request_id")) && call.id().equals(p.get("call_id")) && p.get("result") != null) {
                String out = p.get("result").toString();
                return Optional.of(new ToolResult(call.id(), call.name(), out, Boolean.TRUE.equals(p.get("is_error")),
                        Boolean.TRUE.equals(p.get("truncated")), out.length(), Duration.ZERO));
            }
        }
        return Optional.empty();
    }
}
