package io.sigil.bench.events;

import io.sigil.events.Event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The append comparison of {@link EventAppendBenchmark} measured by the wall clock: N writers append for a fixed
 * time and the completed appends are divided by the elapsed time. JMH sums per-thread rates, which overstates a
 * design whose writers queue on one lock (SQLite's single connection): a writer that waited the whole iteration
 * and finished one append in the last instant reports a huge rate. This count cannot be inflated that way.
 *
 * <pre>java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.events.AppendThroughput [seconds]</pre>
 */
public final class AppendThroughput {
    private AppendThroughput() { }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("| design | writers | durable appends/s |");
        System.out.println("|---|---:|---:|");
        for (int writers : new int[] {1, 16, 256}) {
            for (String design : List.of("file", "rewrite", "sqlite")) {
                double rate = measure(design, writers, seconds);
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f |%n", design, writers, rate);
            }
        }
    }

    static double measure(String design, int writers, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("sigil-append-");
        try (BenchEventLog log = switch (design) {
            case "file" -> new FileLog(dir);
            case "rewrite" -> new RewriteJsonLog(dir);
            case "sqlite" -> new SqliteLog(dir);
            default -> throw new IllegalArgumentException(design);
        }) {
            var done = new AtomicLong();
            var running = new AtomicBoolean(true);
            var ready = new CountDownLatch(writers);
            var threads = new ArrayList<Thread>();
            for (int w = 0; w < writers; w++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    String session = "bench-" + UUID.randomUUID();
                    var prefill = new ArrayList<Event>(1000);
                    for (int i = 0; i < 1000; i++) prefill.add(EventAppendBenchmark.event(session, i));
                    log.append(session, prefill); // each session starts with 1,000 events
                    ready.countDown();
                    for (long n = 1000; running.get(); n++) {
                        log.append(session, List.of(EventAppendBenchmark.event(session, n)));
                        done.incrementAndGet();
                    }
                }));
            }
            return io.sigil.bench.SteadyRate.measure(ready, done, running, threads, seconds);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            }
        }
    }
}
