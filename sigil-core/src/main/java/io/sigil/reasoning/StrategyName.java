package io.sigil.reasoning;

import io.sigil.errors.InvalidInputError;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The five strategies of sigil-design.md section 6, each with the complexity band that selects it (first match,
 * inclusive) and its token range. The range's maximum is the strategy's budget; a caller budget below its
 * minimum is too small for the strategy to do its job, so the strategy refuses it (and the manager falls back
 * to a cheaper one). Declaration order is the fallback order, most to least expensive.
 */
public enum StrategyName {
    MCTS("mcts", 0.9, 1.0, new TokenRange(4_000, 60_000)),
    REACT("react", 0.7, 0.9, new TokenRange(1_500, 20_000)),
    TREE_OF_THOUGHTS("tree_of_thoughts", 0.5, 0.7, new TokenRange(2_000, 12_000)),
    CHAIN_OF_THOUGHT("chain_of_thought", 0.3, 0.5, new TokenRange(500, 4_000)),
    DIRECT("direct", 0.0, 0.3, new TokenRange(100, 2_000));

    private final String wireName;
    private final double minComplexity;
    private final double maxComplexity;
    private final TokenRange tokens;

    StrategyName(String wireName, double minComplexity, double maxComplexity, TokenRange tokens) {
        this.wireName = wireName;
        this.minComplexity = minComplexity;
        this.maxComplexity = maxComplexity;
        this.tokens = tokens;
    }

    public String wireName() { return wireName; }

    public TokenRange tokens() { return tokens; }

    public double minComplexity() { return minComplexity; }

    public double maxComplexity() { return maxComplexity; }

    /** Selection order of the design: direct first, so a boundary value (0.3, 0.5, ...) picks the cheaper one. */
    public static final List<StrategyName> SELECTION_ORDER =
            List.of(DIRECT, CHAIN_OF_THOUGHT, TREE_OF_THOUGHTS, REACT, MCTS);

    /** The strategy whose band holds {@code complexity}; values outside 0..1 are clamped. */
    public static StrategyName forComplexity(double complexity) {
        double c = Double.isNaN(complexity) ? 0 : Math.max(0, Math.min(1, complexity));
        for (StrategyName s : SELECTION_ORDER) {
            if (c >= s.minComplexity && c <= s.maxComplexity) return s;
        }
        return MCTS;
    }

    /** The next strategy to try after this one failed, or empty after direct. */
    public Optional<StrategyName> fallback() {
        int next = ordinal() + 1;
        return next < values().length ? Optional.of(values()[next]) : Optional.empty();
    }

    public static StrategyName parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (StrategyName s : values()) {
            if (s.wireName.equals(wanted) || s.name().equalsIgnoreCase(wanted)) return s;
        }
        if (wanted.equals("cot")) return CHAIN_OF_THOUGHT;
        if (wanted.equals("tot")) return TREE_OF_THOUGHTS;
        throw new InvalidInputError("unknown reasoning strategy '" + name + "'", "use one of: "
                + Arrays.stream(values()).map(StrategyName::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() { return wireName; }
}
