package io.sigil.llm.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.OutputSchema;
import io.sigil.llm.StopReason;
import io.sigil.llm.StreamListener;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestModel model = TestModel.offline();

    @Test
    void saysItIsTheOfflineModelForPlainPrompts() {
        ChatResponse response = model.chat(ChatRequest.of("hello"));

        assertThat(response.text()).contains("offline test model").contains("hello");
        assertThat(response.model()).isEqualTo("test");
        assertThat(response.provider()).isEqualTo("test");
        assertThat(response.usage().inputTokens()).isEqualTo(2);
        assertThat(response.usage().outputTokens()).isEqualTo((response.text().length() + 3) / 4);
        assertThat(model.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            """
            {"type":"object","properties":{"name":{"type":"string","minLength":8},"age":{"type":"integer","minimum":18},
             "tier":{"enum":["gold","silver"]},"email":{"type":"string","format":"email"}},
             "required":["name","age","tier","email"],"additionalProperties":false}""",
            """
            {"type":"object","properties":{"items":{"type":"array","minItems":2,"uniqueItems":true,
             "items":{"type":"object","properties":{"sku":{"type":"string","maxLength":3},
             "qty":{"type":"integer","exclusiveMinimum":0,"multipleOf":5}},"required":["sku","qty"]}},
             "total":{"type":"number","minimum":0.5,"maximum":0.5}},"required":["items","total"]}""",
            """
            {"$defs":{"point":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":["number","null"]}},
             "required":["x","y"]}},"type":"object","properties":{"from":{"$ref":"#/$defs/point"},
             "to":{"$ref":"#/$defs/point"},"label":{"type":"string","default":"route"},
             "kind":{"oneOf":[{"const":"walk"},{"const":"ride"}]}},"required":["from","to","kind"]}""",
            """
            {"type":"object","properties":{"score":{"type":"integer","examples":[7],"minimum":1,"maximum":10},
             "tags":{"type":"array","items":{"type":"string"},"maxItems":0}},"required":["score","tags"]}"""
    })
    void answersAnOutputSchemaWithValidJson(String schemaText) throws Exception {
        JsonNode schema = JSON.readTree(schemaText);
        ChatResponse response = model.chat(ChatRequest.builder().user("fill it")
                .outputSchema(new OutputSchema("answer", schema)).build());

        JsonNode value = JSON.readTree(response.text());
        var validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        assertThat(validator.validate(value)).as(value.toString()).isEmpty();
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void prefersTheSchemasOwnValues() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type":"object","properties":{"score":{"type":"integer","examples":[7]},
                 "mode":{"type":"string","default":"fast"},"level":{"enum":["low","high"]}}}""");

        JsonNode value = JSON.readTree(model.chat(ChatRequest.builder().user("x")
                .outputSchema(new OutputSchema("s", schema)).build()).text());

        assertThat(value.path("score").asInt()).isEqualTo(7);
        assertThat(value.path("mode").asText()).isEqualTo("fast");
        assertThat(value.path("level").asText()).isEqualTo("low");
    }

    @Test
    void callsAToolThePromptAsksFor() throws Exception {
        ToolSpec weather = new ToolSpec("get_weather", "weather", JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"examples\":[\"Paris\"]}},\"required\":[\"city\"]}"));
        ToolSpec clock = new ToolSpec("clock", "time", JSON.readTree("{\"type\":\"object\"}"));
        ChatRequest request = ChatRequest.builder().user("Please get weather for me").tool(clock).tool(weather).build();

        ChatResponse call = model.chat(request);

        assertThat(call.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.id()).isEqualTo("call_test_1");
            assertThat(c.arguments().path("city").asText()).isEqualTo("Paris");
        });

        ChatResponse after = model.chat(request.toBuilder().message(new Message.Assistant("", call.toolCalls()))
                .message(Message.toolResult("call_test_1", "get_weather", "sunny", false)).build());
        assertThat(after.text()).contains("get_weather").contains("sunny");
        assertThat(after.hasToolCalls()).isFalse();
    }

    @Test
    void callsNoToolUnlessAskedOrForced() throws Exception {
        ToolSpec clock = new ToolSpec("clock", "time", JSON.readTree("{\"type\":\"object\"}"));

        assertThat(model.chat(ChatRequest.builder().user("hi").tool(clock).build()).hasToolCalls()).isFalse();
        assertThat(model.chat(ChatRequest.builder().user("hi").tool(clock).toolChoice(ToolChoice.ANY).build())
                .toolCalls()).extracting(ToolCall::name).containsExactly("clock");
        assertThat(model.chat(ChatRequest.builder().user("read the clock").tool(clock).toolChoice(ToolChoice.NONE)
                .build()).hasToolCalls()).isFalse();
    }

    @Test
    void streamsThroughTheDefaultStream() {
        List<String> deltas = new ArrayList<>();
        ChatResponse response = model.stream(ChatRequest.of("hi"), deltas::add);

        assertThat(deltas).containsExactly(response.text());
    }

    @Test
    void queueAnswersInOrderAndFailsLoudlyWhenExhausted() {
        TestModel queued = TestModel.queueText("one", "two");

        assertThat(queued.chat(ChatRequest.of("a")).text()).isEqualTo("one");
        assertThat(queued.chat(ChatRequest.of("b")).text()).isEqualTo("two");
        assertThatThrownBy(() -> queued.chat(ChatRequest.of("c"))).hasMessageContaining("2 responses were scripted");
    }

    @Test
    void scriptedAnswersWithAFunctionOfTheRequest() {
        TestModel scripted = TestModel.scripted(r -> TestModel.text("echo " + r.messages().size()));

        assertThat(scripted.stream(ChatRequest.of("x"), StreamListener.NONE).text()).isEqualTo("echo 1");
    }

    @Test
    void theServingModelAnswersAlikeButKeepsNoRequests() {
        TestModel serving = TestModel.offlineUnrecorded();

        ChatResponse answer = serving.chat(ChatRequest.of("Say hello"));

        assertThat(answer.text()).isEqualTo(model.chat(ChatRequest.of("Say hello")).text());
        assertThat(serving.requests()).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }
}
