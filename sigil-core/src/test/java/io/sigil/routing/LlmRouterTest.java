package io.sigil.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LlmRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ToolCall classify(String json) throws Exception {
        return new ToolCall("call_1", LlmRouter.TOOL_NAME, JSON.readTree(json));
    }

    @Test
    void theModelPicksTheIntentThroughAForcedToolCall() throws Exception {
        TestModel model = TestModel.queue(TestModel.toolCalls(
                classify("{\"intent\":\"query_memory\",\"confidence\":0.9,\"reason\":\"asks about the past\"}")));
        RouteDecision d = new LlmRouter(model, "some-model", new KeywordRouter()).route("hello, any news on Paris?");

        assertThat(d.intent()).isEqualTo(Intent.QUERY_MEMORY);
        assertThat(d.handler()).isEqualTo("memory_query");
        assertThat(d.confidence()).isEqualTo(0.9);
        assertThat(d.useMemory()).isTrue();
        assertThat(d.factors().router()).isEqualTo("llm");
        assertThat(d.factors().note()).isEqualTo("asks about the past");

        ChatRequest sent = model.requests().getFirst();
        assertThat(sent.model()).isEqualTo("some-model");
        assertThat(sent.toolChoice()).isEqualTo(ToolChoice.tool(LlmRouter.TOOL_NAME));
        assertThat(sent.tools()).singleElement().satisfies(t ->
                assertThat(t.inputSchema().at("/properties/intent/enum")).hasSize(Intent.values().length));
    }

    @Test
    void missingConfidenceTakesTheKeywordConfidence() throws Exception {
        TestModel model = TestModel.queue(TestModel.toolCalls(classify("{\"intent\":\"general_chat\"}")));
        RouteDecision d = new LlmRouter(model, null, new KeywordRouter()).route("hello");
        assertThat(d.confidence()).isEqualTo(0.8);
    }

    @Test
    void fallsBackToKeywordsWhenTheModelFailsOrAnswersBadly() throws Exception {
        TestModel failing = TestModel.scripted(r -> { throw new SigilError(ErrorCode.LLM_ERROR, "provider down"); });
        RouteDecision d = new LlmRouter(failing, null, new KeywordRouter()).route("create a new agent");
        assertThat(d.intent()).isEqualTo(Intent.CREATE_AGENT);
        assertThat(d.factors().router()).isEqualTo("keyword");
        assertThat(d.factors().note()).contains("LLM routing failed").contains("[LLM_ERROR] provider down");

        TestModel textOnly = TestModel.queueText("It is run_agent, I think.");
        assertThat(new LlmRouter(textOnly, null, new KeywordRouter()).route("run the demo").factors().note())
                .contains("did not call classify_intent");

        TestModel unknown = TestModel.queue(TestModel.toolCalls(classify("{\"intent\":\"launch_rockets\"}")));
        RouteDecision u = new LlmRouter(unknown, null, new KeywordRouter()).route("run the demo");
        assertThat(u.intent()).isEqualTo(Intent.RUN_AGENT);
        assertThat(u.factors().note()).contains("launch_rockets");
    }

    @Test
    void emptyInputAndSlashCommandsNeedNoModel() {
        TestModel model = TestModel.queue();
        LlmRouter router = new LlmRouter(model, null, new KeywordRouter());
        assertThat(router.route("/help").intent()).isEqualTo(Intent.SYSTEM_COMMAND);
        assertThat(router.route("  ").intent()).isEqualTo(Intent.GENERAL_CHAT);
        assertThat(model.requests()).isEmpty();
    }
}
