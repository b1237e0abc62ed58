package io.sigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sigil evolve} with the offline test model: progress on stderr, results and cost on stdout, clear errors. */
class EvolveCommandTest {
    @TempDir Path dir;

    private CliHarness cli(boolean evolution) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SIGIL_STATE_DATA_DIR", dir.resolve("state").toString(),
                "SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString(),
                "SIGIL_AGENTS_DIR", dir.resolve("agents").toString(),
                "SIGIL_LLM__MODEL", "test"));
        if (evolution) env.put("SIGIL_USE_EVOLUTION", "true");
        return new CliHarness(env, dir);
    }

    private void agent() throws Exception {
        Files.createDirectories(dir.resolve("agents/greeter.evolution"));
        Files.writeString(dir.resolve("agents/greeter.yaml"), "name: greeter\ndescription: Greets\n"
                + "system_prompt: You greet people politely and briefly.\n");
        Files.writeString(dir.resolve("agents/greeter.evolution/cases.jsonl"),
                "{\"input\": \"Hello\", \"expected\": {\"contains\": [\"offline test model\"]}}\n"
                        + "{\"input\": \"Hi\", \"expected\": {\"contains\": [\"no such words\"]}}\n");
    }

    @Test
    void evaluateShowsScoreFailuresAndCostWithProgress() throws Exception {
        agent();
        var run = cli(true).run("evolve", "evaluate", "greeter");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("greeter: score 0.500, pass rate 0.50, confidence 1.00 over 2 cases x 2 runs")
                .contains("FAIL line-2").contains("does not mention: no such words").contains("model calls");
        assertThat(run.err()).contains("evaluate: 4/4 runs");

        var optimize = cli(true).run("evolve", "optimize", "greeter", "--generations", "1", "--json");
        assertThat(optimize.out()).contains("\"optimization_id\"").contains("\"cost\"");
        assertThat(optimize.exit()).isEqualTo(1); // nothing passed the gates: not an accepted prompt

        var versions = cli(true).run("evolve", "versions", "greeter");
        assertThat(versions.out()).contains("greeter has no prompt versions yet");
    }

    @Test
    void whileOffItSaysHowToTurnItOn() throws Exception {
        agent();
        var run = cli(false).run("evolve", "versions", "greeter");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("Evolution is off").contains("SIGIL_USE_EVOLUTION=true");
    }
}
