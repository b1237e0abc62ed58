package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.events.RecordedEvent;
import io.sigil.events.file.FileEventStore;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ModelResolver;
import io.sigil.memory.MemoryService;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.KeywordRouter;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main run path over HTTP: the real Anthropic SDK model (through {@link ModelResolver}, with Sigil's
 * resilience wrapper) against a local server speaking the Messages API, a real event store and registries.
 */
class OrchestratorWireTest {
    @TempDir Path dir;
    private FakeAnthropicServer server;
    private FileEventStore store;
    private Orchestrator orchestrator;

    @BeforeEach
    void start() {
        server = new FakeAnthropicServer();
        store = FileEventStore.open(dir.resolve("state"), 10_000);
        Settings.Llm llm = Settings.Llm.builder().provider("anthropic").model("claude-test").temperature(0.2)
                .maxTokens(1024).timeout(Duration.ofSeconds(60)).maxRetries(0).anthropicApiKey("test-key")
                .anthropicBaseUrl(server.baseUrl()).build();
        ChatModel model = new ModelResolver(llm).resolve("anthropic:claude-test");
        var strategies = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet());
        var definitions = new AgentDefinitions(strategies);
        var loader = new ContractLoader();
        Supplier<MemoryService> noMemory = () -> { throw new AssertionError("memory is off in this test"); };
        OrchestratorConfig config = OrchestratorConfig.from(Settings.defaults())
                .withFeatures(new Settings.Features(false, true, true, false, true));
        orchestrator = Orchestrator.builder().config(config)
                .agents(new FileAgentRegistry(dir.resolve("agents"), definitions)).definitions(definitions)
                .models(s -> model).router(new KeywordRouter()).sessions(new SessionManager(store)).memory(noMemory)
                .contracts(new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader)))
                .tools(ToolRegistry.of()).planCache(new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 100))
                .meters(new SimpleMeterRegistry()).clock(Clock.systemUTC()).build();
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    /** The SDK sends the key as x-api-key or, in some versions, as a bearer token. */
    private static String apiKey(RecordedRequest r) {
        String auth = r.header("authorization");
        return r.header("x-api-key") != null ? r.header("x-api-key") : auth == null ? null : auth.replace("Bearer ", "");
    }

    private List<RecordedEvent> llmCalls(String sessionId) {
        return new SessionManager(store).events(sessionId, "llm.called");
    }

    private static long tokens(List<RecordedEvent> calls) {
        return calls.stream().mapToLong(e -> ((Number) e.event().payload().get("input_tokens")).longValue()
                + ((Number) e.event().payload().get("output_tokens")).longValue()).sum();
    }

    @Test
    void aSimpleRequestGoesDirectOverTheWire() {
        server.enqueue(FakeReply.text("Hello! How can I help?", 31, 7));

        RunResponse response = orchestrator.handle(RunRequest.of("hello"), RunListener.NONE);

        assertThat(response.errors()).isEmpty();
        assertThat(response.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(response.answerText()).isEqualTo("Hello! How can I help?");
        assertThat(server.requests()).hasSize(1);
        RecordedRequest sent = server.requests().getFirst();
        assertThat(apiKey(sent)).isEqualTo("test-key");
        JsonNode body = sent.json();
        assertThat(body.path("system").toString()).contains("You are Sigil").contains("Answer the task directly");
        assertThat(body.path("model").asText()).isEqualTo("claude-test");
        assertThat(body.path("messages").toString()).contains("hello");
        assertThat(sent.body()).as("Sigil's call metadata stays out of the provider request")
                .doesNotContain(response.sessionId()).doesNotContain(response.requestId());
        assertThat(body.has("tools")).isFalse();

        List<RecordedEvent> calls = llmCalls(response.sessionId());
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().event().payload()).containsEntry("provider", "anthropic")
                .containsEntry("input_tokens", 31).containsEntry("output_tokens", 7);
        assertThat(response.tokensUsed()).isEqualTo(38);
        assertThat(new SessionManager(store).load(response.sessionId()).tokens().total()).isEqualTo(38);
    }

    @Test
    void aContractRequestSendsTheSchemaAndReturnsAValidOutput() throws Exception {
        server.enqueue(FakeReply.text("ACME has budget and a decision maker; book a demo.", 120, 40),
                FakeReply.json(OrchestratorTest.VALID_LEAD));

        RunResponse response = orchestrator.handle(RunRequest.builder("qualify ACME Corp as a sales lead")
                .contract("lead_qualification").build(), RunListener.NONE);

        assertThat(response.errors()).isEmpty();
        assertThat(response.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(response.contract().valid()).isTrue();
        assertThat(response.contract().attempts()).isEqualTo(1);
        assertThat(response.output().get("score").asInt()).isEqualTo(80);

        assertThat(server.requests()).hasSize(2);
        JsonNode reasoning = server.requests().get(0).json();
        assertThat(reasoning.path("system").toString()).contains("Answer the task directly");
        assertThat(reasoning.has("tools")).isFalse();
        JsonNode contract = server.requests().get(1).json();
        // The deliverables are described once, in the forced tool's schema below: no system prompt repeats them.
        assertThat(contract.path("system").toString()).doesNotContain("deliverables");
        assertThat(contract.path("messages").toString()).contains("ACME has budget and a decision maker");
        // Native structured output: the contract's JSON Schema as the one tool, forced.
        assertThat(contract.path("tool_choice").path("type").asText()).isEqualTo("tool");
        assertThat(contract.path("tool_choice").path("name").asText()).isEqualTo("lead_qualification");
        assertThat(contract.path("tools")).hasSize(1);
        JsonNode schema = contract.path("tools").get(0).path("input_schema");
        assertThat(schema.path("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("score", "bant_assessment", "recommended_action");
        assertThat(schema.path("properties").path("score").path("type").asText()).isEqualTo("integer");
        for (RecordedRequest sent : server.requests()) {
            assertThat(sent.json().has("metadata")).isFalse();
            assertThat(sent.body()).doesNotContain(response.sessionId()).doesNotContain(response.requestId());
        }

        // Usage as the server reported it: the first reply's given counts; the second the fake's estimate
        // (4 characters a token: half the request body in, the tool input out).
        long contractIn = Math.max(1, estimate(contract.toString()) / 2);
        long contractOut = estimate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(OrchestratorTest.VALID_LEAD).toString());
        List<RecordedEvent> calls = llmCalls(response.sessionId());
        assertThat(calls).extracting(e -> e.event().payload().get("input_tokens"), e -> e.event().payload().get("output_tokens"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(120, 40),
                        org.assertj.core.groups.Tuple.tuple((int) contractIn, (int) contractOut));
        assertThat(response.tokensUsed()).isEqualTo(tokens(calls)).isEqualTo(160 + contractIn + contractOut);
        assertThat(new SessionManager(store).events(response.sessionId(), null)).extracting(RecordedEvent::eventType)
                .contains("contract.validated", "contract.completed");
    }

    private static long estimate(String text) { return text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4); }
}
