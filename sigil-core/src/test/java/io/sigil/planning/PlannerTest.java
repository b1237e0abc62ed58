package io.sigil.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.PlanExecutionError;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {
    private static final List<String> STRATEGIES = List.of("direct", "chain_of_thought");
    private static final Function<ChatRequest.Builder, ChatRequest.Builder> AS_IS = b -> b;
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final ToolSpec clockTool = new ToolSpec("current_time", "Current UTC time",
            new ObjectMapper().createObjectNode().put("type", "object"));

    private Planner planner(TestModel model) {
        return new Planner(model, new PlanCache(clock, Duration.ofHours(24), 100), clock, 10, STRATEGIES);
    }

    @Test
    void turnsTheModelsStructuredOutputIntoAValidatedPlan() {
        TestModel model = TestModel.queueText("""
                Here is the plan:
                ```json
                {"steps": [
                  {"id": "now", "description": "Get the time", "type": "tool_call", "depends_on": [],
                   "tool": "current_time", "args": {}},
                  {"id": "answer", "description": "Say the time", "type": "reasoning", "depends_on": ["now"],
                   "strategy": "direct"}]}
                ```""");

        Planner.Outcome outcome = planner(model).plan("What time is it?", List.of(clockTool), "", AS_IS);

        assertThat(outcome.cached()).isFalse();
        assertThat(outcome.plan().steps()).extracting(PlanStep::stepId).containsExactly("now", "answer");
        assertThat(outcome.plan().step("now").orElseThrow().toolName()).isEqualTo("current_time");
        assertThat(outcome.plan().step("answer").orElseThrow().strategyHint()).isEqualTo("direct");
        ChatRequest sent = model.requests().getFirst();
        assertThat(sent.outputSchema()).isNotNull();
        assertThat(((Message.User) sent.messages().getFirst()).text()).contains("current_time: Current UTC time");
    }

    @Test
    void repairsAnInvalidPlanOnceWithEveryProblemListed() {
        TestModel model = TestModel.queueText(
                "{\"steps\": [{\"id\": \"a\", \"type\": \"reasoning\", \"depends_on\": [\"ghost\"]},"
                        + " {\"id\": \"b\", \"type\": \"tool_call\", \"tool\": \"rm_rf\", \"depends_on\": []}]}",
                "{\"steps\": [{\"id\": \"a\", \"description\": \"think\", \"type\": \"reasoning\", \"depends_on\": []}]}");

        Planner.Outcome outcome = planner(model).plan("goal", List.of(), null, AS_IS);

        assertThat(outcome.modelCalls()).isEqualTo(2);
        assertThat(outcome.plan().steps()).hasSize(1);
        String repair = ((Message.User) model.requests().get(1).messages().getFirst()).text();
        assertThat(repair).contains("depends on unknown step 'ghost'").contains("uses tool 'rm_rf'");
    }

    @Test
    void failsClearlyAfterTheRepairAttempt() {
        TestModel model = TestModel.queueText("no json here", "{\"steps\": []}");

        assertThatThrownBy(() -> planner(model).plan("goal", List.of(), null, AS_IS))
                .isInstanceOf(PlanExecutionError.class)
                .hasMessageContaining("no valid plan").hasMessageContaining("the plan has no steps");
    }

    @Test
    void servesTheSameGoalToolsAndContextFromTheCache() {
        TestModel model = TestModel.queueText(
                "{\"steps\": [{\"id\": \"a\", \"description\": \"x\", \"type\": \"reasoning\", \"depends_on\": []}]}");
        Planner planner = planner(model);

        Planner.Outcome first = planner.plan("goal", List.of(clockTool), "ctx", AS_IS);
        Planner.Outcome second = planner.plan("goal", List.of(clockTool), "ctx", AS_IS);

        assertThat(second.cached()).isTrue();
        assertThat(second.plan()).isSameAs(first.plan());
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void refusesAnEmptyGoal() {
        assertThatThrownBy(() -> planner(TestModel.queueText()).plan("  ", List.of(), null, AS_IS))
                .isInstanceOf(PlanExecutionError.class).hasMessage("Cannot plan an empty goal");
    }
}
