package io.sigil.tokens;

import io.sigil.llm.Usage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TokenTrackerTest {

    @Test
    void refusesACallWhoseEstimateWouldCrossTheBudget() {
        TokenTracker tracker = new TokenTracker(TokenBudget.ofTotal(1000));
        tracker.record(Usage.of(600, 300));

        TokenBudgetExceeded e = catchThrowableOfType(TokenBudgetExceeded.class, () -> tracker.checkBefore(200));

        assertThat(e.exceeded()).isEqualTo(TokenBudget.Limit.TOTAL);
        assertThat(e.used()).isEqualTo(1100);
        assertThat(e.limit()).isEqualTo(1000);
        assertThat(tracker.used().totalTokens()).isEqualTo(900);
    }

    @Test
    void raisesWhenRealUsageCrossesALimitAndStillCountsIt() {
        TokenTracker tracker = new TokenTracker(new TokenBudget(0, 100, 0, 0.8));

        TokenBudgetExceeded e = catchThrowableOfType(TokenBudgetExceeded.class, () -> tracker.record(Usage.of(10, 120)));

        assertThat(e.exceeded()).isEqualTo(TokenBudget.Limit.OUTPUT);
        assertThat(e.display()).contains("Output tokens 120 exceeds budget 100");
        assertThat(tracker.used().outputTokens()).isEqualTo(120);
    }

    @Test
    void warnsOncePerLimitAtTheThreshold() {
        List<TokenTracker.Warning> warnings = new ArrayList<>();
        TokenTracker tracker = new TokenTracker(TokenBudget.ofTotal(1000), warnings::add);

        tracker.record(Usage.of(500, 200));
        tracker.record(Usage.of(50, 60));
        tracker.record(Usage.of(10, 10));

        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.limit()).isEqualTo(TokenBudget.Limit.TOTAL);
            assertThat(w.used()).isEqualTo(810);
            assertThat(w.utilization()).isEqualTo(0.81);
        });
    }

    @Test
    void countsConcurrentCallsExactly() {
        TokenTracker tracker = new TokenTracker(TokenBudget.UNLIMITED);
        try (var pool = Executors.newFixedThreadPool(4)) {
            IntStream.range(0, 2000).forEach(i -> pool.submit(() -> tracker.record(new Usage(3, 2, 1, 0))));
        }

        assertThat(tracker.used()).isEqualTo(new Usage(6000, 4000, 2000, 0));
        assertThat(tracker.calls()).isEqualTo(2000);
    }
}
