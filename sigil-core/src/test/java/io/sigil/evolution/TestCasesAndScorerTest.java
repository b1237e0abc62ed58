package io.sigil.evolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCasesAndScorerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void yamlAndJsonlCasesReadEveryKindOfExpectation() {
        List<TestCase> yaml = TestCases.parseYaml("""
                cases:
                  - input: a
                    expected: {contains: [budget, timeline]}
                    weight: 2
                  - id: j
                    input: b
                    expected: {judge: names a next step}
                    contract: false
                """, "cases.yaml");
        assertThat(yaml.get(0).expected()).isEqualTo(new Expected.Contains(List.of("budget", "timeline")));
        assertThat(yaml.get(0).weight()).isEqualTo(2);
        assertThat(yaml.get(1).id()).isEqualTo("j");
        assertThat(yaml.get(1).useContract()).isFalse();
        List<TestCase> jsonl = TestCases.parseJsonl("{\"input\": \"x\", \"expected\": {\"json_subset\": {\"score\": 5}}}\n"
                + "# a comment\n{\"input\": \"y\", \"expected\": \"exactly\"}\n", "cases.jsonl");
        assertThat(jsonl).extracting(c -> c.expected().kind()).containsExactly("json_subset", "exact");
        assertThat(TestCases.parseJsonl(TestCases.toJsonl(jsonl), "again")).isEqualTo(jsonl);
    }

    @Test
    void everyProblemOfACaseFileIsReportedWithItsPlace() {
        assertThatThrownBy(() -> TestCases.parseJsonl("{\"input\": \"\"}\nnot json\n{\"input\": \"x\", \"wieght\": 2,"
                + " \"expected\": {\"regex\": \"a\"}}\n", "cases.jsonl"))
                .isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("line 1: 'input' must be a non-empty text")
                .hasMessageContaining("line 2: not valid JSON")
                .hasMessageContaining("line 3: unknown field 'wieght'")
                .hasMessageContaining("one of exact, contains, json_subset, judge");
    }

    static CaseRun output(String json, String outcome, List<String> errors) throws Exception {
        return new CaseRun(JSON.readTree(json), "", outcome, errors, List.of(), 10);
    }

    @Test
    void theContractAndTheExpectationScoreTogether() throws Exception {
        Scorer s = new Scorer(null);
        TestCase subset = TestCase.of("c", "in", new Expected.JsonSubset(JSON.readTree("{\"score\": 70, \"tier\": \"a\"}")));
        CaseScore both = s.score(subset, output("{\"score\": 70.0, \"tier\": \"a\"}", "valid", List.of()), true);
        assertThat(both.score()).isEqualTo(1.0);
        assertThat(both.pass()).isTrue();
        CaseScore half = s.score(subset, output("{\"score\": 70, \"tier\": \"b\"}", "partial", List.of("tier: bad")), true);
        assertThat(half.score()).isEqualTo((0.4 + 0.5) / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(half.pass()).isFalse();
        assertThat(half.reasons()).anySatisfy(r -> assertThat(r).contains("contract partial: tier: bad"))
                .anySatisfy(r -> assertThat(r).contains("tier (want \"a\""));
        CaseScore template = s.score(TestCase.ofContract("t", "in"), output("{}", "template", List.of()), true);
        assertThat(template.score()).isZero();
        CaseScore contains = s.score(TestCase.of("k", "in", new Expected.Contains(List.of("Budget", "timeline"))),
                output("{\"answer\": \"the budget is set\"}", null, List.of()), false);
        assertThat(contains.score()).isEqualTo(0.5);
        assertThat(s.score(TestCase.of("e", "in", new Expected.Exact("yes")), output("{\"answer\": \" yes \"}", null,
                List.of()), false).pass()).isTrue();
    }

    @Test
    void aJudgeModelGradesAgainstTheRubric() throws Exception {
        var judge = TestModel.scripted(r -> TestModel.text(r.messages().getFirst().toString().contains("next step")
                ? "{\"score\": 0.4, \"reason\": \"no next step\"}" : "{\"score\": 1}"));
        CaseScore graded = new Scorer(judge).score(TestCase.of("j", "in", new Expected.Judge("names a next step")),
                output("{\"answer\": \"ok\"}", null, List.of()), false);
        assertThat(graded.score()).isEqualTo(0.4);
        assertThat(graded.pass()).isFalse();
        assertThat(graded.reasons()).containsExactly("judge graded 0.4: no next step");
        assertThat(graded.tokens()).isGreaterThan(10); // the judge's tokens count with the run's
    }

    @Test
    void theEvaluatorRunsAtMostItsConcurrencyAndSkipsWhatTheBudgetCannotCover() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CaseRunner runner = (prompt, c, max) -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            running.decrementAndGet();
            return new CaseRun(JSON.createObjectNode().put("answer", "yes"), "yes", null, List.of(), List.of(), 100);
        };
        List<TestCase> cases = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> TestCase.of("c" + i, "in", new Expected.Exact("yes"))).toList();
        Evaluator e = new Evaluator(runner, new Scorer(null), c -> false, new Cost(), 3, 2, 500);

        Evaluation full = e.evaluate("p", cases, new TokenPool(1_000_000, 0), "t", EvolutionListener.NONE);
        assertThat(peak.get()).isLessThanOrEqualTo(3);
        assertThat(full.passRate()).isEqualTo(1.0);
        assertThat(full.confidence()).isEqualTo(1.0);

        TokenPool small = new TokenPool(1_000, 0);
        Evaluation partial = e.evaluate("p", cases, small, "t", EvolutionListener.NONE);
        assertThat(partial.complete()).isFalse();
        assertThat(partial.runsSkipped()).isPositive();
        assertThat(small.exhausted()).isTrue();
    }

    @Test
    void driftIsOneMinusTheJaccardOfWords() {
        assertThat(Drift.between("Score the lead.", "score THE lead")).isZero();
        assertThat(Drift.between("a b c d", "a b c e")).isEqualTo(1 - 3.0 / 5);
    }
}
