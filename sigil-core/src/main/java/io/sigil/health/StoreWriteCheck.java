package io.sigil.health;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state store accepts durable writes: unhealthy, with the store's reason, while it refuses them (its device is
 * full, or it stopped after an I/O failure). It turns healthy again by itself once space is freed.
 */
public final class StoreWriteCheck implements HealthCheck {
    private final String name;
    private final Supplier<Optional<String>> problem;

    /** @param problem why the store cannot write now, empty while it can */
    public StoreWriteCheck(String name, Supplier<Optional<String>> problem) {
        this.name = name;
        this.problem = problem;
    }

    @Override
    public String name() { return name; }

    @Override
    public boolean critical() { return true; }

    @Override
    public Result check() {
        return problem.get().map(Result::unhealthy).orElseGet(() -> Result.healthy("accepting durable writes"));
    }
}
