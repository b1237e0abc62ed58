package io.sigil.tokens;

import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;

import java.util.Locale;
import java.util.Map;

/**
 * A token budget would be or was exceeded (sigil-design.md section 3):
 * {@code [TOKEN_BUDGET_EXCEEDED] Total tokens 258000 exceeds budget 256000 (utilization 100.8%, exceeded: total)}.
 */
public class TokenBudgetExceeded extends SigilError {
    private final long used;
    private final long limit;
    private final TokenBudget.Limit exceeded;

    public TokenBudgetExceeded(TokenBudget.Limit exceeded, long used, long limit) {
        super(ErrorCode.TOKEN_BUDGET_EXCEEDED, message(exceeded, used, limit),
                "Raise the budget (contract constraints or SIGIL_CONTRACT_MAX_TOTAL_TOKENS) or use a simpler strategy.",
                Map.of("used", used, "limit", limit, "exceeded", exceeded.label()), false, null);
        this.used = used;
        this.limit = limit;
        this.exceeded = exceeded;
    }

    private static String message(TokenBudget.Limit which, long used, long limit) {
        String label = which.label();
        return String.format(Locale.ROOT, "%s tokens %d exceeds budget %d (utilization %.1f%%, exceeded: %s)",
                Character.toUpperCase(label.charAt(0)) + label.substring(1), used, limit,
                limit == 0 ? 100.0 : used * 100.0 / limit, label);
    }

    public long used() { return used; }

    public long limit() { return limit; }

    /** used / limit; above 1.0 when the budget was crossed by real usage. */
    public double utilization() { return limit == 0 ? 1.0 : (double) used / limit; }

    public TokenBudget.Limit exceeded() { return exceeded; }
}
