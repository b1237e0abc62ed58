package io.sigil.context;

/** The parts of a prompt and their default shares of the input budget (sigil-design.md section 11). */
public enum ContextSection {
    SYSTEM(0.15), TASK(0.05), WORKING_MEMORY(0.10), LONG_TERM_MEMORY(0.25), HISTORY(0.35), TOOL_RESULTS(0.10);

    private final double defaultShare;

    ContextSection(double defaultShare) { this.defaultShare = defaultShare; }

    public double defaultShare() { return defaultShare; }

    /** Instructions and the task are cut if they must be, never summarized or dropped: that would change them. */
    public boolean mayCondense() { return this != SYSTEM && this != TASK; }
}
