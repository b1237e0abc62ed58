package io.sigil.cli;

import io.sigil.fakes.FakeServices;
import io.sigil.fakes.NpmMcpServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sigil tools|mcp|health} with a real MCP server (server-everything over stdio) and a faked service. */
class ToolsCommandIT {
    @TempDir Path dir;
    private FakeServices fake;
    private CliHarness cli;

    @BeforeEach
    void start() {
        fake = new FakeServices();
        String servers = "[{\"name\": \"everything\", \"command\": \"" + NpmMcpServers.node() + "\", \"args\": [\""
                + NpmMcpServers.everything() + "\", \"stdio\"]}]";
        cli = new CliHarness(Map.of("SIGIL_LLM__MODEL", "test", "SIGIL_MCP__SERVERS", servers,
                "TAVILY_API_KEY", FakeServices.TAVILY_KEY,
                "SIGIL_TOOLS__TAVILY_BASE_URL", fake.baseUrl(FakeServices.Vendor.TAVILY)), dir);
    }

    @AfterEach
    void stop() { fake.close(); }

    @Test
    void toolsListShowsEveryToolWithItsSourceAndState() {
        var run = cli.run("tools", "list");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("current_time +builtin +enabled +no")
                .containsPattern("everything__echo +mcp:everything +enabled +no +Echoes back the input string")
                .containsPattern("web_search +service:tavily +enabled +no")
                .containsPattern("- +service:twilio +disabled +no +set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
                .containsPattern("- +service:hubspot +disabled +no +set HUBSPOT_API_KEY");
    }

    @Test
    void toolsCallRunsAToolThroughTheExecutor() {
        var echo = cli.run("tools", "call", "everything__echo", "--args", "{\"message\": \"hi\"}");
        assertThat(echo.exit()).as(echo.err()).isZero();
        assertThat(echo.out()).isEqualTo("Echo: hi\n");

        var search = cli.run("tools", "call", "web_search", "--args", "{\"query\": \"sigil\"}");
        assertThat(search.exit()).as(search.err()).isZero();
        assertThat(search.out()).contains("\"answer\":\"An answer about sigil.\"");

        var invalid = cli.run("tools", "call", "everything__get_sum", "--args", "{\"a\": \"x\"}");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("invalid arguments for 'everything__get_sum'");

        var unknown = cli.run("tools", "call", "sms_send");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("no tool 'sms_send'");

        var notJson = cli.run("tools", "call", "current_time", "--args", "{oops");
        assertThat(notJson.exit()).isEqualTo(2);
        assertThat(notJson.err()).contains("--args is not JSON");
    }

    @Test
    void mcpListPingAndHealthReportTheServer() {
        var list = cli.run("mcp", "list");
        assertThat(list.exit()).as(list.out() + list.err()).isZero();
        assertThat(list.out()).containsPattern("everything +connected +stdio .*server-everything.* \\d+ tools")
                .contains("    everything__get_sum");

        var ping = cli.run("mcp", "ping", "everything");
        assertThat(ping.exit()).isZero();
        assertThat(ping.out()).containsPattern("everything +ok +[0-9.]+ ms");

        var health = cli.run("health");
        assertThat(health.out()).containsPattern("mcp:everything +healthy +connected \\(stdio")
                .containsPattern("services +healthy +tavily: enabled; elevenlabs: disabled \\(set ELEVENLABS_API_KEY\\)");

        var down = new CliHarness(Map.of("SIGIL_LLM__MODEL", "test", "SIGIL_MCP__RETRY_DELAY", "0",
                "SIGIL_MCP__MAX_RETRIES", "0",
                "SIGIL_MCP__SERVERS", "[{\"name\": \"gone\", \"url\": \"http://127.0.0.1:1/mcp\"}]"), dir).run("health");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.out()).containsPattern("mcp:gone +unhealthy +down \\(streamable_http http://127.0.0.1:1/mcp\\)")
                .endsWith("degraded\n");
    }
}
