package io.sigil.evolution;

import io.sigil.errors.EvolutionError;
import io.sigil.errors.InvalidInputError;
import io.sigil.events.RecordedEvent;
import io.sigil.events.StreamInfo;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Evolution end to end through the real pipeline with the prompt-dependent scripted model of {@link EvolutionFixture}. */
class EvolutionServiceTest {
    @TempDir
    Path dir;

    static OptimizeOptions.Builder options() {
        return OptimizeOptions.builder().generations(3).beamWidth(2).reflective(1).mutations(1).repeats(2)
                .concurrency(2).tokenBudget(1_000_000).tokensPerRun(6_000);
    }

    @Test
    void optimisationFindsAPromptThatPassesAndStoresItAsTheActiveVersion() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var service = f.service(true);
            Evaluation before = service.evaluate("qualifier", options().build(), EvolutionListener.NONE).result();
            assertThat(before.passRate()).isZero();
            assertThat(before.failing().getFirst().reasons().toString()).contains("timeline");

            var run = service.optimize("qualifier", options().build(), EvolutionListener.NONE);
            OptimizationResult r = run.result();

            assertThat(r.status()).as(r.reason()).isEqualTo(OptimizationResult.Status.IMPROVED);
            assertThat(r.heldOut().passRate()).isEqualTo(1.0);
            assertThat(r.candidate().drift()).isLessThanOrEqualTo(0.30);
            assertThat(f.prompt()).isNotEqualTo(EvolutionFixture.PROMPT).containsIgnoringCase("timeline");
            List<PromptVersion> versions = service.versions("qualifier");
            assertThat(versions).extracting(PromptVersion::versionId).containsExactly("v1", "v2");
            assertThat(versions.get(0).prompt()).isEqualTo(EvolutionFixture.PROMPT);
            assertThat(versions.get(0).status()).isEqualTo(PromptVersion.Status.SUPERSEDED);
            assertThat(versions.get(1).status()).isEqualTo(PromptVersion.Status.ACTIVE);
            assertThat(versions.get(1).parent()).isEqualTo("v1");
            assertThat(versions.get(1).optimizationId()).isEqualTo(run.id());
            assertThat(r.cost().modelCalls()).isPositive();

            List<String> types = f.sessions.events(run.id(), null).stream().map(RecordedEvent::eventType).toList();
            assertThat(types).contains("evolution.started", "evolution.generation", "evolution.completed");
            Map<String, Object> completed = f.sessions.events(run.id(), "evolution.completed").getFirst().event().payload();
            assertThat(completed.get("status")).isEqualTo("improved");
            assertThat(((Number) ((Map<?, ?>) completed.get("cost")).get("model_calls")).longValue()).isEqualTo(r.cost().modelCalls());

            Evaluation after = service.evaluate("qualifier", options().build(), EvolutionListener.NONE).result();
            assertThat(after.passRate()).isEqualTo(1.0);
            assertThat(after.confidence()).isEqualTo(1.0);
        }
    }

    @Test
    void rollbackRestoresThePreviousBehaviour() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var service = f.service(true);
            assertThat(service.optimize("qualifier", options().build(), EvolutionListener.NONE).result().status())
                    .isEqualTo(OptimizationResult.Status.IMPROVED);
            assertThat(service.evaluate("qualifier", options().build(), EvolutionListener.NONE).result().passRate()).isEqualTo(1.0);

            PromptVersion back = service.rollback("qualifier", "v1");

            assertThat(back.status()).isEqualTo(PromptVersion.Status.ACTIVE);
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
            assertThat(service.evaluate("qualifier", options().build(), EvolutionListener.NONE).result().passRate()).isZero();
            assertThat(service.versions("qualifier")).extracting(PromptVersion::status)
                    .containsExactly(PromptVersion.Status.ACTIVE, PromptVersion.Status.SUPERSEDED);
            service.rollback("qualifier", "v2");
            assertThat(f.prompt()).containsIgnoringCase("timeline");
            assertThatThrownBy(() -> service.rollback("qualifier", "v9")).hasMessageContaining("no prompt version 'v9'");
        }
    }

    @Test
    void theDriftGateBlocksACandidateThatRewritesTooMuch() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            f.rewrite = r -> "{\"prompts\": [\"Report the buyer's timeline and a score.\"]}";
            OptimizationResult r = f.service(true).optimize("qualifier", options().mutations(0).build(),
                    EvolutionListener.NONE).result();

            assertThat(r.status()).isEqualTo(OptimizationResult.Status.SAFETY_BLOCKED);
            assertThat(r.reason()).contains("drift").contains("exceeds 0.30");
            assertThat(r.heldOut().passRate()).isEqualTo(1.0); // it would have worked: only the gate stopped it
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
            assertThat(f.versions.list("qualifier")).isEmpty();
        }
    }

    @Test
    void aCandidateThatOverfitsTheTrainingCasesIsNotKept() throws Exception {
        try (var f = new EvolutionFixture(dir, 10)) {
            // The agent states the timeline only for companies its prompt names; the rewrite names the failing
            // (training) companies, so it passes training and gains nothing on the held-out companies.
            f.statesTimeline = r -> EvolutionFixture.COMPANIES.stream().anyMatch(c -> EvolutionFixture.system(r).contains(c)
                    && r.messages().stream().anyMatch(m -> EvolutionFixture.text(m).contains(c)));
            f.rewrite = r -> {
                String shown = EvolutionFixture.text(r.messages().getFirst());
                String named = String.join(", ", EvolutionFixture.COMPANIES.stream().filter(shown::contains).toList());
                return "{\"prompts\": [" + EvolutionFixture.quote(EvolutionFixture.parent(r) + " Timelines: " + named + ".") + "]}";
            };
            OptimizationResult r = f.service(true).optimize("qualifier", options().mutations(0).build(),
                    EvolutionListener.NONE).result();

            assertThat(r.status()).isEqualTo(OptimizationResult.Status.NO_IMPROVEMENT);
            assertThat(r.candidate().train().passRate()).isEqualTo(1.0);
            assertThat(r.reason()).contains("does not carry to the held-out cases").contains("overfits");
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
        }
    }

    @Test
    void theConfidenceAndPassRateGatesBlockACandidateThatOnlySometimesWorks() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
            f.statesTimeline = r -> EvolutionFixture.system(r).contains("timeline") && calls.computeIfAbsent(
                    EvolutionFixture.text(r.messages().getLast()), k -> new AtomicInteger()).incrementAndGet() % 2 == 0;
            OptimizationResult r = f.service(true).optimize("qualifier", options().mutations(0).build(),
                    EvolutionListener.NONE).result();

            assertThat(r.status()).isEqualTo(OptimizationResult.Status.SAFETY_BLOCKED);
            assertThat(r.reason()).contains("confidence").contains("pass rate");
            assertThat(r.heldOut().confidence()).isLessThan(0.7);
        }
    }

    @Test
    void thePassRateGateAloneBlocksACandidateThatFailsSomeHeldOutCases() throws Exception {
        try (var f = new EvolutionFixture(dir, 10)) {
            var cases = TestCases.load(dir.resolve("agents"), "qualifier");
            Split split = Split.of(cases, 0.4, 42);
            String weak = split.heldOut().getFirst().input().split(" ")[0];
            f.statesTimeline = r -> EvolutionFixture.system(r).contains("timeline")
                    && r.messages().stream().noneMatch(m -> EvolutionFixture.text(m).contains(weak));
            OptimizationResult r = f.service(true).optimize("qualifier", options().mutations(0).heldOut(0.4).build(),
                    EvolutionListener.NONE).result();

            assertThat(r.status()).isEqualTo(OptimizationResult.Status.SAFETY_BLOCKED);
            assertThat(r.reason()).contains("pass rate 0.75 is below 0.90").doesNotContain("drift").doesNotContain("confidence");
        }
    }

    @Test
    void aCandidateWaitsForApprovalWhenAskedAndGoesLiveOnlyWhenApproved() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var service = f.service(true);
            OptimizationResult r = service.optimize("qualifier", options().requireApproval(true).build(),
                    EvolutionListener.NONE).result();

            assertThat(r.status()).isEqualTo(OptimizationResult.Status.PENDING_APPROVAL);
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
            assertThat(service.versions("qualifier")).extracting(PromptVersion::status)
                    .containsExactly(PromptVersion.Status.ACTIVE, PromptVersion.Status.PENDING_APPROVAL);
            assertThatThrownBy(() -> service.rollback("qualifier", r.versionId())).isInstanceOf(InvalidInputError.class)
                    .hasMessageContaining("pending_approval");

            service.approve("qualifier", r.versionId(), true);
            assertThat(f.prompt()).isEqualTo(service.versions("qualifier").get(1).prompt());
            assertThatThrownBy(() -> service.approve("qualifier", r.versionId(), true)).isInstanceOf(InvalidInputError.class)
                    .hasMessageContaining("not pending approval");
        }
    }

    @Test
    void aRejectedCandidateNeverGoesLive() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var service = f.service(true);
            String id = service.optimize("qualifier", options().requireApproval(true).build(), EvolutionListener.NONE)
                    .result().versionId();
            assertThat(service.approve("qualifier", id, false).status()).isEqualTo(PromptVersion.Status.REJECTED);
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
        }
    }

    @Test
    void theTokenBudgetStopsARunThatWouldOverspend() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            long budget = 4_000;
            OptimizationResult r = f.service(true).optimize("qualifier", options().tokenBudget(budget).tokensPerRun(1_000)
                    .build(), EvolutionListener.NONE).result();

            assertThat(r.budgetExhausted()).as(r.toMap().toString()).isTrue();
            assertThat(r.status()).isEqualTo(OptimizationResult.Status.NO_IMPROVEMENT);
            assertThat(r.reason()).contains("token budget");
            assertThat(r.cost().totalTokens()).isPositive().isLessThanOrEqualTo(budget);
            assertThat(f.prompt()).isEqualTo(EvolutionFixture.PROMPT);
        }
    }

    /** Stands for the process dying: not an exception the service could record. */
    static final class SimulatedCrash extends Error { }

    @Test
    void anOptimisationThatCrashedResumesFromItsLastGeneration() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            AtomicInteger rewrites = new AtomicInteger();
            var crashing = TestModel.scripted(r -> {
                if (rewrites.incrementAndGet() == 2) throw new SimulatedCrash();
                return TestModel.text("{\"prompts\": [" + EvolutionFixture.quote(EvolutionFixture.parent(r) + " Be brief.") + "]}");
            });
            OptimizeOptions o = options().mutations(0).generations(3).build();
            assertThatThrownBy(() -> f.service(true, crashing).optimize("qualifier", o, EvolutionListener.NONE))
                    .isInstanceOf(SimulatedCrash.class);
            String id = optimisationSession(f);
            assertThat(generations(f, id)).containsExactly(0, 1);
            assertThat(f.sessions.events(id, "evolution.completed")).isEmpty();

            var resumed = f.service(true).resume(id, EvolutionListener.NONE);

            assertThat(resumed.id()).isEqualTo(id);
            assertThat(resumed.result().status()).isEqualTo(OptimizationResult.Status.IMPROVED);
            assertThat(generations(f, id)).startsWith(0, 1, 2).doesNotHaveDuplicates();
            Map<?, ?> gen1Cost = (Map<?, ?>) f.sessions.events(id, "evolution.generation").get(1).event().payload().get("cost");
            assertThat(resumed.result().cost().modelCalls()).isGreaterThan(((Number) gen1Cost.get("model_calls")).longValue());
            assertThatThrownBy(() -> f.service(true).resume(id, EvolutionListener.NONE)).isInstanceOf(EvolutionError.class)
                    .hasMessageContaining("already ended");
        }
    }

    private static String optimisationSession(EvolutionFixture f) {
        for (StreamInfo s : f.store.sessions()) {
            if (!f.sessions.events(s.sessionId(), "evolution.started").isEmpty()) return s.sessionId();
        }
        throw new AssertionError("no optimisation session");
    }

    private static List<Integer> generations(EvolutionFixture f, String id) {
        return f.sessions.events(id, "evolution.generation").stream()
                .map(e -> ((Number) e.event().payload().get("generation")).intValue()).toList();
    }

    @Test
    void everythingFailsWithHowToTurnItOnWhileEvolutionIsOff() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var service = f.service(false);
            assertThatThrownBy(() -> service.optimize("qualifier", options().build(), EvolutionListener.NONE))
                    .isInstanceOf(EvolutionError.class).hasMessageContaining("Evolution is off")
                    .satisfies(e -> assertThat(((EvolutionError) e).hint()).contains("SIGIL_USE_EVOLUTION=true"));
            assertThatThrownBy(() -> service.versions("qualifier")).isInstanceOf(EvolutionError.class);
        }
    }

    @Test
    void recordedSessionsBecomeCases() throws Exception {
        try (var f = new EvolutionFixture(dir, 2)) {
            var runner = io.sigil.orchestrator.Orchestrator.builder().agents(f.agents).definitions(f.definitions)
                    .models(s -> f.model).sessions(f.sessions).contracts(f.contracts)
                    .config(io.sigil.orchestrator.OrchestratorConfig.from(io.sigil.config.Settings.defaults()))
                    .build();
            for (String m : List.of("Acme wants a demo", "Globex asked for pricing")) {
                runner.handle(io.sigil.orchestrator.RunRequest.builder(m).agent("qualifier").build(),
                        io.sigil.orchestrator.RunListener.NONE);
            }
            SessionCases.Harvest h = f.service(true).casesFromSessions("qualifier", 50);

            assertThat(h.cases()).extracting(TestCase::input).containsExactlyInAnyOrder("Acme wants a demo", "Globex asked for pricing");
            assertThat(h.failed()).isEqualTo(2); // the current prompt never states a timeline
            assertThat(TestCases.load(dir.resolve("agents"), "qualifier")).hasSize(4);
        }
    }

    @Test
    void aCaseWithNothingToJudgeItIsRefused() throws Exception {
        try (var f = new EvolutionFixture(dir, 2)) {
            java.nio.file.Files.writeString(dir.resolve("agents/plain.yaml"), "name: plain\ndescription: d\nsystem_prompt: p\n");
            java.nio.file.Files.createDirectories(TestCases.dir(dir.resolve("agents"), "plain"));
            java.nio.file.Files.writeString(TestCases.dir(dir.resolve("agents"), "plain").resolve("cases.yaml"), "- input: hi\n");
            assertThatThrownBy(() -> f.service(true).evaluate("plain", options().build(), EvolutionListener.NONE))
                    .isInstanceOf(InvalidInputError.class).hasMessageContaining("nothing to judge it");
        }
    }

}
