package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.errors.ErrorCode;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.StopReason;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.Usage;
import io.sigil.llm.test.TestModel;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tools.Tool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sigil.contracts.ContractValidatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractExecutorTest {
    private static final String VALID_LEAD = """
            {"score": 80, "bant_assessment": {"budget": "50k approved", "authority": "VP signs", "need": "routing",
             "timeline": "Q3"}, "recommended_action": "Book a demo"}""";
    private static final String BAD_LEAD = """
            {"score": 150, "bant_assessment": {"budget": "50k approved", "authority": "VP signs", "need": "routing",
             "timeline": "Q3"}, "recommended_action": "Book a demo"}""";

    record Event(EventType type, Map<String, ?> payload) { }

    private final List<Event> events = new ArrayList<>();
    private final EventSink sink = (type, payload) -> events.add(new Event(type, Map.copyOf(payload)));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ContractTemplates templates = new ContractTemplates(new ContractLoader());

    private ContractExecutor executor(TestModel model, Tool... tools) {
        return ContractExecutor.builder(model).events(sink).metrics(metrics).tools(List.of(tools))
                .defaultMaxTotalTokens(256_000).build();
    }

    private Contract template(String name) { return templates.find(name).orElseThrow().contract(); }

    private static ChatResponse response(String text, long in, long out) {
        return new ChatResponse(text, List.of(), StopReason.END_TURN, Usage.of(in, out), "test", "test", Duration.ZERO, null);
    }

    private static String lastUserText(ChatRequest r) {
        return ((Message.User) r.messages().getLast()).text();
    }

    private List<EventType> types() { return events.stream().map(Event::type).toList(); }

    private double validations(String contract, String result) {
        var c = metrics.find("sigil_contract_validations_total").tags("contract_name", contract, "result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void invalidOutputIsRetriedWithItsErrorsFedBackThenSucceeds() {
        TestModel model = TestModel.queueText(BAD_LEAD, VALID_LEAD);
        ContractResult result = executor(model).execute(template("lead_qualification"), "Qualify ACME Corp");

        assertThat(result.valid()).isTrue();
        assertThat(result.outcome()).isEqualTo(ContractResult.Outcome.VALID);
        assertThat(result.output().get("score").asInt()).isEqualTo(80);
        assertThat(result.attempts()).extracting(Attempt::valid).containsExactly(false, true);
        assertThat(result.attempts().getFirst().errors()).extracting(ValidationError::field).containsExactly("score");
        assertThat(result.usage()).isEqualTo(result.attempts().get(0).usage().plus(result.attempts().get(1).usage()));

        ChatRequest retry = model.requests().get(1);
        assertThat(lastUserText(retry)).contains("score: Validation rule failed: 0 <= value <= 100 (expected 0 <= value <= 100, got int 150)");
        assertThat(retry.messages().get(1)).isEqualTo(Message.assistant(BAD_LEAD));
        // The deliverables are described once, in the output schema the provider gets: no system prompt repeats them.
        assertThat(model.requests()).allSatisfy(r -> {
            assertThat(r.outputSchema()).isNotNull();
            assertThat(r.outputSchema().schema().at("/properties/score/type").asText()).isEqualTo("integer");
            assertThat(r.outputSchema().schema().at("/properties/score/maximum").asInt()).isEqualTo(100);
            assertThat(r.outputSchema().schema().path("description").asText()).startsWith("Qualify a sales lead");
            assertThat(r.system()).isNull();
        });
        assertThat(model.requests().get(0).outputSchema()).isSameAs(model.requests().get(1).outputSchema());

        assertThat(types()).containsExactly(EventType.CONTRACT_VALIDATION_STARTED, EventType.CONTRACT_VALIDATION_FAILED,
                EventType.CONTRACT_RETRY, EventType.CONTRACT_VALIDATION_STARTED, EventType.CONTRACT_VALIDATED,
                EventType.CONTRACT_COMPLETED);
        Map<String, ?> retryEvent = events.get(2).payload();
        assertThat(retryEvent.get("contract_name")).isEqualTo("lead_qualification");
        assertThat(retryEvent.get("attempt")).isEqualTo(2);
        assertThat(retryEvent.get("prompt_level")).isEqualTo("errors");
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("valid");
        assertThat(validations("lead_qualification", "invalid")).isEqualTo(1);
        assertThat(validations("lead_qualification", "valid")).isEqualTo(1);
    }

    /** Attempt k answers with a score of 100 + k, so every attempt has its own error. */
    private static TestModel alwaysInvalid() {
        AtomicInteger n = new AtomicInteger();
        return TestModel.scripted(r -> TestModel.text(BAD_LEAD.replace("150", String.valueOf(100 + n.incrementAndGet()))));
    }

    @Test
    void withTheSchemaInTheRequestRetriesCarryOnlyThePreviousAnswerAndItsErrors() {
        TestModel model = alwaysInvalid();
        Contract contract = template("lead_qualification").withFailureStrategy(FailureStrategy.RETRY, 3);

        assertThatThrownBy(() -> executor(model).execute(contract, "Qualify ACME")).isInstanceOf(ContractValidationError.class);

        List<ChatRequest> requests = model.requests();
        assertThat(requests).hasSize(4);
        for (int k = 1; k < requests.size(); k++) {
            ChatRequest r = requests.get(k);
            assertThat(r.messages()).hasSize(3);
            assertThat(r.messages().get(1).toString()).contains("\"score\": " + (100 + k));
            assertThat(lastUserText(r)).contains("got int " + (100 + k)).doesNotContain("Example of a valid answer")
                    .doesNotContain("Fill in this JSON template").doesNotContain("(int, required)");
            assertThat(r.outputSchema()).isSameAs(requests.getFirst().outputSchema());
        }
    }

    @Test
    void retryPromptsEscalateAndCarryOnlyTheLatestErrors() {
        // With a tool on offer the schema is not sent (it would force the answer), so the prompts carry the format.
        TestModel model = alwaysInvalid();
        Contract contract = template("lead_qualification").withFailureStrategy(FailureStrategy.RETRY, 3);

        ContractValidationError e = org.junit.jupiter.api.Assertions.assertThrows(ContractValidationError.class,
                () -> executor(model, new CountingTool()).execute(contract, "Qualify ACME"));

        List<ChatRequest> requests = model.requests();
        assertThat(requests).hasSize(4);
        assertThat(requests.getFirst().messages()).hasSize(1);
        // (1) errors only, (2) plus format and example, (3) plus a template to fill in
        assertThat(lastUserText(requests.get(1))).contains("Fix these errors").doesNotContain("Example of a valid answer")
                .doesNotContain("Fill in this JSON template");
        assertThat(lastUserText(requests.get(2))).contains("Example of a valid answer").contains("- score (int, required)")
                .doesNotContain("Fill in this JSON template");
        assertThat(lastUserText(requests.get(3))).contains("Fill in this JSON template").contains("\"<int, 0 <= value <= 100>\"");
        assertThat(e.attempts()).extracting(Attempt::prompt).containsExactly(RetryPrompts.Level.INITIAL,
                RetryPrompts.Level.ERRORS, RetryPrompts.Level.FORMAT, RetryPrompts.Level.TEMPLATE);

        // bounded context: each retry has the task, the latest answer and the latest errors, nothing older
        for (int k = 1; k < requests.size(); k++) {
            ChatRequest r = requests.get(k);
            assertThat(r.messages()).hasSize(3);
            String all = r.messages().toString();
            assertThat(all).contains("got int " + (100 + k));
            for (int older = 1; older < k; older++) assertThat(all).doesNotContain("int " + (100 + older));
        }
        assertThat(e.code()).isEqualTo(ErrorCode.CONTRACT_ERROR);
        assertThat(e.rawOutput()).contains("\"score\": 104");
        assertThat(e.errors()).extracting(ValidationError::field).containsExactly("score");
        assertThat(e.usage().totalTokens()).isEqualTo(e.attempts().stream().mapToLong(a -> a.usage().totalTokens()).sum());
        assertThat(e.getMessage()).contains("after 4 attempt(s)").contains("score: Validation rule failed");
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("failed");
    }

    @Test
    void threeAttemptsKeepTheRequestTheSameSize() {
        TestModel model = alwaysInvalid();
        assertThatThrownBy(() -> executor(model).execute(template("lead_qualification"), "Qualify ACME"))
                .isInstanceOf(ContractValidationError.class);
        List<ChatRequest> r = model.requests();
        assertThat(r).hasSize(3);
        // the third request is no bigger than the second plus the format section: attempt 1's text is gone
        assertThat(r.get(2).messages()).hasSize(r.get(1).messages().size());
        assertThat(r.get(2).messages().toString()).doesNotContain("101");
    }

    private static Contract fourRequired() {
        return Contract.builder("four").failureStrategy(FailureStrategy.FALLBACK).maxRetries(0)
                .deliverable(Deliverable.builder("a", "int").example(1))
                .deliverable(Deliverable.builder("b", "int").example(2))
                .deliverable(Deliverable.builder("c", "int").example(3))
                .deliverable(Deliverable.builder("d", "int"))
                .deliverable(Deliverable.builder("e", "str").optional().example("x"))
                .build();
    }

    @Test
    void fallbackKeepsValidFieldsWhenHalfTheRequiredOnesPassAndFillsTheRestFromTheTemplate() {
        TestModel model = TestModel.queueText("{\"a\": 10, \"b\": 20, \"c\": \"bad\", \"e\": 5}");
        ContractResult r = executor(model).execute(fourRequired(), "task");

        assertThat(r.outcome()).isEqualTo(ContractResult.Outcome.PARTIAL);
        assertThat(r.output()).isEqualTo(json("{\"a\": 10, \"b\": 20, \"c\": 3}"));
        assertThat(r.warnings()).contains("Partial result: 2 valid, 1 template, 1 missing");
        assertThat(r.errors()).extracting(ValidationError::field).containsExactly("c", "d", "e");
        Map<String, ?> fallback = events.stream().filter(e -> e.type() == EventType.CONTRACT_FALLBACK).findFirst()
                .orElseThrow().payload();
        assertThat(fallback.get("mode")).isEqualTo("partial");
        assertThat(fallback.get("valid")).isEqualTo(2);
        assertThat(fallback.get("template")).isEqualTo(1);
        assertThat(fallback.get("missing")).isEqualTo(1);
    }

    @Test
    void fallbackReturnsTheTemplateWithAReviewWarningWhenFewerThanHalfPass() {
        TestModel model = TestModel.queueText("{\"a\": 10, \"b\": \"x\"}");
        ContractResult r = executor(model).execute(fourRequired(), "task");

        assertThat(r.outcome()).isEqualTo(ContractResult.Outcome.TEMPLATE);
        assertThat(r.output()).isEqualTo(fourRequired().example());
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("only 1 of 4 required").contains("review it before use"));
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("template");
    }

    @Test
    void fallbackUsesTheBestAttempt() {
        Contract c = fourRequired().withFailureStrategy(FailureStrategy.FALLBACK, 1);
        TestModel model = TestModel.queueText("{\"a\": 1, \"b\": 2, \"c\": 3}", "{\"a\": \"worse\"}");
        ContractResult r = executor(model).execute(c, "task");
        assertThat(r.outcome()).isEqualTo(ContractResult.Outcome.PARTIAL);
        assertThat(r.warnings()).contains("Partial result: 3 valid, 0 template, 1 missing");
    }

    @Test
    void failStrategyRaisesWithRawOutputAttemptsUsageAndErrors() {
        TestModel model = TestModel.queueText("not json at all", "{\"is_compliant\": \"maybe\"}");
        ContractValidationError e = org.junit.jupiter.api.Assertions.assertThrows(ContractValidationError.class,
                () -> executor(model).execute(template("compliance_check"), "Check the policy"));

        assertThat(e.attempts()).hasSize(2);
        assertThat(e.attempts().getFirst().errors()).extracting(ValidationError::reason)
                .containsExactly(ValidationError.Reasons.NOT_JSON);
        assertThat(e.rawOutput()).isEqualTo("{\"is_compliant\": \"maybe\"}");
        assertThat(e.errors()).extracting(ValidationError::field)
                .containsExactly("is_compliant", "violations", "recommendations");
        assertThat(e.usage().totalTokens()).isPositive();
        assertThat(e.display()).startsWith("[CONTRACT_ERROR] Output does not satisfy contract 'compliance_check' after 2 attempt(s)");
        assertThat(e.context()).containsEntry("attempts", 2);
    }

    @Test
    void budgetExhaustedMidRetryRaisesTokenBudgetExceededAfterWarningAtTheThreshold() {
        Contract c = template("lead_qualification").withConstraints(new Constraints(0, 0, 3000, 0, 0, 0.8));
        TestModel model = TestModel.queue(response(BAD_LEAD, 1000, 200), response(BAD_LEAD, 1000, 200),
                response(VALID_LEAD, 1000, 200));

        assertThatThrownBy(() -> executor(model).execute(c, "Qualify"))
                .isInstanceOfSatisfying(TokenBudgetExceeded.class, e -> {
                    assertThat(e.exceeded()).isEqualTo(TokenBudget.Limit.TOTAL);
                    assertThat(e.used()).isEqualTo(3600);
                    assertThat(e.limit()).isEqualTo(3000);
                    assertThat(e.display()).isEqualTo(
                            "[TOKEN_BUDGET_EXCEEDED] Total tokens 3600 exceeds budget 3000 (utilization 120.0%, exceeded: total)");
                });
        assertThat(model.requests()).hasSize(3);
        assertThat(model.requests().get(2).maxTokens()).isEqualTo(600);
        List<Event> warnings = events.stream().filter(e -> e.type() == EventType.ERROR_OCCURRED).toList();
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.payload().get("code")).isEqualTo("TOKEN_BUDGET_WARNING");
            assertThat(w.payload().get("tokens_used")).isEqualTo(2400L);
        });
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("budget_exceeded");
    }

    @Test
    void noRetryStartsWithFewerThan500TokensLeft() {
        Contract c = fourRequired().withFailureStrategy(FailureStrategy.FALLBACK, 2)
                .withConstraints(new Constraints(0, 0, 2000, 0, 0, 0.8));
        TestModel model = TestModel.queue(response("{\"a\": 1, \"b\": 2}", 1400, 200));

        ContractResult r = executor(model).execute(c, "task");
        assertThat(model.requests()).hasSize(1);
        assertThat(r.warnings()).contains("No retry: 400 tokens remain, fewer than 500");
        assertThat(r.outcome()).isEqualTo(ContractResult.Outcome.PARTIAL);
    }

    @Test
    void inputAndOutputLimitsCountAcrossAttempts() {
        Contract c = template("lead_qualification").withConstraints(new Constraints(1500, 0, 0, 0, 0, 0.8));
        TestModel model = TestModel.queue(response(BAD_LEAD, 1000, 10), response(BAD_LEAD, 1000, 10));
        assertThatThrownBy(() -> executor(model).execute(c, "Qualify"))
                .isInstanceOfSatisfying(TokenBudgetExceeded.class,
                        e -> assertThat(e.exceeded()).isEqualTo(TokenBudget.Limit.INPUT));
    }

    @Test
    void timeoutCancelsTheCallAndRaisesAContractTimeout() {
        Contract c = template("lead_qualification").withConstraints(new Constraints(0, 0, 0, 0, 0.2, 0.8));
        AtomicInteger interrupted = new AtomicInteger();
        TestModel model = TestModel.scripted(r -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            return TestModel.text(VALID_LEAD);
        });
        assertThatThrownBy(() -> executor(model).execute(c, "Qualify"))
                .isInstanceOf(ContractTimeoutError.class)
                .hasMessageContaining("timed out after 0.2 s");
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("timeout");
    }

    /** A tool that counts its calls. */
    private static final class CountingTool implements Tool {
        final AtomicInteger calls = new AtomicInteger();

        public String name() { return "crm_lookup"; }

        public String description() { return "Looks up a company in the CRM"; }

        public JsonNode inputSchema() { return json("{\"type\":\"object\"}"); }

        public String execute(JsonNode arguments) { return "{\"employees\": " + (100 + calls.incrementAndGet()) + "}"; }
    }

    @Test
    void toolCallsAreRunWithinMaxToolCallsThenTheModelMustAnswer() {
        Contract c = template("lead_qualification").withConstraints(new Constraints(0, 0, 0, 2, 0, 0.8));
        CountingTool tool = new CountingTool();
        ToolCall call = new ToolCall("1", "crm_lookup", json("{}"));
        TestModel model = TestModel.scripted(r -> r.toolChoice() instanceof ToolChoice.None ? TestModel.text(VALID_LEAD)
                : TestModel.toolCalls(call, new ToolCall("2", "crm_lookup", json("{}")), new ToolCall("3", "crm_lookup", json("{}"))));

        ContractResult r = executor(model, tool).execute(c, "Qualify");

        assertThat(r.valid()).isTrue();
        assertThat(tool.calls).hasValue(2);
        assertThat(r.toolCalls()).isEqualTo(2);
        assertThat(model.requests()).hasSize(2);
        ChatRequest second = model.requests().get(1);
        assertThat(second.tools()).hasSize(1);
        assertThat(second.toolChoice()).isEqualTo(ToolChoice.NONE);
        assertThat(model.requests().getFirst().toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(model.requests().getFirst().outputSchema()).isNull();
        assertThat(second.outputSchema()).isNotNull();
        assertThat(second.messages()).filteredOn(m -> m instanceof Message.ToolResult tr && tr.isError())
                .singleElement().asString().contains("Tool call limit of 2 reached");
    }

    @Test
    void aProviderFailurePassesThroughUnchangedAndCompletesTheExecution() {
        TestModel model = TestModel.scripted(r -> {
            throw new io.sigil.errors.SigilError(ErrorCode.LLM_ERROR, "provider down");
        });
        assertThatThrownBy(() -> executor(model).execute(template("lead_qualification"), "Qualify"))
                .isInstanceOfSatisfying(io.sigil.errors.SigilError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LLM_ERROR));
        assertThat(events.getLast().payload().get("outcome")).isEqualTo("error");
    }

    @Test
    void jsonInProseOrCodeFencesIsExtracted() {
        TestModel model = TestModel.queueText("Here you go:\n```json\n" + VALID_LEAD + "\n```\nAnything else?");
        assertThat(executor(model).execute(template("lead_qualification"), "Qualify").valid()).isTrue();
    }
}
