package io.sigil.evolution;

import io.sigil.errors.InvalidInputError;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The knobs of an optimisation (and, for repeats, concurrency and budgets, of an evaluation). Build with
 * {@link #builder()}; every value is checked with a message naming it.
 *
 * @param tokenBudget    tokens the whole optimisation may spend: case runs, judges and rewrites together
 * @param tokensPerRun   ceiling of one case run (the pipeline's per-request budget)
 * @param heldOut        share of the cases kept out of training, on which the gates are checked
 * @param requireApproval an accepted prompt waits as {@code pending_approval} until a human approves it
 * @param model          the model for rewrites and judges (null: the agent's model)
 */
public record OptimizeOptions(int generations, int beamWidth, int reflective, int mutations, int repeats,
                              int concurrency, long tokenBudget, long tokensPerRun, double heldOut, long seed,
                              Gates gates, boolean requireApproval, String model) {
    public OptimizeOptions {
        check(generations >= 1 && generations <= 20, "generations must be 1..20, got " + generations);
        check(beamWidth >= 1 && beamWidth <= 10, "beam_width must be 1..10, got " + beamWidth);
        check(reflective >= 0 && reflective <= 10, "reflective must be 0..10, got " + reflective);
        check(mutations >= 0 && mutations <= 10, "mutations must be 0..10, got " + mutations);
        check(reflective + mutations >= 1, "at least one of reflective and mutations must be above 0");
        check(repeats >= 1 && repeats <= 10, "repeats must be 1..10, got " + repeats);
        check(concurrency >= 1 && concurrency <= 64, "concurrency must be 1..64, got " + concurrency);
        check(tokenBudget >= 1, "token_budget must be at least 1, got " + tokenBudget);
        check(tokensPerRun >= 100, "tokens_per_run must be at least 100, got " + tokensPerRun);
        check(heldOut > 0 && heldOut < 1, "held_out must be between 0 and 1 (exclusive), got " + heldOut);
        if (gates == null) gates = Gates.DEFAULT;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new InvalidInputError(message, "See docs/evolution.md for the options and their ranges.");
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().generations(generations).beamWidth(beamWidth).reflective(reflective).mutations(mutations)
                .repeats(repeats).concurrency(concurrency).tokenBudget(tokenBudget).tokensPerRun(tokensPerRun)
                .heldOut(heldOut).seed(seed).gates(gates).requireApproval(requireApproval).model(model);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generations", generations);
        m.put("beam_width", beamWidth);
        m.put("reflective", reflective);
        m.put("mutations", mutations);
        m.put("repeats", repeats);
        m.put("concurrency", concurrency);
        m.put("token_budget", tokenBudget);
        m.put("tokens_per_run", tokensPerRun);
        m.put("held_out", heldOut);
        m.put("seed", seed);
        m.put("require_approval", requireApproval);
        if (model != null) m.put("model", model);
        m.put("gates", Map.of("min_improvement", gates.minImprovement(), "max_drift", gates.maxDrift(),
                "min_confidence", gates.minConfidence(), "min_pass_rate", gates.minPassRate()));
        return m;
    }

    /** Options as {@link #toMap} wrote them (a resumed optimisation goes on with its own). */
    public static OptimizeOptions fromMap(Map<?, ?> m) {
        Builder b = builder();
        if (m.get("generations") instanceof Number n) b.generations(n.intValue());
        if (m.get("beam_width") instanceof Number n) b.beamWidth(n.intValue());
        if (m.get("reflective") instanceof Number n) b.reflective(n.intValue());
        if (m.get("mutations") instanceof Number n) b.mutations(n.intValue());
        if (m.get("repeats") instanceof Number n) b.repeats(n.intValue());
        if (m.get("concurrency") instanceof Number n) b.concurrency(n.intValue());
        if (m.get("token_budget") instanceof Number n) b.tokenBudget(n.longValue());
        if (m.get("tokens_per_run") instanceof Number n) b.tokensPerRun(n.longValue());
        if (m.get("held_out") instanceof Number n) b.heldOut(n.doubleValue());
        if (m.get("seed") instanceof Number n) b.seed(n.longValue());
        if (m.get("require_approval") instanceof Boolean v) b.requireApproval(v);
        if (m.get("model") instanceof String s) b.model(s);
        if (m.get("gates") instanceof Map<?, ?> g) {
            b.gates(new Gates(d(g, "min_improvement", 0.02), d(g, "max_drift", 0.3), d(g, "min_confidence", 0.7),
                    d(g, "min_pass_rate", 0.9)));
        }
        return b.build();
    }

    private static double d(Map<?, ?> m, String k, double dflt) { return m.get(k) instanceof Number n ? n.doubleValue() : dflt; }

    public static final class Builder {
        private int generations = 3, beamWidth = 2, reflective = 2, mutations = 2, repeats = 2, concurrency = 4;
        private long tokenBudget = 200_000, tokensPerRun = 6_000, seed = 42;
        private double heldOut = 0.3;
        private Gates gates = Gates.DEFAULT;
        private boolean requireApproval;
        private String model;

        public Builder generations(int v) { generations = v; return this; }
        public Builder beamWidth(int v) { beamWidth = v; return this; }
        public Builder reflective(int v) { reflective = v; return this; }
        public Builder mutations(int v) { mutations = v; return this; }
        public Builder repeats(int v) { repeats = v; return this; }
        public Builder concurrency(int v) { concurrency = v; return this; }
        public Builder tokenBudget(long v) { tokenBudget = v; return this; }
        public Builder tokensPerRun(long v) { tokensPerRun = v; return this; }
        public Builder heldOut(double v) { heldOut = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder gates(Gates v) { gates = v; return this; }
        public Builder requireApproval(boolean v) { requireApproval = v; return this; }
        public Builder model(String v) { model = v; return this; }

        public OptimizeOptions build() {
            return new OptimizeOptions(generations, beamWidth, reflective, mutations, repeats, concurrency, tokenBudget,
                    tokensPerRun, heldOut, seed, gates, requireApproval, model);
        }
    }
}
