package io.sigil.evolution;

import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ChatModel;
import io.sigil.llm.anthropic.AnthropicChatModel;
import io.sigil.llm.openai.OpenAiChatModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One full optimisation over the wire: the real provider SDKs against local servers speaking the Anthropic and
 * OpenAI protocols. The fake answers like the scripted model of {@link EvolutionFixture}: the agent's draft states the
 * timeline only when its system prompt asks for it, the contract stage delivers a timeline only from such a draft,
 * and a rewrite request gets a prompt that asks for the timeline.
 */
class EvolutionWireTest {
    @TempDir
    Path dir;

    static FakeReply answer(RecordedRequest r) {
        String body = r.body();
        var json = r.json();
        if (body.contains("prompt_candidates")) {
            return FakeReply.json("{\"prompts\": [" + EvolutionFixture.quote(EvolutionFixture.PROMPT
                    + " Always state the buyer's timeline.") + "]}");
        }
        boolean structured = json.path("response_format").isObject() || json.path("tool_choice").path("type").asText().equals("tool");
        if (structured) {
            return FakeReply.json(body.contains("TIMELINE:") ? "{\"score\": 70, \"timeline\": \"next quarter\"}" : "{\"score\": 70}");
        }
        return FakeReply.text("The lead looks promising." + (body.toLowerCase().contains("timeline") ? " TIMELINE: next quarter." : ""), 40, 12);
    }

    static ChatModel model(FakeLlmServer server) {
        Duration timeout = Duration.ofSeconds(10);
        return server instanceof FakeAnthropicServer
                ? AnthropicChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").model("some-model")
                        .maxTokens(1024).timeout(timeout).build()
                : OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").model("some-model")
                        .maxTokens(1024).timeout(timeout).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai"})
    void anOptimisationOverTheWireFindsAndKeepsAPassingPrompt(String provider) throws Exception {
        try (FakeLlmServer server = provider.equals("anthropic") ? new FakeAnthropicServer() : new FakeOpenAiServer();
             var f = new EvolutionFixture(dir, 6)) {
            server.respondWith(EvolutionWireTest::answer);
            ChatModel wire = model(server);
            var run = f.service(true, wire, wire).optimize("qualifier", OptimizeOptions.builder().generations(1)
                    .beamWidth(1).reflective(1).mutations(0).repeats(2).concurrency(2).tokenBudget(500_000).build(),
                    EvolutionListener.NONE);
            OptimizationResult r = run.result();

            assertThat(r.status()).as(r.reason()).isEqualTo(OptimizationResult.Status.IMPROVED);
            assertThat(r.candidate().candidate().origin()).isEqualTo("reflective");
            assertThat(f.prompt()).endsWith("Always state the buyer's timeline.");
            assertThat(r.cost().modelCalls()).isEqualTo(server.requestCount());
            assertThat(r.cost().totalTokens()).isPositive();
            assertThat(server.requests()).anySatisfy(q -> assertThat(q.body()).contains("prompt_candidates"));
        }
    }
}
