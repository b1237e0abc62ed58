package io.sigil.health;

/**
 * One dependency's health (LLM provider, state store, memory, cache). Checks are cheap and local: they run on
 * every {@code /health} request, which load balancers call often, so they never call a paid API.
 */
public interface HealthCheck {

    /** The key under {@code checks} in the health report, e.g. {@code llm}. */
    String name();

    /**
     * True when the service cannot work without this dependency: its failure makes the whole service
     * {@code unhealthy} (503). A failing non-critical check only makes it {@code degraded} (200).
     */
    boolean critical();

    Result check();

    /** @param detail a short explanation for operators; never a secret */
    record Result(HealthStatus status, String detail) {
        public static Result healthy(String detail) { return new Result(HealthStatus.HEALTHY, detail); }

        public static Result degraded(String detail) { return new Result(HealthStatus.DEGRADED, detail); }

        public static Result unhealthy(String detail) { return new Result(HealthStatus.UNHEALTHY, detail); }
    }
}
