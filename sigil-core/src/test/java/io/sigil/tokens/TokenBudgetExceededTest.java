package io.sigil.tokens;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBudgetExceededTest {

    @Test
    void displaysTheDesignFormatWithUsedLimitAndWhichLimit() {
        var e = new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, 258_000, 256_000);

        assertThat(e.display()).isEqualTo(
                "[TOKEN_BUDGET_EXCEEDED] Total tokens 258000 exceeds budget 256000 (utilization 100.8%, exceeded: total)");
        assertThat(e.utilization()).isGreaterThan(1.0);
        assertThat(e.context()).containsEntry("exceeded", "total").containsEntry("limit", 256_000L);
    }
}
