package io.sigil.evolution;

/** Progress of an evaluation or optimisation, for a command line or a stream. Called from worker threads. */
public interface EvolutionListener {
    EvolutionListener NONE = new EvolutionListener() { };

    /** A case run finished: {@code done} of {@code total} runs of the current evaluation ({@code phase}). */
    default void caseRun(String phase, int done, int total) { }

    /** Generation {@code generation} of {@code generations} ended and is recorded (0: the baseline). */
    default void generation(int generation, int generations) { }

    /** A line worth showing (a generation's best, a gate's verdict). */
    default void note(String message) { }
}
