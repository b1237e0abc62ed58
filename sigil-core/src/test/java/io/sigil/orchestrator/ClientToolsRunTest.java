package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigil.config.Settings;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run with the caller's own tools ({@link Conversation}): the agent's tools run on the server, a call of a client
 * tool ends the run with that call as its output, and the caller's results resume it.
 */
class ClientToolsRunTest {
    static final ToolSpec NOTIFY = new ToolSpec("notify", "Tell the user",
            JsonNodeFactory.instance.objectNode().put("type", "object"));

    @TempDir Path dir;
    final OrchestratorTest base = new OrchestratorTest();
    final List<ChatRequest> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() { base.close(); }

    /** The agent's tool first, then the client's, then an answer from the client's result. */
    ChatResponse script(ChatRequest r) {
        seen.add(r);
        Message last = r.messages().getLast();
        if (last instanceof Message.ToolResult t && t.toolName().equals("current_time")) {
            return TestModel.toolCalls(new ToolCall("call_n", "notify", JsonNodeFactory.instance.objectNode().put("text", "time")));
        }
        if (last instanceof Message.ToolResult t) return TestModel.text("done: " + t.content());
        return TestModel.toolCalls(new ToolCall("call_t", "current_time", JsonNodeFactory.instance.objectNode()));
    }

    @Test
    void clientToolCallsEndTheRunAndTheirResultsResumeIt() throws Exception {
        base.dir = dir;
        Files.createDirectories(dir.resolve("agents"));
        Files.writeString(dir.resolve("agents/clock.yaml"), "name: clock\ndescription: d\nsystem_prompt: You tell the time."
                + "\ntools: [current_time]\nmemory_enabled: false\nplanning_enabled: false\n");
        Orchestrator o = base.orchestrator(this::script, Settings.Features.DEFAULTS);

        RunResponse calling = o.handle(RunRequest.builder("what time is it? notify me").agent("clock")
                .conversation(new Conversation(List.of(), List.of(NOTIFY), ToolChoice.ANY, List.of())).build(),
                RunListener.NONE);
        assertThat(calling.status()).as(calling.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(calling.metadata()).containsEntry(RunResponse.CLIENT_TOOL_CALLS, 1);
        assertThat(calling.output().path("tool_calls").get(0).path("name").asText()).isEqualTo("notify");
        assertThat(calling.output().path("tool_calls").get(0).path("id").asText()).isEqualTo("call_n");
        // Both tools were offered; the caller's choice bound the first call only.
        assertThat(seen.getFirst().tools()).extracting(ToolSpec::name).containsExactly("notify", "current_time");
        assertThat(seen.getFirst().toolChoice()).isEqualTo(ToolChoice.ANY);
        assertThat(seen.get(1).toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(calling.metadata()).containsKeys(RunResponse.INPUT_TOKENS, RunResponse.OUTPUT_TOKENS);

        seen.clear();
        var call = new ToolCall("call_n", "notify", JsonNodeFactory.instance.objectNode().put("text", "time"));
        RunResponse answered = o.handle(RunRequest.builder("Tool results: notify (call_n): shown").agent("clock")
                .sessionId(calling.sessionId())
                .conversation(new Conversation(List.of(Message.user("what time is it? notify me")), List.of(NOTIFY),
                        null, List.of(new Message.Assistant("", List.of(call)),
                        Message.toolResult("call_n", "notify", "shown", false)))).build(), RunListener.NONE);
        assertThat(answered.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(answered.answerText()).isEqualTo("done: shown");
        assertThat(answered.metadata()).doesNotContainKey(RunResponse.CLIENT_TOOL_CALLS);
        assertThat(seen.getFirst().messages()).hasSize(3);
    }
}
