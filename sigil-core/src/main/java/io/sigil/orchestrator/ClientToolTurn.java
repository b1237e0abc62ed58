package io.sigil.orchestrator;

import io.sigil.errors.ReasoningError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The answer of a run with client tools ({@link Conversation}): native tool calling over the conversation as the
 * caller sent it. The agent's own tools run here, as in ReAct; the first model turn that calls a client tool ends
 * the run with those calls, for the caller to execute and send back (calls of agent tools in that same turn are
 * dropped: the model asks again after the caller's results if it still needs them). A turn without tool calls is
 * the answer.
 */
final class ClientToolTurn {
    static final int MAX_ITERATIONS = 10;

    /** The final text, or the client tool calls the run ends with (then the text is the model's words beside them). */
    record Outcome(String text, List<ToolCall> clientCalls) { }

    /**
     * The agent's side of the turn: its tools (without those that need approval), where their calls are recorded, and
     * the held tools with why: this turn cannot pause for a decision, so a call of one is refused, not run.
     */
    record AgentTools(ToolExecutor executor, EventSink events, Map<String, String> held) { }

    private final ChatModel model;
    private final ToolExecutor agentTools;
    private final EventSink events;
    private final Map<String, String> held;
    private final UnaryOperator<ChatRequest.Builder> template;

    /** @param template adds the run's call metadata (session, agent, correlation ids) to each model call */
    ClientToolTurn(ChatModel model, AgentTools tools, UnaryOperator<ChatRequest.Builder> template) {
        this.model = model;
        this.agentTools = tools.executor();
        this.events = tools.events();
        this.held = Map.copyOf(tools.held());
        this.template = template;
    }

    Outcome answer(String system, List<Message> conversation, List<ToolSpec> clientTools, ToolChoice choice) {
        Set<String> clientNames = clientTools.stream().map(ToolSpec::name).collect(Collectors.toSet());
        List<ToolSpec> offered = new ArrayList<>(clientTools);
        agentTools.registry().specs().stream().filter(s -> !clientNames.contains(s.name())).forEach(offered::add);
        List<Message> messages = new ArrayList<>(conversation);
        for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
            // The caller's tool choice binds the first call only: after the agent's own tool results the model
            // must be free to answer, or a 'required' choice would loop.
            ChatResponse r = model.chat(template.apply(ChatRequest.builder().system(system).messages(messages)
                    .tools(offered).toolChoice(iteration == 1 ? choice : ToolChoice.AUTO)).build());
            if (!r.hasToolCalls()) return new Outcome(r.text().strip(), List.of());
            List<ToolCall> client = r.toolCalls().stream().filter(c -> clientNames.contains(c.name())).toList();
            if (!client.isEmpty()) return new Outcome(r.text().strip(), client);
            messages.add(new Message.Assistant(r.text(), r.toolCalls()));
            for (ToolCall call : r.toolCalls()) {
                ToolResult result = held.containsKey(call.name()) ? refused(call) : agentTools.execute(call);
                events.emit(EventType.TOOL_CALLED, event(call, result));
                messages.add(result.toMessage());
            }
        }
        throw new ReasoningError("The model called the agent's tools " + MAX_ITERATIONS + " times without answering",
                "Try a more specific request or fewer tools.");
    }

    /** A held tool's call: not run; the model is told why, so it can answer without it. */
    private ToolResult refused(ToolCall call) {
        String text = "Tool " + call.name() + " needs human approval (" + held.get(call.name()) + "), and a run with"
                + " client tools cannot wait for one (only ReAct runs pause for a decision); it was not run. Answer"
                + " without it.";
        return new ToolResult(call.id(), call.name(), text, true, false, text.length(), java.time.Duration.ZERO);
    }

    private Map<String, Object> event(ToolCall call, ToolResult result) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tool", call.name());
        agentTools.registry().lookup(call.name()).ifPresent(t -> {
            p.put("source", t.source());
            p.put("side_effects", t.sideEffects());
        });
        p.put("call_id", call.id());
        p.put("arguments", String.valueOf(call.arguments()));
        p.put("is_error", result.isError());
        p.put("truncated", result.truncated());
        p.put("duration_ms", result.duration().toMillis());
        if (held.containsKey(call.name())) p.put("refused", "needs approval");
        return p;
    }
}
