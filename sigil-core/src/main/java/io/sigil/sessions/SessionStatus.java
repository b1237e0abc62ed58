package io.sigil.sessions;

/** A session is active until session.ended; an ended session may be archived (hidden from default listings). */
public enum SessionStatus {
    ACTIVE, ENDED, ARCHIVED;

    public String wireName() { return name().toLowerCase(); }
}
