package io.sigil.planning;

import io.sigil.errors.PlanExecutionError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanValidatorTest {
    private final PlanValidator validator = new PlanValidator(10, Set.of("current_time"));

    @Test
    void acceptsADiamond() {
        var steps = List.of(PlanStep.reasoning("a", "start"), PlanStep.reasoning("b", "left", "a"),
                PlanStep.reasoning("c", "right", "a"), PlanStep.reasoning("d", "join", "b", "c"));

        assertThat(validator.problems(steps)).isEmpty();
        assertThat(PlanValidator.topologicalOrder(steps)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var steps = List.of(PlanStep.reasoning("a", "x", "missing"), PlanStep.reasoning("a", "dup"),
                PlanStep.reasoning("b", "self", "b"),
                new PlanStep("t", "call", StepType.TOOL_CALL, List.of(), "web_search", null, null));

        assertThat(validator.problems(steps)).containsExactlyInAnyOrder(
                "step id 'a' is used twice",
                "step 'a' depends on unknown step 'missing'",
                "step 'b' depends on itself",
                "step 't' uses tool 'web_search', which is not allowed (allowed: current_time)");
    }

    @Test
    void findsCyclesWithKahn() {
        var steps = List.of(PlanStep.reasoning("a", "x", "c"), PlanStep.reasoning("b", "y", "a"),
                PlanStep.reasoning("c", "z", "b"), PlanStep.reasoning("free", "ok"));

        assertThat(validator.problems(steps)).containsExactly("the steps [a, b, c] form a dependency cycle");
    }

    @Test
    void enforcesTheStepLimitAndEmptyPlans() {
        List<PlanStep> many = new ArrayList<>();
        for (int i = 0; i < 11; i++) many.add(PlanStep.reasoning("s" + i, "step"));

        assertThat(validator.problems(many)).containsExactly("the plan has 11 steps; at most 10 are allowed");
        assertThat(validator.problems(List.of())).containsExactly("the plan has no steps");
        assertThatThrownBy(() -> validator.check(List.of())).isInstanceOf(PlanExecutionError.class)
                .hasMessageContaining("the plan has no steps");
    }

    @Test
    void toolStepsMustNameATool() {
        var step = new PlanStep("t", "call", StepType.TOOL_CALL, List.of(), null, null, null);

        assertThat(new PlanValidator(5, Set.of()).problems(List.of(step)))
                .containsExactly("tool_call step 't' names no tool");
    }
}
