package io.sigil.postgres;

import io.sigil.config.Settings;
import io.sigil.errors.StateError;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.health.HealthCheck;
import io.sigil.health.HealthStatus;
import io.sigil.testing.PrivatePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL crashes mid-load ({@code pg_ctl stop -m immediate} of a PRIVATE server, never the shared one) and
 * comes back: appends during the outage fail with a recoverable {@link StateError} (503) and the health check is
 * unhealthy; the same store recovers without being reopened; writers that retry with the same event ids lose
 * nothing and store nothing twice.
 */
class PostgresOutageIT {
    private static final int WRITERS = 8;

    private PrivatePostgres server;
    private PostgresDatabase db;

    @BeforeEach
    void start() throws Exception {
        server = PrivatePostgres.start();
        server.createDatabase("sigil");
        db = new PostgresDatabase(DatabaseUrl.parse(server.url("sigil")),
                new Settings.Database(2, 8, Duration.ofSeconds(2), Duration.ofSeconds(1800), true, "disable", null));
        db.migrate();
    }

    @AfterEach
    void stop() throws Exception {
        if (db != null) db.close();
        if (server != null) server.close();
    }

    @Test
    void anOutageFailsAppendsRecoverablyAndLosesOrDuplicatesNothing() throws Exception {
        var acknowledged = ConcurrentHashMap.<UUID>newKeySet();
        var lastAcknowledged = new AtomicLong(); // the highest position an acknowledged append answered
        var outageErrors = new AtomicInteger();
        var nonRecoverable = new ArrayList<Throwable>();
        var stopWriting = new AtomicBoolean();
        var health = new PostgresHealthCheck(db);
        assertThat(health.check().status()).isEqualTo(HealthStatus.HEALTHY);

        try (PostgresEventStore store = PostgresEventStore.open(db, 1_000_000)) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String session = "s" + (w % 3);
                writers.add(Thread.ofPlatform().start(() -> {
                    while (!stopWriting.get()) {
                        List<Event> batch = List.of(event(session), event(session));
                        // Retry the same batch (same ids) until it is acknowledged: a commit whose answer was
                        // lost must not be stored twice.
                        while (true) {
                            try {
                                AppendResult r = store.append(session, ExpectedVersion.ANY, batch);
                                lastAcknowledged.accumulateAndGet(r.lastPosition(), Math::max);
                                batch.forEach(e -> acknowledged.add(e.eventId()));
                                break;
                            } catch (StateError e) {
                                if (!e.recoverable()) {
                                    synchronized (nonRecoverable) { nonRecoverable.add(e); }
                                    return;
                                }
                                outageErrors.incrementAndGet();
                                sleep(50);
                            }
                        }
                    }
                }));
            }
            waitFor(() -> acknowledged.size() >= 200, Duration.ofSeconds(60));

            server.crash();
            int beforeOutage = outageErrors.get();
            waitFor(() -> outageErrors.get() > beforeOutage + WRITERS, Duration.ofSeconds(30));
            HealthCheck.Result during = health.check();
            assertThat(during.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(during.detail()).contains("does not answer");
            int ackedDuringOutage = acknowledged.size();
            sleep(500);
            assertThat(acknowledged).as("nothing is acknowledged while the database is down").hasSize(ackedDuringOutage);

            server.startServer();
            waitFor(() -> acknowledged.size() >= ackedDuringOutage + 200, Duration.ofSeconds(60));
            stopWriting.set(true);
            for (Thread t : writers) t.join(Duration.ofSeconds(60));

            assertThat(nonRecoverable).isEmpty();
            assertThat(health.check().status()).isEqualTo(HealthStatus.HEALTHY);
            List<RecordedEvent> all = store.readAll(1, 1_000_000);
            Set<UUID> stored = new HashSet<>();
            for (RecordedEvent e : all) assertThat(stored.add(e.event().eventId())).as("stored once: %s", e).isTrue();
            assertThat(stored).as("every acknowledged event is stored").containsAll(acknowledged);
            for (String s : List.of("s0", "s1", "s2")) {
                List<RecordedEvent> events = store.read(s, 1);
                for (int i = 0; i < events.size(); i++) assertThat(events.get(i).version()).isEqualTo(i + 1);
            }
            assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(all.getLast().position()).as("the last event is the last acknowledged append's").isEqualTo(lastAcknowledged.get());
            assertThat(store.lastPosition()).isEqualTo(all.getLast().position());
            // the LISTEN connection is reopened with a backoff of up to 2 s: the writers can be done before it
            for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); !store.listening() && System.nanoTime() < end; ) sleep(20);
            assertThat(store.listening()).as("the LISTEN connection came back").isTrue();
        }
        assertThat(outageErrors.get()).isPositive();
    }

    private static Event event(String session) {
        return Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "during load"));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
