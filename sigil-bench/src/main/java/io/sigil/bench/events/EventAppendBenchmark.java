package io.sigil.bench.events;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Durable appends per second with 1, 16 and 256 concurrent writers, each writer appending one event at a time to
 * its own session, which starts with 1,000 events. Compares Sigil's file store with the original design
 * (rewrite the whole session JSON file per append, fsynced) and SQLite (WAL, synchronous=FULL).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventAppendBenchmark {

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"file", "rewrite", "sqlite"})
        public String design;

        Path dir;
        BenchEventLog log;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Files.createTempDirectory("sigil-bench-append-");
            log = switch (design) {
                case "file" -> new FileLog(dir);
                case "rewrite" -> new RewriteJsonLog(dir);
                case "sqlite" -> new SqliteLog(dir);
                default -> throw new IllegalArgumentException(design);
            };
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            log.close();
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            }
        }
    }

    /** One writer's session, created with 1,000 events before measuring. */
    @State(Scope.Thread)
    public static class Writer {
        String session;
        long n;

        @Setup(Level.Trial)
        public void prefill(Store store) throws IOException {
            session = "bench-" + UUID.randomUUID();
            var events = new ArrayList<Event>(1000);
            for (int i = 0; i < 1000; i++) events.add(event(session, i));
            store.log.append(session, events);
            n = 1000;
        }
    }

    static Event event(String session, long n) {
        return Event.of(EventType.MESSAGE_ADDED, session,
                Map.of("role", "assistant", "content", "The flight to Lisbon leaves at 10:40 from gate 12; message " + n));
    }

    private static void appendOne(Store store, Writer w) {
        store.log.append(w.session, List.of(event(w.session, w.n++)));
    }

    @Benchmark
    @Threads(1)
    public void writers001(Store store, Writer w) { appendOne(store, w); }

    @Benchmark
    @Threads(16)
    public void writers016(Store store, Writer w) { appendOne(store, w); }

    @Benchmark
    @Threads(256)
    public void writers256(Store store, Writer w) { appendOne(store, w); }
}
