package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthAndCompletionTest {

    @TempDir
    Path dir;

    @Test
    void healthyWithTheOfflineModelAndWritableDirectories() {
        var run = new CliHarness(Map.of("SIGIL_LLM__MODEL", "test"), dir).run("health");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("llm +healthy +test: no key needed")
                .containsPattern("state +healthy +" + java.util.regex.Pattern.quote(dir.resolve("data/state").toString()))
                .endsWith("healthy\n");
    }

    @Test
    void aMissingKeyForTheConfiguredProviderIsDegraded() throws IOException {
        var run = new CliHarness(Map.of(), dir).run("health", "--json");
        assertThat(run.exit()).isEqualTo(1);
        JsonNode body = new ObjectMapper().readTree(run.out());
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.at("/checks/llm/status").asText()).isEqualTo("degraded");
        assertThat(body.at("/checks/llm/detail").asText()).contains("ANTHROPIC_API_KEY");

        var withKey = new CliHarness(Map.of("OPENAI_API_KEY", "sk-x", "SIGIL_LLM__MODEL", "openai:gpt-4o-mini"), dir).run("health");
        assertThat(withKey.exit()).isZero();
        assertThat(withKey.out()).contains("openai: key present (OPENAI_API_KEY)");
    }

    @Test
    void anUnusableDataDirectoryIsUnhealthy() throws IOException {
        Files.writeString(dir.resolve("not-a-dir"), "x");
        var run = new CliHarness(Map.of("SIGIL_LLM__MODEL", "test", "SIGIL_STATE_DATA_DIR", "not-a-dir"), dir).run("health");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("state +unhealthy +.*not-a-dir exists but is not a directory")
                .endsWith("unhealthy\n");
    }

    @Test
    void configuredServicesAreProbedAndAnUnreachableCacheDegrades() throws IOException {
        int closedPort;
        try (var probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (var db = new ServerSocket(0)) {
            var run = new CliHarness(Map.of("SIGIL_LLM__MODEL", "test",
                    "DATABASE_URL", "postgresql://sigil:pw@127.0.0.1:" + db.getLocalPort() + "/sigil",
                    "REDIS_URL", "redis://127.0.0.1:" + closedPort), dir).run("health");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out()).containsPattern("database +healthy +127.0.0.1:" + db.getLocalPort() + " accepts connections")
                    .containsPattern("cache +degraded +127.0.0.1:" + closedPort + " unreachable")
                    .doesNotContain("pw@").endsWith("degraded\n");
        }
    }

    @Test
    void completionScriptsCoverTheCommandTree() {
        var bash = new CliHarness(Map.of(), dir).run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_sigil").contains("config").contains("health")
                .contains("validate").contains("--sources");
        var zsh = new CliHarness(Map.of(), dir).run("completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).contains("bashcompinit");
        assertThat(new CliHarness(Map.of(), dir).run("completion", "fish").exit()).isEqualTo(2);
    }

    @Test
    void bashCompletesTheLauncherScriptAsWellAsSigil() throws Exception {
        java.nio.file.Path script = dir.resolve("sigil-completion.bash");
        java.nio.file.Files.writeString(script, new CliHarness(Map.of(), dir).run("completion", "bash").out());
        Process bash = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p sigil bin/sigil ./bin/sigil")
                .redirectErrorStream(true).start();
        String shown = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(shown).isZero();
        assertThat(shown).contains("_complete_sigil sigil").contains("_complete_sigil bin/sigil")
                .contains("_complete_sigil ./bin/sigil");
    }

    @Test
    void aMistypedCommandSuggestsTheRightOne() {
        var rn = new CliHarness(Map.of(), dir).run("rn", "hello");
        assertThat(rn.exit()).isEqualTo(2);
        assertThat(rn.err()).contains("[INVALID_INPUT] Unmatched arguments").contains("hint: did you mean 'sigil run'?");
    }
}
