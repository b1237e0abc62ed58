package io.sigil.orchestrator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long conversation must keep working: the history is cut to what the selected strategy's token budget
 * holds (direct: 2,000 tokens for the whole call), not only to the 150k context budget. Found by
 * PipelineBenchmark: the 78th "hello" of one session failed with TOKEN_BUDGET_EXCEEDED.
 */
class LongSessionTest {
    @TempDir Path dir;
    private final OrchestratorTest fixture = new OrchestratorTest();

    @AfterEach
    void close() { fixture.close(); }

    @Test
    void aSessionWhoseHistoryOutgrowsTheDirectStrategysBudgetStillAnswers() {
        fixture.dir = dir;
        Orchestrator o = fixture.orchestrator(r -> OrchestratorTest.text("noted: " + "detail ".repeat(60)),
                OrchestratorTest.ALL_ON);
        String session = null;
        for (int i = 0; i < 8; i++) {
            RunResponse r = o.handle(RunRequest.builder("hello, here is note " + i + ": " + "context ".repeat(120))
                    .sessionId(session).build(), RunListener.NONE);
            assertThat(r.errors()).as("request %d", i + 1).isEmpty();
            assertThat(r.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(r.metadata()).containsEntry("strategy", "direct");
            session = r.sessionId();
        }
    }
}
