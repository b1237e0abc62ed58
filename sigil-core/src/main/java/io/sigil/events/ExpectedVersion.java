package io.sigil.events;

/**
 * The optimistic concurrency condition of an append. A session's version is the number of events in it
 * (0 when it does not exist).
 */
public sealed interface ExpectedVersion {

    /** No check. */
    ExpectedVersion ANY = new Any();
    /** The session must not exist yet. */
    ExpectedVersion NO_STREAM = new NoStream();
    /** The session must have at least one event. */
    ExpectedVersion EXISTS = new Exists();

    /** The session must be at exactly this version (0 means it must not exist). */
    static ExpectedVersion exact(long version) { return new Exact(version); }

    /** Whether a session currently at {@code current} satisfies this condition. */
    boolean accepts(long current);

    record Any() implements ExpectedVersion {
        public boolean accepts(long current) { return true; }
        @Override public String toString() { return "any"; }
    }

    record NoStream() implements ExpectedVersion {
        public boolean accepts(long current) { return current == 0; }
        @Override public String toString() { return "no stream"; }
    }

    record Exists() implements ExpectedVersion {
        public boolean accepts(long current) { return current > 0; }
        @Override public String toString() { return "exists"; }
    }

    record Exact(long version) implements ExpectedVersion {
        public Exact {
            if (version < 0) throw new IllegalArgumentException("expected version cannot be negative: " + version);
        }
        public boolean accepts(long current) { return current == version; }
        @Override public String toString() { return Long.toString(version); }
    }
}
