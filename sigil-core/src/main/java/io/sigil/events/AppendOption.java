package io.sigil.events;

/** Options of {@link EventStore#append}. */
public enum AppendOption {
    /** An administrator appends to a session that has ended (corrections, archiving). */
    ADMIN_OVERRIDE
}
