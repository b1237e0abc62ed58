package io.sigil.mcp.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.config.Settings;
import io.sigil.fakes.NpmMcpServers;
import io.sigil.llm.ToolCall;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server-everything over Streamable HTTP, killed and started again on the same port while Sigil keeps its
 * connection: the next call re-initialises the session (the new process does not know the old one) and succeeds.
 * Also the real server-filesystem over stdio, with a side-effect tool.
 */
class McpStreamableHttpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> started = new ArrayList<>();
    private McpClients clients;

    @AfterEach
    void stop() {
        if (clients != null) clients.close();
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aRestartedHttpServerIsReconnectedAndTheNextCallSucceeds() throws Exception {
        int port = freePort();
        Process first = startHttpServer(port);
        var server = new Settings.McpServer("remote", null, List.of(), Map.of(), "http://127.0.0.1:" + port + "/mcp",
                Map.of("X-Test", "sigil"));
        var registry = new ToolRegistry();
        clients = McpClients.start(new Settings.Mcp(List.of(server), Duration.ofSeconds(10), 3, Duration.ofMillis(500),
                true), registry, Clock.systemUTC());
        assertThat(clients.status().getFirst().state()).isEqualTo(McpServerState.CONNECTED);
        assertThat(clients.status().getFirst().transport()).isEqualTo("streamable_http");
        assertThat(call(registry, "remote__echo", "{\"message\": \"one\"}").output()).isEqualTo("Echo: one");

        first.destroyForcibly().waitFor();
        startHttpServer(port);

        ToolResult after = call(registry, "remote__echo", "{\"message\": \"two\"}");
        assertThat(after.isError()).as(after.output()).isFalse();
        assertThat(after.output()).isEqualTo("Echo: two");
        assertThat(clients.status().getFirst().reconnects()).isEqualTo(1);
        assertThat(clients.connection("remote").orElseThrow().ping()).isPositive();
    }

    @Test
    void aServerDownAtStartIsReportedAndConnectedWhenItComesUp() throws Exception {
        int port = freePort();
        var server = new Settings.McpServer("late", null, List.of(), Map.of(), "http://127.0.0.1:" + port + "/mcp",
                Map.of());
        var registry = new ToolRegistry();
        clients = McpClients.start(new Settings.Mcp(List.of(server), Duration.ofSeconds(5), 0, Duration.ofMillis(200),
                true), registry, Clock.systemUTC());
        McpServerStatus down = clients.status().getFirst();
        assertThat(down.state()).isEqualTo(McpServerState.DOWN);
        assertThat(down.lastError()).contains("ConnectException");
        assertThat(clients.healthChecks().getFirst().check().detail()).startsWith("down (streamable_http");
        assertThat(registry.names()).isEmpty();

        startHttpServer(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (clients.status().getFirst().state() != McpServerState.CONNECTED && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(clients.status().getFirst().state()).isEqualTo(McpServerState.CONNECTED);
        assertThat(registry.names()).contains("late__echo");
    }

    @Test
    void filesystemServerToolsReadAndAreMarkedWhenTheyWrite(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "budget approved: 50k");
        var server = new Settings.McpServer("fs", NpmMcpServers.node(),
                List.of(NpmMcpServers.filesystem().toString(), dir.toRealPath().toString()), Map.of(), null, Map.of());
        var registry = new ToolRegistry();
        clients = McpClients.start(new Settings.Mcp(List.of(server), Duration.ofSeconds(10), 3, Duration.ofMillis(200),
                true), registry, Clock.systemUTC());
        assertThat(registry.lookup("fs__read_text_file").orElseThrow().sideEffects()).isFalse();
        assertThat(registry.lookup("fs__write_file").orElseThrow().sideEffects()).isTrue();

        ToolResult read = call(registry, "fs__read_text_file",
                "{\"path\": " + JSON.writeValueAsString(dir.toRealPath().resolve("notes.txt").toString()) + "}");
        assertThat(read.isError()).as(read.output()).isFalse();
        assertThat(read.output()).contains("budget approved: 50k");

        ToolResult outside = call(registry, "fs__read_text_file", "{\"path\": \"/etc/passwd\"}");
        assertThat(outside.isError()).isTrue();
        assertThat(outside.output()).containsIgnoringCase("denied");
    }

    private static ToolResult call(ToolRegistry registry, String tool, String args) throws IOException {
        return new ToolExecutor(registry).execute(new ToolCall("c1", tool, JSON.readTree(args)));
    }

    private Process startHttpServer(int port) throws Exception {
        var pb = new ProcessBuilder(NpmMcpServers.node(), NpmMcpServers.everything().toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        started.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new IllegalStateException("server-everything exited with " + p.exitValue());
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server-everything did not listen on " + port + " within 60 s");
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
