package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged distribution run as a real process: exit codes, stdout kept clean, stderr for logs and errors. */
class SigilJarIT {

    private static Path jar;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) { }

    @BeforeAll
    static void findJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("sigil-server-.*\\.jar"))
                    .filter(p -> !p.toString().endsWith("-tests.jar")).findFirst().orElseThrow();
        }
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        return runWithInput(env, null, args);
    }

    /** Runs the jar with {@code stdin} (null: none) piped to its standard input. */
    private Result runWithInput(Map<String, String> env, String stdin, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGIL_") || k.endsWith("_API_KEY")
                || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            Path in = dir.resolve("stdin.txt");
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            pb.redirectInput(in.toFile());
        }
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = run(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("sigil 0.1.0");
        assertThat(version.err()).isEmpty();
        assertThat(run(Map.of(), "--help").out()).contains("config", "health", "completion");
    }

    @Test
    void productionWithoutJwtSecretExitsTwoWithOneClearMessage() throws Exception {
        Result r = run(Map.of("SIGIL_ENVIRONMENT", "production"), "config", "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("[CONFIG_ERROR] invalid configuration: security.jwt_secret (default): required in production")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void stdoutStaysCleanJsonWhileLogsAndWarningsGoToStderr() throws Exception {
        Files.writeString(dir.resolve(".env"), "SIGIL_LLM_MODLE=typo\n");
        Result r = run(Map.of("SIGIL_LOG_LEVEL", "DEBUG", "SIGIL_LOG_FORMAT", "json", "ANTHROPIC_API_KEY", "sk-ant-secret"),
                "health", "--json");
        assertThat(r.exit()).isZero();
        var body = new ObjectMapper().readTree(r.out());
        assertThat(body.get("status").asText()).isEqualTo("healthy");
        var warning = new ObjectMapper().readTree(r.err().lines().filter(l -> l.contains("SIGIL_LLM_MODLE")).findFirst().orElseThrow());
        assertThat(warning.get("level").asText()).isEqualTo("WARN");
        assertThat(warning.get("logger").asText()).isEqualTo("io.sigil.config");
        assertThat(warning.get("message").asText()).contains("did you mean SIGIL_LLM_MODEL?");
        assertThat(r.out() + r.err()).doesNotContain("sk-ant-secret");
    }

    @Test
    void chatConverselyInOneSessionFromPipedInput() throws Exception {
        String input = String.join("\n", "hello there", "/session", "and again", "/session", "/tokens", "/agents",
                "/agent lead_qualifier", "/agent no_such_agent", "/bogus", "/exit", "never read") + "\n";
        Result r = runWithInput(Map.of(
                "SIGIL_STATE_DATA_DIR", dir.resolve("state").toString(),
                "SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString(),
                "SIGIL_AGENTS_DIR", dir.resolve("agents").toString(),
                "SIGIL_USE_MEMORY", "false",
                "SIGIL_LLM__MODEL", "test"), input, "chat");

        assertThat(r.exit()).as(r.err()).isZero();
        java.util.regex.Matcher started = java.util.regex.Pattern.compile("session ([0-9a-f-]{36})").matcher(r.out());
        assertThat(started.find()).as(r.out()).isTrue();
        String session = started.group(1);
        assertThat(r.out()).contains("sigil chat (offline test model: answers are placeholders)")
                .contains("[offline test model: no LLM was called] You said: Task:\nhello there")
                .contains("session (continued) " + session)
                .contains(session + " (2 messages)").contains(session + " (4 messages)")
                .containsPattern("\\d+ tokens in this chat")
                .contains("lead_qualifier  Qualifies sales leads").contains("talking to lead_qualifier")
                .contains("[NOT_FOUND] Agent 'no_such_agent' not found")
                .contains("unknown command /bogus; /help lists them")
                .doesNotContain("never read");
        assertThat(r.out() + r.err()).doesNotContain("Exception");
        // Both messages went to one session, which the event store kept.
        Result show = run(Map.of("SIGIL_STATE_DATA_DIR", dir.resolve("state").toString()), "sessions", "show", session);
        assertThat(show.out()).contains("Messages    4");
    }

    @Test
    void aBadValueOnTheCommandLineIsAUsageError() throws Exception {
        Result r = run(Map.of(), "--set", "llm.temperature=3", "health");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("llm.temperature = 3 (command line --set llm.temperature=3): allowed 0..2");
    }
}
