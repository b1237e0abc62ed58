package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class RouteAndReasonCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void routeExplainsKeywordsFactorsAndSubsystems() {
        assertThat(run("route", "create", "a", "new", "agent", "that", "calls", "the", "CRM", "API")).isZero();
        assertThat(out.toString())
                .contains("intent:      create_agent -> handler builder")
                .contains("create_agent    create, new agent (score 2.20)")
                .contains("tools      0.60  (3 / 5: api, calls, crm)")
                .contains("memory     yes (agent or memory intent)");
    }

    @Test
    void routeJsonCarriesTheDecision() throws Exception {
        assertThat(run("route", "--json", "/status")).isZero();
        JsonNode d = new ObjectMapper().readTree(out.toString());
        assertThat(d.get("intent").asText()).isEqualTo("system_command");
        assertThat(d.get("confidence").asDouble()).isEqualTo(1.0);
        assertThat(d.at("/factors/rule").asText()).isEqualTo("slash command");
        assertThat(d.at("/factors/complexity/cap").asDouble()).isEqualTo(0.3);
    }

    @Test
    void routeInLlmModeWorksWithTheOfflineModel() {
        // Whatever the offline model answers, the decision is explained (by the model or the keyword fallback).
        assertThat(run("route", "--mode", "llm", "--model", "test", "run", "the", "demo")).isZero();
        assertThat(out.toString()).containsPattern("router:      (llm|keyword) ").contains("complexity:");
    }

    @Test
    void reasonPrintsStrategyTraceAndAnswer() {
        assertThat(run("reason", "--model", "test", "--strategy", "chain_of_thought", "Why is the sky blue?")).isZero();
        assertThat(out.toString())
                .contains("strategy:   chain_of_thought (forced by the caller)")
                .contains("== chain_of_thought: succeeded")
                .contains("answer (chain_of_thought, confidence 0.50):");
    }

    @Test
    void reasonJsonListsAttemptsTracesAndEvents() throws Exception {
        assertThat(run("reason", "--json", "--model", "test", "--strategy", "mcts", "--max-tokens", "1000", "x")).isZero();
        JsonNode o = new ObjectMapper().readTree(out.toString());
        assertThat(o.get("selected").asText()).isEqualTo("mcts");
        assertThat(o.get("strategy").asText()).isEqualTo("chain_of_thought");
        assertThat(o.get("fallbacks").asInt()).isEqualTo(3);
        assertThat(o.at("/attempts/0/error").asText()).startsWith("[TOKEN_BUDGET_EXCEEDED]");
        assertThat(o.get("events").findValuesAsText("type")).containsExactly("reasoning.strategy_selected",
                "reasoning.fallback", "reasoning.fallback", "reasoning.fallback", "reasoning.completed");
    }

    @Test
    void badStrategyAndRoutingModeAreUsageErrors() {
        assertThat(run("reason", "--model", "test", "--strategy", "magic", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("[INVALID_INPUT] unknown reasoning strategy 'magic'").contains("hint: use one of");
        assertThat(run("route", "--mode", "psychic", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("[CONFIG_ERROR] unknown routing mode 'psychic'");
    }

    @Test
    void reasonRunsReactAgainstAnOpenAiCompatibleServerOverHttp() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(FakeReply.toolUse("call_1", "current_time", "{\"timezone\":\"UTC\"}"),
                    FakeReply.text("Final answer: it is past noon"));
            int exit = run("reason", "--model", "openai:gpt-fake", "--base-url", server.baseUrl(),
                    "--strategy", "react", "What", "time", "is", "it?");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("action      current_time {\"timezone\":\"UTC\"}")
                    .contains("answer (react, confidence 0.80):\nit is past noon")
                    .contains("model openai:gpt-fake");
            assertThat(server.requests()).hasSize(2);
            assertThat(server.requests().getFirst().body()).contains("\"current_time\"");
            // The tool result goes back as a tool message, wrapped as untrusted data.
            assertThat(server.lastRequest().body()).contains("call_1").contains("UNTRUSTED_DATA");
        }
    }

    @Test
    void llmRoutingAgainstAnAnthropicServerOverHttp() {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            server.enqueue(FakeReply.toolUse("toolu_1", "classify_intent",
                    "{\"intent\":\"query_memory\",\"confidence\":0.9,\"reason\":\"asks what was stored\"}"));
            int exit = run("route", "--mode", "llm", "--model", "anthropic:claude-fake", "--base-url", server.baseUrl(),
                    "hello", "again");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("intent:      query_memory -> handler memory_query (confidence 0.90)")
                    .contains("router:      llm (model tool call (anthropic:claude-fake))")
                    .contains("note:        asks what was stored");
            assertThat(server.lastRequest().body()).contains("classify_intent");
        }
    }
}
