package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.test.TestModel;
import io.sigil.tools.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only ReAct runs pause for a human decision. The runs that cannot wait (a plan's steps, a turn with client tools)
 * never run a tool that needs approval: it is withheld with a warning that says why, and a call of it anyway is
 * refused, never executed.
 */
class HeldToolsOutsideReactTest {
    @TempDir Path dir;
    final OrchestratorTest base = new OrchestratorTest();
    final List<ChatRequest> seen = new CopyOnWriteArrayList<>();
    final List<ToolResult> returned = new CopyOnWriteArrayList<>();
    final RunListener listener = new RunListener() {
        @Override public void toolReturned(ToolResult result) { returned.add(result); }
    };

    @BeforeEach
    void agent() throws Exception {
        base.dir = dir;
        Files.createDirectories(dir.resolve("agents"));
        Files.writeString(dir.resolve("agents/clock.yaml"), """
                name: clock
                description: Tells the time, carefully
                system_prompt: Tell the time.
                tools: [current_time]
                memory_enabled: false
                planning_enabled: true
                approval: {current_time: always}
                """);
    }

    @AfterEach
    void close() { base.close(); }

    private static ToolCall clock(String id) {
        return new ToolCall(id, "current_time", JsonNodeFactory.instance.objectNode().put("timezone", "UTC"));
    }

    @Test
    void aClientToolsTurnWithholdsAHeldToolAndRefusesACallOfIt() {
        ToolSpec notify = ClientToolsRunTest.NOTIFY;
        Orchestrator o = base.orchestrator(r -> {
            seen.add(r);
            // The model calls the held tool although it was not offered; after its (refused) result, the client's.
            if (r.messages().getLast() instanceof Message.ToolResult) {
                return TestModel.toolCalls(new ToolCall("call_n", "notify", JsonNodeFactory.instance.objectNode()));
            }
            return TestModel.toolCalls(clock("call_t"));
        }, OrchestratorTest.ALL_ON);

        RunResponse r = o.handle(RunRequest.builder("what time is it? notify me").agent("clock")
                .conversation(new Conversation(List.of(), List.of(notify), ToolChoice.AUTO, List.of())).build(), listener);

        assertThat(r.status()).as(r.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(seen.getFirst().tools()).extracting(ToolSpec::name).containsExactly("notify");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("tool 'current_time' needs approval")
                .contains("a run with client tools").contains("only ReAct runs pause"));
        Message.ToolResult given = (Message.ToolResult) seen.get(1).messages().getLast();
        assertThat(given.isError()).isTrue();
        assertThat(given.content()).contains("needs human approval").contains("it was not run");
        assertThat(returned).as("the clock never ran").isEmpty();
        assertThat(r.output().path("tool_calls").get(0).path("name").asText()).isEqualTo("notify");
    }

    @Test
    void aPlanWithholdsAHeldToolAndAPlanNamingItIsRefused() {
        Orchestrator o = base.orchestrator(r -> {
            seen.add(r);
            if (r.outputSchema() != null && r.outputSchema().name().equals("plan")) {
                return TestModel.text("""
                        {"steps": [
                          {"id": "now", "description": "Read the clock", "type": "tool_call", "tool": "current_time",
                           "args": {"timezone": "UTC"}, "depends_on": []},
                          {"id": "say", "description": "Report the time", "type": "reasoning", "depends_on": ["now"]}]}""");
            }
            return TestModel.text("I cannot read the clock.");
        }, OrchestratorTest.ALL_ON, OrchestratorTest.complexity(0.9));

        RunResponse r = o.handle(RunRequest.builder("what time is it").agent("clock").build(), listener);

        // The planner was not offered the held tool, and refuses a plan that names it anyway: nothing ran.
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("tool 'current_time' needs approval")
                .contains("a planned run").contains("turn planning off"));
        assertThat(returned).as("the clock never ran").isEmpty();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("current_time"));
        assertThat(r.status()).isNotEqualTo(RunStatus.AWAITING_APPROVAL);
    }
}
