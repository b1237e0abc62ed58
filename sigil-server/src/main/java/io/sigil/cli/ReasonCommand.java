package io.sigil.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.config.Settings;
import io.sigil.errors.ReasoningError;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ModelResolver;
import io.sigil.reasoning.ReasoningManager;
import io.sigil.reasoning.ReasoningOutcome;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.reasoning.StrategyResult;
import io.sigil.reasoning.TraceEntry;
import io.sigil.routing.RouteDecision;
import io.sigil.routing.Routers;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sigil reason "task"}: runs a reasoning strategy (chosen by the task's routed complexity, or forced
 * with {@code --strategy}) and prints the strategy, its trace and the answer. Built-in tools available to ReAct:
 * {@code current_time}.
 */
@Command(name = "reason", mixinStandardHelpOptions = true,
        description = "Reason about a task with a strategy and show the trace and the answer.")
public final class ReasonCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TASK", description = "The task (words are joined with spaces).")
    List<String> task;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "direct, chain_of_thought, tree_of_thoughts, react or mcts (default: by complexity).")
    String strategy;

    /** {@code -m/--model} (anthropic:..., openai:..., ollama:..., test) and {@code --base-url}. */
    @Mixin
    LlmCommand.ModelOptions modelOptions;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Token budget; narrows the strategy's own range.")
    Long maxTokens;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Settings settings = SigilCommand.root(spec).settings();
        String text = String.join(" ", task);
        ReasoningRequest request = new ReasoningRequest(text, null, maxTokens);
        StrategyName forced = strategy == null ? null : StrategyName.parse(strategy);
        ChatModel chat = new ModelResolver(modelOptions.apply(settings.llm())).resolve(modelOptions.model);
        ToolExecutor tools = new ToolExecutor(ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC())));
        ReasoningManager manager = ReasoningManager.standard(chat, null, tools, new SimpleMeterRegistry());

        List<Map<String, Object>> events = new ArrayList<>();
        io.sigil.events.EventSink sink = (type, payload) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", type.wireName());
            e.put("payload", payload);
            events.add(e);
        };
        ReasoningOutcome outcome;
        RouteDecision route = null;
        if (forced != null) {
            outcome = manager.reason(request, forced, sink);
        } else {
            route = Routers.forMode(settings.routing().mode(), () -> chat, null).route(text);
            outcome = manager.reason(request, route.complexity(), sink);
        }

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(RouteCommand.JSON.writeValueAsString(toJson(outcome, route, events)));
        } else {
            print(outcome, events, out);
        }
        out.flush();
        if (!outcome.success()) {
            throw new ReasoningError("every strategy tried failed; the last, " + outcome.result().strategy()
                    + ", with: " + outcome.result().error(),
                    "see the trace above; try --model with another model, a larger --max-tokens or a simpler task");
        }
        return ExitCodes.OK;
    }

    private static void print(ReasoningOutcome o, List<Map<String, Object>> events, PrintWriter out) {
        out.printf(Locale.ROOT, "strategy:   %s (%s)%n", o.selected(), o.selectionReason());
        for (StrategyResult attempt : o.attempts()) {
            out.printf(Locale.ROOT, "%n== %s: %s, %d tokens, %d ms%s%n", attempt.strategy(),
                    attempt.success() ? "succeeded" : "failed", attempt.tokensUsed(), attempt.time().toMillis(),
                    attempt.model() == null ? "" : ", model " + attempt.model());
            for (TraceEntry t : attempt.trace()) {
                String[] lines = t.text().split("\\R");
                out.printf(Locale.ROOT, "  %-11s %s%n", t.kind(), lines[0]);
                for (int i = 1; i < lines.length; i++) out.printf(Locale.ROOT, "  %-11s %s%n", "", lines[i]);
            }
        }
        for (Map<String, Object> e : events) {
            if (e.get("type").equals(EventType.REASONING_FALLBACK.wireName())) {
                @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) e.get("payload");
                out.printf(Locale.ROOT, "%nfallback:   %s -> %s (%s)", p.get("from_strategy"), p.get("to_strategy"), p.get("reason"));
            }
        }
        StrategyResult r = o.result();
        out.println();
        if (r.success()) {
            out.printf(Locale.ROOT, "%nanswer (%s, confidence %.2f):%n%s%n", r.strategy(), r.confidence(), r.answer());
        }
        out.printf(Locale.ROOT, "%ntokens: %d in total, fallbacks: %d%n", o.totalTokens(), o.fallbacks());
    }

    private static Map<String, Object> toJson(ReasoningOutcome o, RouteDecision route, List<Map<String, Object>> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("selected", o.selected().wireName());
        m.put("selection_reason", o.selectionReason());
        if (route != null) {
            m.put("route", RouteCommand.obj("intent", route.intent().wireName(), "complexity", RouteCommand.round(route.complexity())));
        }
        StrategyResult r = o.result();
        m.put("strategy", r.strategy().wireName());
        m.put("success", r.success());
        m.put("answer", r.answer());
        m.put("confidence", RouteCommand.round(r.confidence()));
        m.put("tokens_used", o.totalTokens());
        m.put("fallbacks", o.fallbacks());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (StrategyResult a : o.attempts()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("strategy", a.strategy().wireName());
            am.put("success", a.success());
            am.put("answer", a.answer());
            am.put("confidence", RouteCommand.round(a.confidence()));
            am.put("tokens_used", a.tokensUsed());
            am.put("time_ms", a.time().toMillis());
            am.put("model", a.model());
            am.put("error", a.error());
            am.put("reasoning_trace", a.trace().stream().map(t -> RouteCommand.obj("kind", t.kind(), "text", t.text())).toList());
            attempts.add(am);
        }
        m.put("attempts", attempts);
        m.put("events", events);
        return m;
    }
}
