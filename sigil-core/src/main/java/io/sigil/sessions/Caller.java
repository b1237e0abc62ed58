package io.sigil.sessions;

/**
 * Who is acting on sessions (and memory): the authenticated principal's subject, and whether it holds the
 * {@code admin} scope. A session belongs to the subject recorded as its owner in {@code session.started}; only
 * that subject or an administrator may see, continue, end or delete it (sigil docs/security.md, "Tenancy").
 *
 * @param subject the principal's subject; null only for {@link #LOCAL_ADMIN}
 * @param admin   true for the {@code admin} scope, which sees every session
 */
public record Caller(String subject, boolean admin) {

    /** The command line and in-process library use: the operator of the data directory, who sees everything. */
    public static final Caller LOCAL_ADMIN = new Caller(null, true);

    public Caller {
        if (!admin && (subject == null || subject.isBlank())) {
            throw new IllegalArgumentException("a caller who is not an administrator needs a subject");
        }
    }

    /** An ordinary user: sees only what it owns. */
    public static Caller user(String subject) { return new Caller(subject, false); }

    /** True when this caller may act on what {@code owner} owns (an ownerless session is the administrators'). */
    public boolean mayAccess(String owner) {
        return admin || (owner != null && owner.equals(subject));
    }
}
