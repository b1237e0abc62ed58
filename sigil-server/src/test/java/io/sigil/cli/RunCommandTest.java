package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil run, agents and plan, in-process with the offline test model and data in a temp directory. */
class RunCommandTest {
    @TempDir Path dir;

    private CliHarness cli() {
        return new CliHarness(Map.of(
                "SIGIL_STATE_DATA_DIR", dir.resolve("state").toString(),
                "SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString(),
                "SIGIL_AGENTS_DIR", dir.resolve("agents").toString(),
                "SIGIL_USE_CONTRACTS", "true",
                "SIGIL_USE_PLANNING", "true",
                "SIGIL_LLM__MODEL", "test"), dir);
    }

    @Test
    void runAnswersOfflineAndShowsItsSteps() {
        var run = cli().run("run", "hello", "there");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("[offline test model: no LLM was called]");
        assertThat(run.err()).contains("warning synthetic output: invented by the offline test model")
                .contains("route   general_chat").contains("reason  direct").contains("done    success");
    }

    @Test
    void theAnswerIsPrintedOnceWhenStdoutIsATerminal() {
        var terminal = new CliHarness(cli().env(), dir, true).run("run", "hello", "there");
        var piped = cli().run("run", "hello", "there");

        String answer = "[offline test model: no LLM was called]";
        assertThat(terminal.exit()).isZero();
        assertThat(count(terminal.out() + terminal.err(), answer)).as("stdout and stderr of a terminal").isEqualTo(1);
        // Piped, stdout carries the answer for the script and stderr still shows it as it streams.
        assertThat(count(piped.out(), answer)).isEqualTo(1);
        assertThat(count(piped.err(), answer)).isEqualTo(1);
    }

    @Test
    void aRunWithMemoryOnLearnsFromItsExchangeBeforeTheProcessEnds() {
        // The exchange is learned after the answer, while the command closes Sigil; memory opens only then.
        var env = new java.util.HashMap<>(cli().env());
        env.put("SIGIL_USE_MEMORY", "true");
        var memoryOn = new CliHarness(env, dir);
        var run = memoryOn.run("run", "--user", "alice", "--quiet", "I like green tea. My name is Alice.");
        assertThat(run.exit()).as(run.err()).isZero();

        var search = memoryOn.run("memory", "search", "green tea", "--scope", "user:alice");
        assertThat(search.out()).as(search.err()).contains("I like green tea");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void runJsonIsTheApiWireFormatWithTheRouteFactorsOfSigilRoute() throws Exception {
        var run = cli().run("run", "--json", "hello", "there");
        var route = cli().run("route", "--json", "hello", "there");

        JsonNode response = new ObjectMapper().readTree(run.out());
        assertThat(response.path("status").asText()).isEqualTo("success");
        assertThat(response.path("route").path("intent").asText()).isEqualTo("general_chat");
        assertThat(response.path("route").path("factors"))
                .isEqualTo(new ObjectMapper().readTree(route.out()).path("factors"));
        assertThat(response.path("metadata").path("synthetic").asBoolean()).isTrue();
        assertThat(response.path("warnings").toString()).contains("synthetic output");
        assertThat(run.out()).doesNotContain("\"SUCCESS\"").doesNotContain("GENERAL_CHAT").doesNotContain("lengthFactor");
    }

    @Test
    void anAgentWithAContractReturnsAValidResultThatReplayShows() throws Exception {
        var run = cli().run("run", "--json", "--agent", "lead_qualifier", "Qualify ACME: budget approved, CFO decides");

        assertThat(run.exit()).isZero();
        JsonNode response = new ObjectMapper().readTree(run.out());
        assertThat(response.path("status").asText()).isEqualTo("success");
        assertThat(response.path("contract").path("outcome").asText()).isEqualTo("valid");
        assertThat(response.path("output").path("score").asInt()).isBetween(0, 100);
        String session = response.path("session_id").asText();

        var replay = cli().run("sessions", "replay", session);
        assertThat(replay.exit()).isZero();
        assertThat(replay.out()).contains("[user] Qualify ACME").contains("lead_qualification attempt 1: passed");
        var events = cli().run("sessions", "events", session);
        assertThat(events.out()).contains("reasoning.strategy_selected").contains("llm.called")
                .contains("contract.validated");
    }

    @Test
    void aBudgetTooSmallForAnyStrategyExitsWithFour() {
        var run = cli().run("run", "--max-tokens", "10", "hello");

        assertThat(run.exit()).isEqualTo(ExitCodes.CONTRACT);
        assertThat(run.err()).contains("[TOKEN_BUDGET_EXCEEDED]").contains("  hint: Raise the request's token budget (--max-tokens)");
        var quiet = cli().run("run", "--quiet", "--max-tokens", "10", "hello");
        assertThat(quiet.err()).contains("[TOKEN_BUDGET_EXCEEDED]").contains("  hint: Raise");
    }

    @Test
    void unknownAgentIsNotFound() {
        var run = cli().run("run", "--agent", "nobody", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).contains("[NOT_FOUND] Agent 'nobody' not found");
    }

    @Test
    void agentsListShowCreateDelete() throws Exception {
        assertThat(cli().run("agents", "list").out()).contains("lead_qualifier").contains("research_assistant")
                .contains("appointment_setter");
        assertThat(cli().run("agents", "show", "lead_qualifier").out()).contains("contract_name: \"lead_qualification\"");

        var created = cli().run("agents", "create", "--from", "an agent that answers support questions");
        assertThat(created.exit()).isZero();
        assertThat(created.out()).contains("name: \"support_helper\"");
        assertThat(Files.exists(dir.resolve("agents/support_helper.yaml"))).isTrue();

        assertThat(cli().run("agents", "delete", "support_helper").exit()).isZero();
        assertThat(cli().run("agents", "delete", "support_helper").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void planShowsAPlanWithoutRunningIt() {
        var plan = cli().run("plan", "Write a market report");

        assertThat(plan.exit()).isZero();
        assertThat(plan.out()).contains("s1 [reasoning]").contains("s2 [reasoning]").contains("after s1");
        assertThat(plan.err()).contains("warning synthetic output");
    }

    @Test
    void planJsonIsThePlansEndpointBody() throws Exception {
        var plan = cli().run("plan", "--json", "Write a market report");

        JsonNode body = new ObjectMapper().readTree(plan.out());
        assertThat(body.path("plan").path("steps").size()).isGreaterThanOrEqualTo(2);
        assertThat(body.path("metadata").path("synthetic").asBoolean()).isTrue();
        assertThat(body.path("warnings").toString()).contains("synthetic output");
    }

    @Test
    void anAgentsDeclaredContractIsEnforcedWithContractsOffAndFeaturesItNeedsAreReported() throws Exception {
        var env = new java.util.HashMap<>(cli().env());
        env.put("SIGIL_USE_CONTRACTS", "false");
        env.put("SIGIL_USE_MEMORY", "false");
        var run = new CliHarness(env, dir).run("run", "--json", "--agent", "lead_qualifier",
                "Qualify ACME: budget approved, CFO decides");

        JsonNode response = new ObjectMapper().readTree(run.out());
        assertThat(response.path("contract").path("name").asText()).isEqualTo("lead_qualification");
        assertThat(response.path("warnings").toString())
                .contains("agent lead_qualifier uses memory, but memory is off (SIGIL_USE_MEMORY=false)");
    }

    @Test
    void configShowSourcesListsTheFilesRead() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/default.yaml"), "features:\n  planning: true\n");
        var show = cli().run("config", "show", "--sources");
        assertThat(show.out()).startsWith("# files read: " + dir.resolve("config/default.yaml"));
    }
}
