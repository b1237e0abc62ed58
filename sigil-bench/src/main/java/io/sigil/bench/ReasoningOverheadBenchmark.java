package io.sigil.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigil.events.EventSink;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.StopReason;
import io.sigil.llm.ToolCall;
import io.sigil.llm.Usage;
import io.sigil.reasoning.ChainOfThoughtStrategy;
import io.sigil.reasoning.DirectStrategy;
import io.sigil.reasoning.MctsStrategy;
import io.sigil.reasoning.ReactStrategy;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.ReasoningStrategy;
import io.sigil.reasoning.StrategyResult;
import io.sigil.reasoning.TreeOfThoughtsStrategy;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Framework overhead of each reasoning strategy: prompts, budget accounting, parsing, the MCTS tree, ReAct's tool
 * execution (current_time on a virtual thread) and the trace, with a model that answers instantly from responses
 * built once. {@code baselineModelOnly} makes the same number of calls to the same model with one fixed request,
 * so the difference between the two is what Sigil adds per run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ReasoningOverheadBenchmark {

    /** Answers instantly: a score for scoring calls, a tool call on ReAct's first turn, else a parsed-style text. */
    static final class InstantModel implements ChatModel {
        private static final Usage USAGE = Usage.of(100, 20);
        private final ChatResponse score = response("{\"score\": 7}", List.of());
        private final ChatResponse text = response("1. Read the task.\n2. Work it out.\nFinal answer: 42", List.of());
        private final ChatResponse toolCall = response("", List.of(
                new ToolCall("call_1", CurrentTimeTool.NAME, JsonNodeFactory.instance.objectNode())));

        private static ChatResponse response(String text, List<ToolCall> calls) {
            return new ChatResponse(text, calls, calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_USE, USAGE,
                    "instant", "bench", Duration.ZERO, null);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            if (request.outputSchema() != null) return score;
            if (!request.tools().isEmpty() && request.messages().getLast() instanceof Message.User) return toolCall;
            return text;
        }

        @Override
        public String provider() { return "bench"; }
    }

    @Param({"direct", "chain_of_thought", "tree_of_thoughts", "react", "mcts"})
    public String strategy;

    private final InstantModel model = new InstantModel();
    private final ReasoningRequest request = ReasoningRequest.of(
            "Plan the migration of a billing service to a new database with no downtime.");
    private final ChatRequest fixedRequest = ChatRequest.of("fixed");
    private ReasoningStrategy subject;
    private int modelCalls;

    @Setup
    public void setUp() {
        ToolExecutor tools = new ToolExecutor(ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC())));
        subject = switch (strategy) {
            case "direct" -> new DirectStrategy(model, null);
            case "chain_of_thought" -> new ChainOfThoughtStrategy(model, null);
            case "tree_of_thoughts" -> new TreeOfThoughtsStrategy(model, null);
            case "react" -> new ReactStrategy(model, null, tools);
            case "mcts" -> new MctsStrategy(model, null);
            default -> throw new IllegalArgumentException(strategy);
        };
        // Calls per run: direct 1, CoT 1, ToT 3 + 3 + 1, ReAct tool turn + answer, MCTS 50 x (expand + score) + solution.
        modelCalls = switch (strategy) {
            case "tree_of_thoughts" -> 7;
            case "react" -> 2;
            case "mcts" -> 101;
            default -> 1;
        };
        StrategyResult check = subject.reason(request, EventSink.NONE);
        if (!check.success()) throw new IllegalStateException(strategy + " failed in setup: " + check.error());
    }

    @Benchmark
    public StrategyResult strategyRun() {
        return subject.reason(request, EventSink.NONE);
    }

    @Benchmark
    public ChatResponse baselineModelOnly() {
        ChatResponse last = null;
        for (int i = 0; i < modelCalls; i++) last = model.chat(fixedRequest);
        return last;
    }
}
