package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.ReasoningError;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.tools.ToolRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * A run with the caller's own tools ({@link Conversation}): one tool-calling turn ({@link ClientToolTurn}) over the
 * conversation as the caller keeps it, with the agent's instructions, the request context and recalled memories as
 * its system prompt. The turn cannot pause for a human decision, so the agent's tools that need approval are withheld
 * (with a warning) and a call of one is refused.
 */
final class ClientTurnStage {
    static final String STRATEGY = "client_tools";
    private final RunContext run;
    private final RunApprovals approvals;

    ClientTurnStage(RunContext run, RunApprovals approvals) {
        this.run = run;
        this.approvals = approvals;
    }

    Draft answer(List<String> memories) {
        Conversation c = run.request().conversation();
        List<Message> messages = new ArrayList<>();
        if (c.resumed().isEmpty()) {
            messages.addAll(run.history());
            messages.add(Message.user(run.request().message()));
        } else {
            messages.addAll(c.history());
            messages.addAll(c.resumed());
        }
        String background = run.background(memories);
        String system = run.instructions() + (background.isEmpty() ? "" : "\n\n" + background);
        ToolRegistry all = run.agentTools();
        var tools = new ClientToolTurn.AgentTools(run.tools(approvals.withoutHeld(run.agent(), all,
                RunApprovals.HeldIn.CLIENT_TOOLS, run::warn)), run.events(), approvals.held(run.agent(), all));
        ClientToolTurn.Outcome outcome = new ClientToolTurn(run.model(), tools, run.callTemplate())
                .answer(system, messages, c.tools(), c.toolChoice());
        run.notes().metadata.put("strategy", STRATEGY);
        run.listener().strategySelected(STRATEGY, "the caller sent tools it runs itself");
        if (outcome.clientCalls().isEmpty() && outcome.text().isEmpty()) {
            throw new ReasoningError("The model ended without an answer or a tool call", "Try again or rephrase the request.");
        }
        return new Draft(outcome.text(), null, true, List.of(), outcome.clientCalls());
    }

    /** The run's output when it ends with client tool calls: {@code {tool_calls: [{id, name, arguments}]}}. */
    static ObjectNode callsJson(List<ToolCall> calls) {
        ObjectNode out = RunContext.JSON.createObjectNode();
        var array = out.putArray("tool_calls");
        for (ToolCall call : calls) {
            array.addObject().put("id", call.id()).put("name", call.name()).set("arguments", call.arguments());
        }
        return out;
    }
}
