package io.sigil.evolution;

import java.util.List;

/** Proposes new prompts from a parent prompt and how it did on the training cases. */
public interface Proposer {
    /**
     * @param generation the generation being built (1-based), for deterministic variation
     * @param count      at most this many proposals
     */
    List<Candidate> propose(String parent, Evaluation parentTrain, List<TestCase> train, int generation, int count);
}
