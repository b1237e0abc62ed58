package io.sigil.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** {@link SessionLeases} in this process's memory: right for one replica, and the fallback without Redis. */
public final class LocalSessionLeases implements SessionLeases {
    private final Map<String, Holder> held = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public LocalSessionLeases() { this(System::nanoTime); }

    /** @param nanoClock monotonic nanoseconds (tests pass a fake) */
    public LocalSessionLeases(LongSupplier nanoClock) { this.nanoClock = nanoClock; }

    private record Holder(Object token, long expiresNanos) { }

    @Override
    public Optional<Lease> tryAcquire(String sessionId, Duration ttl) {
        Object token = new Object();
        long now = nanoClock.getAsLong();
        Holder mine = new Holder(token, now + ttl.toNanos());
        Holder after = held.compute(sessionId, (id, h) -> h == null || h.expiresNanos() - now <= 0 ? mine : h);
        if (after != mine) return Optional.empty();
        return Optional.of(new Lease() {
            @Override
            public String sessionId() { return sessionId; }

            @Override
            public boolean renew(Duration again) {
                long at = nanoClock.getAsLong();
                Holder renewed = held.computeIfPresent(sessionId, (id, h) -> h.token() == token
                        ? new Holder(token, at + again.toNanos()) : h);
                return renewed != null && renewed.token() == token;
            }

            @Override
            public void close() { held.computeIfPresent(sessionId, (id, h) -> h.token() == token ? null : h); }
        });
    }

    @Override
    public boolean held(String sessionId) {
        Holder h = held.get(sessionId);
        return h != null && h.expiresNanos() - nanoClock.getAsLong() > 0;
    }
}
