package io.sigil.reasoning;

import io.sigil.events.EventSink;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentInstructionsTest {

    @Test
    void agentInstructionsPrecedeTheStrategyPromptAndMetadataReachesEveryCall() {
        TestModel model = TestModel.queueText("42");
        var request = new ReasoningRequest("What is 6 x 7?", null, null, "You are a terse maths tutor.",
                Map.of(ChatRequest.SESSION_ID, "s-1", ChatRequest.CORRELATION_ID, "c-9"));

        StrategyResult r = new DirectStrategy(model, null).reason(request, EventSink.NONE);

        assertThat(r.success()).isTrue();
        ChatRequest sent = model.requests().getFirst();
        assertThat(sent.system()).startsWith("You are a terse maths tutor.\n\n");
        assertThat(sent.metadata()).containsEntry(ChatRequest.SESSION_ID, "s-1").containsEntry(ChatRequest.CORRELATION_ID, "c-9");
    }
}
