package io.sigil.memory;

import io.sigil.sessions.Caller;

/**
 * Which memory scopes a caller may use: the one policy behind the REST memory routes and the agent memory tools.
 *
 * <ul>
 *   <li>an administrator may read and write every scope;</li>
 *   <li>anyone else may read and write its own scopes, {@code user:<subject>} and {@code user:<subject>+agent:<name>};</li>
 *   <li>{@code global} and agent-wide scopes ({@code agent:<name>}) are shared: read-only to non-administrators;</li>
 *   <li>another user's scope is refused ({@link ScopeDeniedError}).</li>
 * </ul>
 */
public final class ScopeAccess {
    /** What is done in the scope. */
    public enum Use { READ, WRITE }

    private ScopeAccess() { }

    /**
     * The scope a request names, checked; {@code requested} null means the caller's own user scope, and
     * {@code global} for an administrator (as before scopes were bound to callers).
     */
    public static Scope check(Caller caller, Scope requested, Use use) {
        Scope scope = requested != null ? requested : caller.admin() ? Scope.GLOBAL : own(caller);
        if (caller.admin()) return scope;
        if (scope.user() == null) {
            if (use == Use.READ) return scope;
            throw new ScopeDeniedError("Memory scope '" + scope.key() + "' is shared and read-only without the admin scope",
                    "write to your own scope, user:" + caller.subject() + " (or user:" + caller.subject()
                            + "+agent:<name>)");
        }
        if (scope.user().equals(caller.subject())) return scope;
        throw new ScopeDeniedError("Memory scope '" + scope.key() + "' belongs to another user",
                "use your own scope, user:" + caller.subject());
    }

    /** The caller's own user scope ({@code global} for the local administrator, who has no subject). */
    public static Scope own(Caller caller) {
        return caller.subject() == null ? Scope.GLOBAL : Scope.user(caller.subject());
    }

    /** Using a memory scope the caller may not: another user's, or a shared one for writing. */
    public static final class ScopeDeniedError extends io.sigil.errors.MemoryError {
        public ScopeDeniedError(String message, String hint) { super(message, hint); }
    }
}
