package io.sigil.health;

/** The cache is the process's own memory while no Redis is configured: it is up whenever the process is. */
public final class InProcessCacheCheck implements HealthCheck {
    @Override
    public String name() { return "cache"; }

    @Override
    public boolean critical() { return false; }

    @Override
    public Result check() { return Result.healthy("in-process"); }
}
