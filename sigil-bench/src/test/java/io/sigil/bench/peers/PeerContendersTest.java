package io.sigil.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer benchmark times real work: each contender answers S1 with one request and repairs S2 with a second one,
 * against the benchmark's fake server (in process here). Spring AI is left out: its json-schema-validator 3 cannot
 * share a classpath with Sigil's 1.5 (the benchmark runs it in its own JVM).
 */
class PeerContendersTest {
    private FakeOpenAiServer server;

    @BeforeEach
    void start() {
        server = new FakeOpenAiServer();
        LeadTask.Answers answers = new LeadTask.Answers();
        server.respondWith(request -> FakeReply.json(answers.answer(request.body())));
    }

    @AfterEach
    void stop() { server.close(); }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "sigil", "langchain4j"})
    void s1IsOneRequestAndAValidResult(String name) {
        Contender c = Contender.create(name, server.baseUrl());
        LeadQualification q = LeadTask.expectValid(c.qualify(LeadTask.next(LeadTask.Scenario.S1)));
        assertThat(q.recommendedAction()).isNotBlank();
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.requestBytes()).isEqualTo(server.lastRequest().body().getBytes().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "sigil", "langchain4j"})
    void s2IsDetectedAndRepairedWithASecondRequest(String name) {
        Contender c = Contender.create(name, server.baseUrl());
        LeadTask.expectValid(c.qualify(LeadTask.next(LeadTask.Scenario.S2)));
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).body()).contains("recommendedAction");
    }

    @Test
    void sigilsRepairCarriesThePreviousAnswerAndItsErrorsAndItsRequestsAreLean() {
        Contender sigil = Contender.create("sigil", server.baseUrl());
        String task = LeadTask.next(LeadTask.Scenario.S2);
        LeadTask.expectValid(sigil.qualify(task));

        JsonNode first = server.requests().get(0).json();
        assertThat(first.path("messages")).hasSize(1); // no system prompt: the schema describes the deliverables
        assertThat(first.has("temperature")).isFalse();
        assertThat(first.has("max_completion_tokens")).isFalse();
        JsonNode schema = first.path("response_format").path("json_schema").path("schema");
        assertThat(schema.path("description").asText()).startsWith("Qualify a sales lead");
        assertThat(schema.at("/properties/score/maximum").asInt()).isEqualTo(100);
        assertThat(schema.toString()).doesNotContain("examples");

        JsonNode repair = server.requests().get(1).json().path("messages");
        assertThat(repair).hasSize(3);
        assertThat(repair.get(0).path("content").asText()).isEqualTo(task);
        assertThat(repair.get(1).path("content").asText()).isEqualTo(LeadTask.MISSING_ACTION);
        assertThat(repair.get(2).path("content").asText()).contains("recommendedAction: Required deliverable is missing")
                .doesNotContain("Example");
    }

    @Test
    void theFakeServerAnswersS2InvalidOnceThenValidAndS1AlwaysValid() {
        LeadTask.Answers answers = new LeadTask.Answers();
        String s2 = LeadTask.next(LeadTask.Scenario.S2);
        assertThat(answers.answer(s2)).isEqualTo(LeadTask.MISSING_ACTION);
        assertThat(answers.answer(s2 + " errors")).isEqualTo(LeadTask.VALID);
        assertThat(answers.answer(LeadTask.next(LeadTask.Scenario.S1))).isEqualTo(LeadTask.VALID);
    }
}
