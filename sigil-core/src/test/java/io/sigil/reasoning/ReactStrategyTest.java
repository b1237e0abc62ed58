package io.sigil.reasoning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.events.EventType;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.test.TestModel;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReactStrategyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ToolExecutor tools = new ToolExecutor(ToolRegistry.of(
            new CurrentTimeTool(Clock.fixed(Instant.parse("2026-03-01T12:30:00Z"), ZoneOffset.UTC))));

    private static ToolCall call(String id, String name, String args) {
        try {
            return new ToolCall(id, name, JSON.readTree(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void callsAToolReadsTheResultAndStopsAtTheFinalAnswer() {
        TestModel model = TestModel.queue(
                TestModel.toolCalls(call("c1", "current_time", "{\"timezone\":\"UTC\"}")),
                TestModel.text("Final answer: It is Sunday."));
        List<String> events = new ArrayList<>();
        StrategyResult r = new ReactStrategy(model, null, tools).reason(ReasoningRequest.of("What day is it?"),
                (type, payload) -> events.add(type + " " + payload.get("tool") + " error=" + payload.get("is_error")));

        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("It is Sunday.");
        assertThat(r.confidence()).isEqualTo(0.8);
        assertThat(r.trace()).extracting(TraceEntry::kind).containsExactly("note", "action", "observation", "answer");
        assertThat(events).containsExactly(EventType.TOOL_CALLED.wireName() + " current_time error=false");

        List<ChatRequest> sent = model.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.getFirst().tools()).extracting(t -> t.name()).containsExactly("current_time");
        List<Message> second = sent.get(1).messages();
        assertThat(second).hasSize(3);
        assertThat(second.get(1)).isInstanceOfSatisfying(Message.Assistant.class,
                a -> assertThat(a.toolCalls()).extracting(ToolCall::id).containsExactly("c1"));
        assertThat(second.get(2)).isInstanceOfSatisfying(Message.ToolResult.class, t -> {
            assertThat(t.toolCallId()).isEqualTo("c1");
            assertThat(t.isError()).isFalse();
            assertThat(t.content()).contains("<<<UNTRUSTED_DATA").contains("2026-03-01T12:30:00Z");
        });
    }

    @Test
    void toolErrorsAreFedBackAndTheModelCanRecover() {
        TestModel model = TestModel.queue(
                TestModel.toolCalls(call("c1", "weather", "{}")),
                TestModel.toolCalls(call("c2", "current_time", "{\"timezone\":42}")),
                TestModel.text("I could not check the weather."));
        StrategyResult r = new ReactStrategy(model, null, tools).reason(ReasoningRequest.of("Weather?"), null);

        assertThat(r.success()).isTrue();
        assertThat(r.confidence()).isEqualTo(0.6);
        Message.ToolResult first = (Message.ToolResult) model.requests().get(1).messages().getLast();
        assertThat(first.isError()).isTrue();
        assertThat(first.content()).contains("unknown tool 'weather'");
        Message.ToolResult second = (Message.ToolResult) model.requests().get(2).messages().getLast();
        assertThat(second.content()).contains("invalid arguments for 'current_time'");
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("observation"))
                .allSatisfy(t -> assertThat(t.text()).startsWith("error: "));
    }

    @Test
    void answersWithoutToolsWhenNoneAreNeeded() {
        TestModel model = TestModel.queueText("Four.");
        StrategyResult r = new ReactStrategy(model, null, null).reason(ReasoningRequest.of("2+2?"), null);
        assertThat(r.answer()).isEqualTo("Four.");
        assertThat(r.confidence()).isEqualTo(0.7);
        assertThat(model.requests().getFirst().tools()).isEmpty();
    }

    @Test
    void givesUpAfterTenIterationsOfToolCalls() {
        TestModel model = TestModel.scripted(q -> TestModel.toolCalls(
                call("c" + q.messages().size(), "current_time", "{}")));
        StrategyResult r = new ReactStrategy(model, null, tools).reason(ReasoningRequest.of("loop forever"), null);

        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("10 iterations without a final answer");
        assertThat(model.requests()).hasSize(10);
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("action")).hasSize(10);
    }
}
