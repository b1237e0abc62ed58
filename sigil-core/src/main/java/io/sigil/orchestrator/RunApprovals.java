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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The approval side of one run: which calls the gate holds (the deployment's rules with the agent's overrides), the
 * tools a run that cannot pause may use (none that needs approval: a plan step or a client-tools turn cannot wait for
 * a person; only ReAct checkpoints its loop), and the result of the call a
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

    /** The tools of {@code registry} whose calls need approval, each with why (in registry order). */
    Map<String, String> held(AgentDefinition agent, ToolRegistry registry) {
        ApprovalRules r = rulesFor(agent);
        Map<String, String> out = new LinkedHashMap<>();
        for (var tool : registry.tools()) r.reason(tool).ifPresent(reason -> out.put(tool.name(), reason));
        return out;
    }

    /**
     * The registry without the tools that need approval, for a run that cannot pause for a decision (only ReAct
     * runs can): each is withheld with a warning naming the kind of run ({@code run}) and how to use the tool.
     */
    ToolRegistry withoutHeld(AgentDefinition agent, ToolRegistry registry, HeldIn run, Consumer<String> warn) {
        Map<String, String> held = held(agent, registry);
        ToolRegistry out = new ToolRegistry();
        for (var tool : registry.tools()) {
            String reason = held.get(tool.name());
            if (reason != null) {
                warn.accept("tool '" + tool.name() + "' needs approval (" + reason + "), which " + run.what
                        + " cannot wait for (only ReAct runs pause for a decision); it is withheld (" + run.remedy + ")");
            } else {
                out.register(tool);
            }
        }
        return out;
    }

    /** The runs that cannot pause for a decision, and how a user gets the held tool used instead. */
    enum HeldIn {
        PLAN("a planned run", "turn planning off for this agent to use it"),
        CLIENT_TOOLS("a run with client tools", "run the agent without client tools to use it");

        final String what;
        final String remedy;

        HeldIn(String what, String remedy) {
            this.what = what;
            this.remedy = remedy;
        }
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
