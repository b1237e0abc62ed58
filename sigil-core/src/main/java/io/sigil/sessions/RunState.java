package io.sigil.sessions;

/** How a session's latest run stands, as its events tell it. */
public enum RunState {
    /** No run yet (a session created without one). */
    NONE,
    /** A request's message is recorded but not its answer: running now, or cut short by a crash. */
    OPEN,
    /** The latest run recorded its answer. */
    FINISHED,
    /** The latest run was cut short by a crash or kill; start-up recorded run.interrupted for it. */
    INTERRUPTED;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
