package io.sigil.mcp.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.config.Settings;
import io.sigil.fakes.NpmMcpServers;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.test.TestModel;
import io.sigil.reasoning.ReactStrategy;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyResult;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real server-everything from npm over stdio, through the official SDK's client. */
class McpStdioIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpClients clients;
    private ToolRegistry registry;

    @BeforeEach
    void start() {
        var server = new Settings.McpServer("everything", NpmMcpServers.node(),
                List.of(NpmMcpServers.everything().toString(), "stdio"), Map.of(), null, Map.of());
        var settings = new Settings.Mcp(List.of(server), Duration.ofSeconds(3), 3, Duration.ofMillis(200), true);
        registry = new ToolRegistry();
        clients = McpClients.start(settings, registry, Clock.systemUTC());
        // A connect that lost a race with the previous test's killed server is retried in the background; the tests
        // are about calls, so wait for the tools rather than fail on a slow first start (seen under CI load).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (registry.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    @Test
    void discoversTheToolsWithTheirSchemasAndCallsThem() throws Exception {
        assertThat(clients.status().getFirst().state()).isEqualTo(McpServerState.CONNECTED);
        assertThat(registry.names()).contains("everything__echo", "everything__get_sum",
                "everything__trigger_long_running_operation");
        var echo = registry.lookup("everything__echo").orElseThrow();
        assertThat(echo.inputSchema().path("required").toString()).contains("message");
        assertThat(echo.sideEffects()).isFalse();
        assertThat(echo.source()).isEqualTo("mcp:everything");

        ToolResult sum = call("everything__get_sum", "{\"a\": 2, \"b\": 40}");
        assertThat(sum.isError()).isFalse();
        assertThat(sum.output()).contains("42");
        assertThat(sum.forModel()).startsWith("<<<UNTRUSTED_DATA source=\"everything__get_sum\"");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTheCall() throws Exception {
        ToolResult r = call("everything__get_sum", "{\"a\": \"two\"}");
        assertThat(r.isError()).isTrue();
        assertThat(r.output()).contains("invalid arguments for 'everything__get_sum'");
    }

    @Test
    void aKilledServerIsRestartedAndTheNextCallSucceeds() throws Exception {
        assertThat(call("everything__echo", "{\"message\": \"before\"}").output()).contains("before");
        List<ProcessHandle> children = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything")).toList();
        assertThat(children).isNotEmpty();
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : children) p.onExit().get();

        ToolResult after = call("everything__echo", "{\"message\": \"after\"}");
        assertThat(after.isError()).as(after.output()).isFalse();
        assertThat(after.output()).contains("Echo: after");
        McpServerStatus status = clients.status().getFirst();
        assertThat(status.state()).isEqualTo(McpServerState.CONNECTED);
        assertThat(status.reconnects()).isEqualTo(1);
    }

    @Test
    void aSlowToolTimesOutCleanlyAndTheServerStaysUsable() throws Exception {
        ToolResult slow = call("everything__trigger_long_running_operation", "{\"duration\": 10, \"steps\": 2}");
        assertThat(slow.isError()).isTrue();
        assertThat(slow.output()).contains("timed out after 3000 ms");
        assertThat(call("everything__echo", "{\"message\": \"still here\"}").output()).contains("still here");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReactRunWithTheOfflineModelCallsTheServersToolsAcrossARestart() throws Exception {
        var events = new java.util.ArrayList<java.util.Map<String, ?>>();
        TestModel first = TestModel.queue(
                TestModel.toolCalls(new ToolCall("c1", "everything__get_sum", JSON.readTree("{\"a\": 19, \"b\": 23}"))),
                TestModel.text("Final answer: 42"));
        StrategyResult r = new ReactStrategy(first, null, new ToolExecutor(registry))
                .reason(ReasoningRequest.of("What is 19 + 23?"), (type, payload) -> events.add(payload));
        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("42");
        Message.ToolResult observed = (Message.ToolResult) first.requests().get(1).messages().getLast();
        assertThat(observed.content()).startsWith("<<<UNTRUSTED_DATA").contains("The sum of 19 and 23 is 42.");
        assertThat(first.requests().getFirst().tools()).extracting(t -> t.name()).contains("everything__get_sum");
        assertThat((java.util.Map<String, Object>) events.getFirst()).containsEntry("tool", "everything__get_sum").containsEntry("source", "mcp:everything")
                .containsEntry("side_effects", false).containsEntry("is_error", false);

        // The server dies between two requests of the session; the next run's call reconnects and succeeds.
        ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                .forEach(ProcessHandle::destroyForcibly);
        TestModel second = TestModel.queue(
                TestModel.toolCalls(new ToolCall("c2", "everything__echo", JSON.readTree("{\"message\": \"again\"}"))),
                TestModel.text("Final answer: again"));
        StrategyResult again = new ReactStrategy(second, null, new ToolExecutor(registry))
                .reason(ReasoningRequest.of("Echo again"), null);
        assertThat(again.success()).isTrue();
        Message.ToolResult echoed = (Message.ToolResult) second.requests().get(1).messages().getLast();
        assertThat(echoed.isError()).as(echoed.content()).isFalse();
        assertThat(echoed.content()).contains("Echo: again");
    }

    private ToolResult call(String tool, String args) throws Exception {
        return new ToolExecutor(registry).execute(new ToolCall("c1", tool, JSON.readTree(args)));
    }
}
