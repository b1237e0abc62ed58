package io.sigil.reasoning;

/**
 * MCTS parameters (sigil-design.md section 6): UCB1 exploration constant, simulations, tree depth and children
 * per node.
 */
public record MctsConfig(double exploration, int simulations, int maxDepth, int maxChildren) {
    public static final MctsConfig DEFAULTS = new MctsConfig(1.414, 50, 5, 5);

    public MctsConfig {
        if (exploration < 0) throw new IllegalArgumentException("exploration must be >= 0");
        if (simulations < 1 || maxDepth < 1 || maxChildren < 1) {
            throw new IllegalArgumentException("simulations, maxDepth and maxChildren must be >= 1");
        }
    }

    public MctsConfig withSimulations(int n) { return new MctsConfig(exploration, n, maxDepth, maxChildren); }
}
