package io.sigil.routing;

/** Decides the intent, complexity and subsystems of a request. Implementations never fail on odd input. */
public interface Router {

    RouteDecision route(String text);

    /** {@code keyword} or {@code llm}. */
    String mode();
}
