package io.sigil.server.http;

import io.sigil.auth.ApiKey;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Re-checks the credentials of long-lived connections (WebSocket, SSE), which authenticate once at their start:
 * every {@code interval} each watched credential is checked again, and a connection whose credential has expired
 * (JWT {@code exp}, key expiry) or whose API key was revoked or deleted meanwhile (also by {@code sigil keys revoke}
 * from another process: the key file is re-read when it changed) is told once, with the reason, so that it closes.
 */
public final class CredentialWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CredentialWatch.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final ApiKeys keys;
    private final Clock clock;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    /** @param keys the key store to re-check API keys against; null when keys are not re-checked (tests) */
    public CredentialWatch(ApiKeys keys, Clock clock, Duration interval) {
        this.keys = keys;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("credential-watch").factory());
        timer.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A watched connection; {@link #cancel()} when it ends. */
    public interface Registration {
        void cancel();
    }

    /**
     * Watches {@code principal} until cancelled; {@code invalid} is called at most once, on the watch's thread,
     * with why the credential no longer holds. A null principal (public route) is not watched.
     */
    public Registration watch(Principal principal, Consumer<String> invalid) {
        if (principal == null) return () -> { };
        Watched w = new Watched(principal, invalid, new AtomicBoolean());
        watched.add(w);
        return () -> watched.remove(w);
    }

    /** Why {@code p} no longer holds now, or empty while it does. */
    public Optional<String> problem(Principal p) {
        Instant now = clock.instant();
        if (p.expiresAt() != null && !now.isBefore(p.expiresAt())) return Optional.of("Credential expired");
        if (p.method() != Principal.Method.API_KEY || keys == null || p.keyId() == null) return Optional.empty();
        Optional<ApiKey> key = keys.store().list().stream().filter(k -> k.id().equals(p.keyId())).findFirst();
        if (key.isEmpty()) return Optional.of("API key deleted");
        if (key.get().revoked()) return Optional.of("API key revoked");
        if (key.get().expired(now)) return Optional.of("Credential expired");
        return Optional.empty();
    }

    private void checkAll() {
        for (Watched w : watched) {
            try {
                Optional<String> problem = problem(w.principal());
                if (problem.isPresent() && w.fired().compareAndSet(false, true)) {
                    watched.remove(w);
                    w.invalid().accept(problem.get());
                }
            } catch (RuntimeException e) {
                // An unreadable key file must not kill the watch; the next round tries again.
                log.warn("Re-checking a connection's credential failed: {}", e.toString());
            }
        }
    }

    /** Connections watched now. */
    public int size() { return watched.size(); }

    @Override
    public void close() { timer.shutdownNow(); }

    private record Watched(Principal principal, Consumer<String> invalid, AtomicBoolean fired) {
        @Override
        public boolean equals(Object o) { return this == o; }

        @Override
        public int hashCode() { return System.identityHashCode(this); }
    }
}
