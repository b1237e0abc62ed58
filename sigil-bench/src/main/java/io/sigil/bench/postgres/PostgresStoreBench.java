package io.sigil.bench.postgres;

import io.sigil.config.Settings;
import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.file.FileEventStore;
import io.sigil.postgres.DatabaseUrl;
import io.sigil.postgres.PostgresDatabase;
import io.sigil.postgres.PostgresEventStore;
import io.sigil.sessions.SessionProjection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable appends per second on PostgreSQL (group commit) and on the file store, side by side, with the
 * one-INSERT-per-transaction baseline: each append its own transaction on a pooled connection (a table of its
 * own, no global position: the most a naive adapter could get). N writers append one event at a time to their own
 * sessions for a fixed time; designs and writer counts are interleaved over rounds and medians are printed. Then
 * the replay of a 10,000-event session (read it and project it) on both stores.
 *
 * <pre>java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.postgres.PostgresStoreBench [rounds] [seconds]</pre>
 *
 * Needs PostgreSQL on localhost:5432 (user postgres, trust; -Dsigil.bench.pg=jdbc:postgresql://host:port/); works in a
 * database of its own, dropped at the end.
 */
public final class PostgresStoreBench {
    private static final String SERVER = System.getProperty("sigil.bench.pg", "jdbc:postgresql://localhost:5432/");
    /** Writer counts and designs measured; {@code -Dsigil.bench.writers=256 -Dsigil.bench.designs=postgres} narrows them for profiling. */
    private static final int[] WRITERS = Arrays.stream(System.getProperty("sigil.bench.writers", "1,16,256").split(","))
            .filter(w -> !w.isBlank()).mapToInt(w -> Integer.parseInt(w.trim())).toArray();
    private static final List<String> DESIGNS = List.of(System.getProperty("sigil.bench.designs", "postgres,file,pg-insert-per-tx").split(","));
    /**
     * Whether the writers are platform threads (the default, as in every earlier run) or virtual threads, as the
     * server's request handlers are ({@code -Dsigil.bench.threads=virtual}); the same for every design.
     */
    private static final boolean VIRTUAL = "virtual".equals(System.getProperty("sigil.bench.threads", "platform"));
    /** {@code -Dsigil.bench.replay.trace=true} prints every replay's time, to see where a tail comes from. */
    private static final boolean TRACE = Boolean.getBoolean("sigil.bench.replay.trace");

    private PostgresStoreBench() { }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String name = "sigil_bench_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        var settings = new Settings.Database(20, 10, Duration.ofSeconds(30), Duration.ofSeconds(1800), true, "disable", null);
        try (var db = new PostgresDatabase(new DatabaseUrl(SERVER + name, "postgres", null), settings)) {
            db.migrate();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_events (session_id TEXT, version BIGINT, payload JSONB, PRIMARY KEY (session_id, version))");
                // for the second, opt-in baseline: the events table's columns and indexes, positions from a sequence
                st.execute("CREATE TABLE bench_event_rows (LIKE events INCLUDING ALL)");
                st.execute("CREATE SEQUENCE bench_event_rows_position");
                var rs = st.executeQuery("SHOW synchronous_commit");
                rs.next();
                System.out.println("synchronous_commit = " + rs.getString(1));
            }
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (int writers : WRITERS) {
                    for (String design : DESIGNS) {
                        double rate = measure(design, writers, seconds, db);
                        results.computeIfAbsent(design + " " + writers, k -> new ArrayList<>()).add(rate);
                        System.out.printf(Locale.ROOT, "round %d: %s, %d writers: %,.0f appends/s%n", round, design, writers, rate);
                    }
                }
            }
            System.out.println();
            System.out.println("| writers | postgres (group commit) | file | pg one INSERT per tx | postgres / baseline |"
                    + (DESIGNS.contains("pg-insert-events-per-tx") ? " one event row per tx | postgres / that |" : ""));
            System.out.println("|---:|---:|---:|---:|---:|" + (DESIGNS.contains("pg-insert-events-per-tx") ? "---:|---:|" : ""));
            for (int writers : WRITERS) {
                double pg = median(results.getOrDefault("postgres " + writers, List.of()));
                double file = median(results.getOrDefault("file " + writers, List.of()));
                double naive = median(results.getOrDefault("pg-insert-per-tx " + writers, List.of()));
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %.1fx |", writers, pg, file, naive, pg / naive);
                double rows = median(results.getOrDefault("pg-insert-events-per-tx " + writers, List.of()));
                if (DESIGNS.contains("pg-insert-events-per-tx")) System.out.printf(Locale.ROOT, " %,.0f | %.1fx |", rows, pg / rows);
                System.out.println();
            }
            System.out.println();
            if (Boolean.parseBoolean(System.getProperty("sigil.bench.replay", "true"))) replay(db);
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static double measure(String design, int writers, int seconds, PostgresDatabase db) throws Exception {
        checkpoint(db);
        Path dir = Files.createTempDirectory("sigil-pg-bench-");
        try (Appender appender = switch (design) {
            case "postgres" -> new StoreAppender(PostgresEventStore.open(db, 1_000_000));
            case "file" -> new StoreAppender(FileEventStore.open(dir, 1_000_000));
            case "pg-insert-per-tx" -> new InsertPerTransaction(db);
            case "pg-insert-events-per-tx" -> new EventRowPerTransaction(db);
            default -> throw new IllegalArgumentException(design);
        }) {
            var done = new AtomicLong();
            var running = new AtomicBoolean(true);
            var ready = new CountDownLatch(writers);
            var threads = new ArrayList<Thread>();
            for (int w = 0; w < writers; w++) {
                threads.add((VIRTUAL ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                    String session = "bench-" + UUID.randomUUID();
                    ready.countDown();
                    for (long n = 0; running.get(); n++) {
                        appender.append(session, n, event(session, n));
                        done.incrementAndGet();
                    }
                }));
            }
            return steadyRate(ready, done, running, threads, seconds, design + " " + writers);
        } finally {
            delete(dir);
        }
    }

    /**
     * Starts every measurement right after a checkpoint. The write-ahead log then holds a full image of each page the
     * first time it changes after the checkpoint; without this, a checkpoint (every ~1 GB of WAL here: every few
     * runs) fell into some runs' windows and not others', and those runs spent up to a third more CPU per append.
     * Needs a superuser (or pg_checkpoint); without one the runs go on as before.
     */
    private static void checkpoint(PostgresDatabase db) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            System.out.println("  (no CHECKPOINT before the run: " + e.getMessage() + ")");
        }
    }

    /**
     * As {@link io.sigil.bench.SteadyRate}: appends per second over {@code seconds} after one second of warm-up; also
     * prints the CPU spent per append in this JVM and in PostgreSQL's processes over the same window.
     */
    private static double steadyRate(CountDownLatch ready, AtomicLong done, AtomicBoolean running, List<Thread> writers,
                                     int seconds, String label) throws InterruptedException {
        ready.await();
        Thread.sleep(1000); // warm up
        long before = done.get();
        CpuMeter cpuBefore = CpuMeter.now();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.get() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] cpu = CpuMeter.now().microsPerOp(cpuBefore, count);
        running.set(false);
        for (Thread t : writers) t.join();
        System.out.printf(Locale.ROOT, "  %s: CPU per append %.1f us in the JVM, %.1f us in PostgreSQL%n", label, cpu[0], cpu[1]);
        return count / elapsed;
    }

    /** One design under test. */
    private interface Appender extends AutoCloseable {
        void append(String session, long n, Event e);
    }

    private record StoreAppender(EventStore store) implements Appender {
        public void append(String session, long n, Event e) { store.append(session, ExpectedVersion.exact(n), List.of(e)); }
        public void close() { store.close(); }
    }

    /** The baseline: every append is a transaction of its own, one INSERT, committed before it returns. */
    private record InsertPerTransaction(PostgresDatabase db) implements Appender {
        public void append(String session, long n, Event e) {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO bench_events VALUES (?, ?, ?::jsonb)")) {
                ps.setString(1, session);
                ps.setLong(2, n + 1);
                ps.setString(3, "{\"role\":\"user\",\"content\":\"" + e.payload().get("content") + "\"}");
                ps.executeUpdate(); // autocommit: one transaction, one commit (WAL flush) per append
            } catch (java.sql.SQLException ex) {
                throw new IllegalStateException(ex);
            }
        }
        public void close() { }
    }

    /**
     * A second baseline, only when named in {@code -Dsigil.bench.designs} (the baseline above stays the one
     * reported): every append one autocommit INSERT of the same event row Sigil writes, into a table with the events
     * table's columns and indexes, its position from a sequence (no head lock, no session row, no version check).
     */
    private record EventRowPerTransaction(PostgresDatabase db) implements Appender {
        private static final String INSERT = "INSERT INTO bench_event_rows (position, event_id, session_id, version, event_type,"
                + " timestamp, agent_id, correlation_id, schema_version, payload)"
                + " VALUES (nextval('bench_event_rows_position'), ?, ?, ?, ?, ?::timestamptz, ?, ?, ?, ?::jsonb)";

        public void append(String session, long n, Event e) {
            try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setObject(1, e.eventId());
                ps.setString(2, session);
                ps.setLong(3, n + 1);
                ps.setString(4, e.eventType());
                ps.setString(5, e.timestamp().toString());
                ps.setString(6, e.agentId());
                ps.setString(7, e.correlationId());
                ps.setInt(8, e.schemaVersion());
                ps.setString(9, "{\"role\":\"user\",\"content\":\"" + e.payload().get("content") + "\"}");
                ps.executeUpdate();
            } catch (java.sql.SQLException ex) {
                throw new IllegalStateException(ex);
            }
        }
        public void close() { }
    }

    /**
     * Reads (and projects) a 10,000-event session 120 times on each store, alternating; prints p50 and p95 of the last
     * 60 (warm), and the median of the first 10 (cold: on two cores the JIT was still compiling the read paths for
     * the first 20-30 reads, which put the warm-up in the p95 when only the first 10 were left out).
     */
    private static void replay(PostgresDatabase db) throws Exception {
        Path dir = Files.createTempDirectory("sigil-pg-bench-replay-");
        try (var pg = PostgresEventStore.open(db, 1_000_000); var file = FileEventStore.open(dir, 1_000_000)) {
            for (EventStore store : List.of(pg, file)) {
                for (int from = 0; from < 10_000; from += 500) {
                    var batch = new ArrayList<Event>(500);
                    for (int i = from; i < from + 500; i++) batch.add(replayEvent(i));
                    store.append("replay-10k", ExpectedVersion.ANY, batch);
                }
            }
            System.out.println("| store | read of a 10,000-event session p50 | p95 | read + projection p50 | p95 | read + projection, first 10 reads (median) |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            Map<String, double[]> read = new LinkedHashMap<>();
            Map<String, double[]> replayed = new LinkedHashMap<>();
            int runs = 120;
            for (String which : List.of("postgres", "file")) {
                read.put(which, new double[runs]);
                replayed.put(which, new double[runs]);
            }
            for (int i = 0; i < runs; i++) { // the stores alternate run by run, so both see the same load
                for (String which : List.of("postgres", "file")) {
                    EventStore store = which.equals("postgres") ? pg : file;
                    long t = System.nanoTime();
                    List<RecordedEvent> events = store.read("replay-10k", 1);
                    long r = System.nanoTime();
                    if (events.size() != 10_000) throw new IllegalStateException("read " + events.size());
                    SessionProjection.replay("replay-10k", events);
                    read.get(which)[i] = (r - t) / 1e6;
                    replayed.get(which)[i] = (System.nanoTime() - t) / 1e6;
                }
                if (TRACE) System.out.printf(Locale.ROOT, "  replay %d at %tT.%<tL: postgres %.1f ms, file %.1f ms%n", i + 1, new java.util.Date(),
                        replayed.get("postgres")[i], replayed.get("file")[i]);
            }
            for (String which : List.of("postgres", "file")) {
                double[] r = percentiles(read.get(which));
                double[] p = percentiles(replayed.get(which));
                double cold = median(Arrays.stream(replayed.get(which), 0, 10).boxed().toList());
                System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n", which, r[0], r[1], p[0], p[1], cold);
            }
        } finally {
            delete(dir);
        }
    }

    /** p50 and p95 of the second half of the runs (the first half is warm-up). */
    private static double[] percentiles(double[] ms) {
        double[] measured = Arrays.copyOfRange(ms, ms.length / 2, ms.length);
        Arrays.sort(measured);
        return new double[] {measured[measured.length / 2], measured[(int) Math.ceil(measured.length * 0.95) - 1]};
    }

    private static Event event(String session, long n) {
        return Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "message number " + n));
    }

    private static Event replayEvent(int n) {
        return switch (n % 3) {
            case 0 -> Event.of(EventType.MESSAGE_ADDED, "replay-10k", Map.of("role", "user", "content", "Question " + n));
            case 1 -> Event.of(EventType.TOOL_CALLED, "replay-10k", Map.of("tool", "search", "arguments", Map.of("q", "q " + n),
                    "result", "3 results", "duration_ms", 40));
            default -> Event.of(EventType.MESSAGE_ADDED, "replay-10k", Map.of("role", "assistant", "content", "Answer " + n));
        };
    }

    private static double median(List<Double> xs) {
        var sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
