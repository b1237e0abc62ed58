package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandTest {

    @TempDir
    Path dir;

    private CliHarness cli(Map<String, String> env) {
        return new CliHarness(env, dir);
    }

    private void write(String relative, String... lines) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, List.of(lines));
    }

    @Test
    void showSourcesTracesOneKeyThroughEverySource() throws IOException {
        write("config/default.yaml", "sigil:", "  llm:", "    model: from-default-yaml", "    max_tokens: 1000",
                "  api:", "    port: 9000", "  memory:", "    retrieval_k: 7");
        write(".env", "SIGIL_API_PORT=9001", "SIGIL_LLM_MAX_TOKENS=1001", "SIGIL_LLM_MODEL=from-dotenv");
        var run = cli(Map.of("SIGIL_LLM__MAX_TOKENS", "1002", "SIGIL_LLM__MODEL", "from-env"))
                .run("--set", "llm.model=from-cli", "config", "show", "--sources");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("memory.retrieval_k += 7 +# config/default.yaml:8\n")
                .containsPattern("api.port += 9001 +# .env:1 \\(SIGIL_API_PORT\\)\n")
                .containsPattern("llm.max_tokens += 1002 +# env SIGIL_LLM__MAX_TOKENS\n")
                .containsPattern("llm.model += from-cli +# command line --set llm.model=from-cli\n")
                .containsPattern("llm.timeout += 60s +# default\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void showMasksSecretsInTextAndJson() throws IOException {
        var env = Map.of("ANTHROPIC_API_KEY", "sk-ant-very-secret", "SIGIL_JWT_SECRET", "j".repeat(40),
                "REDIS_URL", "redis://:redis-password@cache:6379/0");
        var text = cli(env).run("config", "show", "--sources");
        assertThat(text.out()).contains("llm.anthropic_api_key").containsPattern("= \\*\\*\\* +# env ANTHROPIC_API_KEY")
                .contains("redis://:***@cache:6379/0").doesNotContain("very-secret").doesNotContain("jjjj")
                .doesNotContain("redis-password");

        var json = cli(env).run("config", "show", "--json");
        assertThat(json.exit()).isZero();
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("llm.anthropic_api_key").asText()).isEqualTo("***");
        assertThat(node.get("security.jwt_secret").asText()).isEqualTo("***");
        assertThat(node.path("llm.temperature").asText("")).isEmpty(); // not configured: not sent
        assertThat(node.get("api.port").asInt()).isEqualTo(8000);
        assertThat(node.get("features.routing").asBoolean()).isTrue();
        assertThat(node.get("api.cors_origins").get(0).asText()).isEqualTo("http://localhost:3000");
        assertThat(node.get("llm.base_url").isNull()).isTrue();
        assertThat(json.out()).doesNotContain("very-secret");

        JsonNode withSources = new ObjectMapper().readTree(cli(env).run("config", "show", "--json", "--sources").out());
        assertThat(withSources.get("llm.anthropic_api_key").get("value").asText()).isEqualTo("***");
        assertThat(withSources.get("llm.anthropic_api_key").get("source").asText()).isEqualTo("env ANTHROPIC_API_KEY");
    }

    @Test
    void validateExitsZeroWhenValidAndPrintsWarnings() throws IOException {
        write("config/default.yaml", "api:", "  reload: true");
        var run = cli(Map.of()).run("config", "validate");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("configuration is valid (environment development, 1 warning)\n");
        assertThat(run.err()).contains("warning: api.reload (config/default.yaml:2): has no effect in Sigil");
    }

    @Test
    void validateExitsTwoListingEveryProblem() {
        var run = cli(Map.of("SIGIL_LLM__TEMPERATURE", "3", "SIGIL_API_PORT", "http")).run("config", "validate");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("[CONFIG_ERROR] invalid configuration, 2 problems:\n")
                .contains("  - llm.temperature = 3 (env SIGIL_LLM__TEMPERATURE): allowed 0..2\n")
                .contains("  - api.port = http (env SIGIL_API_PORT): allowed a whole number in 0..65535\n")
                .contains("  hint: docs/configuration.md lists every key");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void productionWithoutJwtSecretOrWithDebugIsRefused() {
        var run = cli(Map.of("SIGIL_ENVIRONMENT", "production")).run("config", "validate");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("[CONFIG_ERROR] invalid configuration: security.jwt_secret (default): "
                + "required in production: set SIGIL_JWT_SECRET");

        var debug = cli(Map.of("SIGIL_ENVIRONMENT", "production", "SIGIL_JWT_SECRET", "s".repeat(32)))
                .run("--debug", "config", "validate");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err()).contains("debug = true (command line --debug): debug mode is refused in production");

        var ok = cli(Map.of("SIGIL_ENVIRONMENT", "production", "SIGIL_JWT_SECRET", "s".repeat(32))).run("config", "validate");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("environment production");
    }

    @Test
    void aConfigurationErrorStopsOtherCommandsButNotHelpOrValidate() {
        var bad = cli(Map.of("SIGIL_LLM__TEMPERATURE", "3"));
        assertThat(bad.run("health").exit()).isEqualTo(2);
        assertThat(bad.run("config", "show").exit()).isEqualTo(2);
        assertThat(bad.run("help").exit()).isZero();
        assertThat(bad.run().exit()).isZero();
        assertThat(bad.run("config").exit()).isZero();
        assertThat(bad.run("config", "--help").exit()).isZero();
        assertThat(bad.run("completion", "bash").exit()).isZero();
    }

    @Test
    void badSetOptionsAreUsageErrors() {
        var unknown = cli(Map.of()).run("--set", "llm.modle=x", "config", "show");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("llm.modle (command line --set llm.modle=x): unknown key; did you mean llm.model?");

        var malformed = cli(Map.of()).run("--set", "llm.model", "config", "show");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("[INVALID_INPUT] --set llm.model: expected KEY=VALUE");

        var missingFile = cli(Map.of()).run("--env-file", "nope.env", "config", "show");
        assertThat(missingFile.exit()).isEqualTo(2);
        assertThat(missingFile.err()).contains("nope.env (command line --env-file): no such file");
    }

    @Test
    void globalOptionsWorkAfterTheSubcommandToo() {
        var run = cli(Map.of()).run("config", "show", "--set", "llm.model=test", "--json");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"llm.model\" : \"test\"");
    }

    /** Stands for a subcommand with a dedicated option mapped to a key, like {@code llm chat --model}. */
    @picocli.CommandLine.Command(name = "probe")
    static final class Probe implements Runnable, SigilCommand.SettingsOverrides {
        @picocli.CommandLine.Option(names = "--model")
        String model;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        public List<io.sigil.config.ConfigInputs.CommandLineValue> settingsOverrides() {
            return java.util.Arrays.asList(new io.sigil.config.ConfigInputs.CommandLineValue("llm.model", model, "--model"));
        }

        public void run() {
            var v = SigilCommand.root(spec).config().value("llm.model");
            spec.commandLine().getOut().println(v.shown() + " from " + v.source().describe());
        }
    }

    private String probe(Map<String, String> env, String... args) {
        var out = new java.io.StringWriter();
        var cl = SigilCommand.commandLine(env, dir);
        cl.addSubcommand(new Probe());
        cl.setOut(new java.io.PrintWriter(out, true));
        assertThat(cl.execute(args)).isZero();
        return out.toString().strip();
    }

    @Test
    void dedicatedOptionsOfSubcommandsSetKeysBelowSet() {
        var env = Map.of("SIGIL_LLM__MODEL", "from-env");
        assertThat(probe(env, "probe")).isEqualTo("from-env from env SIGIL_LLM__MODEL");
        assertThat(probe(env, "probe", "--model", "test")).isEqualTo("test from command line --model");
        assertThat(probe(env, "--set", "llm.model=x", "probe", "--model", "test"))
                .isEqualTo("x from command line --set llm.model=x");
    }

    @Test
    void referencePrintsTheGeneratedDocs() {
        var md = cli(Map.of()).run("config", "reference");
        assertThat(md.out()).startsWith("# Configuration reference").contains("| `llm.model` |");
        var env = cli(Map.of()).run("config", "reference", "--env-example");
        assertThat(env.out()).contains("# SIGIL_LLM_MODEL=claude-sonnet-4-20250514");
    }
}
