package io.sigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mcp.servers}: a YAML list of mappings, or JSON in the environment, with every bad entry reported. */
class McpServersConfigTest {
    @TempDir Path dir;

    @Test
    void serversAreDeclaredInYaml() throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/default.yaml"), """
                mcp:
                  timeout: 10s
                  servers:
                    - name: fs
                      command: npx
                      args: ["-y", "@modelcontextprotocol/server-filesystem", "/data"]
                      env: {NODE_ENV: production}
                    - name: search
                      url: https://mcp.example.com/mcp
                      headers:
                        Authorization: Bearer abc
                """);
        Settings.Mcp mcp = ConfigLoader.load(ConfigInputs.of(Map.of(), dir)).settings().tools().mcp();
        assertThat(mcp.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(mcp.maxRetries()).isEqualTo(3);
        assertThat(mcp.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(mcp.servers()).containsExactly(
                new Settings.McpServer("fs", "npx", List.of("-y", "@modelcontextprotocol/server-filesystem", "/data"),
                        Map.of("NODE_ENV", "production"), null, Map.of()),
                new Settings.McpServer("search", null, List.of(), Map.of(), "https://mcp.example.com/mcp",
                        Map.of("Authorization", "Bearer abc")));
        assertThat(mcp.servers().get(1).toString()).doesNotContain("abc");
    }

    @Test
    void serversAreDeclaredAsJsonInTheEnvironment() {
        var env = Map.of("SIGIL_MCP__SERVERS", "[{\"name\": \"everything\", \"command\": \"node\", \"args\": [\"index.js\", \"stdio\"]}]");
        Settings.Mcp mcp = ConfigLoader.load(ConfigInputs.of(env, dir)).settings().tools().mcp();
        assertThat(mcp.servers()).extracting(Settings.McpServer::name).containsExactly("everything");
        assertThat(mcp.servers().getFirst().stdio()).isTrue();
    }

    @Test
    void everyProblemOfEveryEntryIsReportedAtOnce() {
        var env = Map.of("SIGIL_MCP__SERVERS", "[{\"name\": \"Bad Name\", \"command\": \"x\", \"url\": \"http://h/mcp\"},"
                + " {\"name\": \"ok\", \"url\": \"ftp://h\", \"colour\": \"red\"}, {\"name\": \"ok\", \"command\": \"y\"}]");
        ConfigLoader.Outcome outcome = ConfigLoader.check(ConfigInputs.of(env, dir));
        assertThat(outcome.config()).isEmpty();
        String message = outcome.errors().getFirst().describe();
        assertThat(message).contains("mcp.servers")
                .contains("servers[0].name 'Bad Name' must be 1-32 characters")
                .contains("servers[0] needs exactly one of command (stdio) or url (Streamable HTTP)")
                .contains("servers[1]: unknown field 'colour'")
                .contains("servers[1].url 'ftp://h' must be an http:// or https:// URL")
                .contains("servers[2].name 'ok' is used twice");
    }
}
