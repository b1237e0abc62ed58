package io.sigil.tokens;

/**
 * Limits for one run or session. A limit of 0 or less means "no limit" for that dimension.
 * Defaults follow sigil-design.md section 11: 256K total, 150K input, 102.4K output, warn at 80%.
 */
public record TokenBudget(long maxInputTokens, long maxOutputTokens, long maxTotalTokens, double warnThreshold) {

    /** Which limit a usage crossed; its label is the word used in messages and events. */
    public enum Limit {
        INPUT("input"), OUTPUT("output"), TOTAL("total");

        private final String label;

        Limit(String label) { this.label = label; }

        public String label() { return label; }
    }

    public static final TokenBudget DEFAULT = new TokenBudget(150_000, 102_400, 256_000, 0.8);

    public static final TokenBudget UNLIMITED = new TokenBudget(0, 0, 0, 0.8);

    public TokenBudget {
        if (warnThreshold <= 0 || warnThreshold > 1) {
            throw new IllegalArgumentException("warnThreshold must be in (0, 1], got " + warnThreshold);
        }
    }

    public static TokenBudget ofTotal(long maxTotalTokens) {
        return new TokenBudget(0, 0, maxTotalTokens, 0.8);
    }

    public boolean limitsTotal() { return maxTotalTokens > 0; }
}
