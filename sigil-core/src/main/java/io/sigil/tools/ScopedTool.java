package io.sigil.tools;

import io.sigil.memory.Scope;

/**
 * A tool that works on one memory scope. It is registered unbound; each run uses a copy bound to its caller's own
 * scope ({@code user:<subject>+agent:<name>}), so a model can never reach another user's memory through it.
 */
public interface ScopedTool extends Tool {

    /** The same tool, acting in {@code scope}. */
    Tool inScope(Scope scope);
}
