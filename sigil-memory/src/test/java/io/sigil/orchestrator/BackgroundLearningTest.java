package io.sigil.orchestrator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.events.RecordedEvent;
import io.sigil.events.file.FileEventStore;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.Consolidator;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Resource;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.Scope;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.extract.Extracted;
import io.sigil.memory.extract.Extractor;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.KeywordRouter;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The orchestrator learns from a run after answering it: extraction and indexing never hold the response. */
class BackgroundLearningTest {
    private static final Settings.Features MEMORY_ON = new Settings.Features(true, false, false, false, true);

    @TempDir Path dir;
    private FileEventStore events;
    private LuceneMemoryStore store;
    private Orchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) orchestrator.close(Duration.ofSeconds(30));
        if (store != null) store.close();
        if (events != null) events.close();
    }

    /** An extractor that waits for the test's go-ahead, as a slow model would. */
    private static Extractor gated(CountDownLatch go, boolean fail) {
        return new Extractor() {
            @Override
            public List<Extracted> extract(Resource resource) {
                try {
                    if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                if (fail) throw new IllegalStateException("extraction model unavailable");
                return List.of(new Extracted("The customer prefers email", "lead_preferences", 0.9));
            }

            @Override
            public String name() { return "gated"; }
        };
    }

    private Orchestrator orchestrator(Extractor extractor) {
        events = FileEventStore.open(dir.resolve("state"), 10_000);
        store = LuceneMemoryStore.open(dir.resolve("memory"), SharedEmbedder.get());
        var memory = new MemoryService(store, extractor, new Consolidator(null),
                Retriever.builder().store(store).retrievalK(5).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION).build(), null, 100, null);
        var strategies = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet());
        var definitions = new AgentDefinitions(strategies);
        var loader = new ContractLoader();
        OrchestratorConfig config = OrchestratorConfig.from(Settings.defaults()).withFeatures(MEMORY_ON);
        return Orchestrator.builder().config(config)
                .agents(new FileAgentRegistry(dir.resolve("agents"), definitions)).definitions(definitions)
                .models(model -> TestModel.scripted(r -> TestModel.text("Noted: email it is.")))
                .router(new KeywordRouter()).sessions(new SessionManager(events)).memory(() -> memory)
                .contracts(new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader)))
                .tools(ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC())))
                .planCache(new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 100))
                .meters(new SimpleMeterRegistry()).clock(Clock.systemUTC()).build();
    }

    private List<String> eventTypes(String sessionId) {
        return new SessionManager(events).events(sessionId, null).stream().map(RecordedEvent::eventType).toList();
    }

    @Test
    void aSlowExtractionDoesNotHoldTheResponseAndItsItemsArriveLater() throws Exception {
        var go = new CountDownLatch(1);
        orchestrator = orchestrator(gated(go, false));

        RunResponse response = orchestrator.handle(RunRequest.builder("I prefer email, please").userId("ann").build(),
                RunListener.NONE);

        // The extractor is still blocked, yet the run has answered.
        assertThat(response.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(response.metadata()).containsEntry("memory_learning", "queued");
        assertThat(eventTypes(response.sessionId())).doesNotContain("memory.extracted");

        go.countDown();
        assertThat(orchestrator.awaitLearning(Duration.ofSeconds(30))).isTrue();
        assertThat(eventTypes(response.sessionId())).contains("memory.extracted");
        assertThat(store.items(SearchFilter.of(Scope.user("ann")), 10)).extracting(i -> i.content())
                .containsExactly("The customer prefers email");
    }

    @Test
    void aFailedLearningJobIsRecordedInTheSessionNotLost() throws Exception {
        var go = new CountDownLatch(1);
        orchestrator = orchestrator(gated(go, true));

        RunResponse response = orchestrator.handle(RunRequest.builder("I prefer email").userId("ann").build(),
                RunListener.NONE);
        go.countDown();

        assertThat(response.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(orchestrator.awaitLearning(Duration.ofSeconds(30))).isTrue();
        var errors = new SessionManager(events).events(response.sessionId(), null).stream()
                .filter(e -> e.eventType().equals("error.occurred")).toList();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.event().payload().toString())
                .contains("LEARNING_FAILED").contains("extraction model unavailable"));
    }

    @Test
    void closingDrainsTheRunsWaitingToBeLearnedFrom() {
        var go = new CountDownLatch(1);
        orchestrator = orchestrator(gated(go, false));
        for (int i = 0; i < 3; i++) {
            orchestrator.handle(RunRequest.builder("I prefer email " + i).userId("ann").build(), RunListener.NONE);
        }
        go.countDown();

        assertThat(orchestrator.close(Duration.ofSeconds(30))).isZero();
        store.flush();
        assertThat(store.items(SearchFilter.of(Scope.user("ann")), 10)).hasSize(1); // the same fact, merged
        assertThat(store.items(SearchFilter.of(Scope.user("ann")), 1).getFirst().metadata()).containsEntry("mentions", "3");
    }
}
