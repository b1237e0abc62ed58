package io.sigil.bench.events;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionProjection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Rebuilding a 10,000-event session: read it from the file store and replay it into a {@link Session}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ReplayBenchmark {
    static final String SESSION = "replay-10k";

    Path dir;
    FileLog log;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        dir = Files.createTempDirectory("sigil-bench-replay-");
        log = new FileLog(dir);
        // Other sessions interleaved, as in a real store.
        for (int batch = 0; batch < 100; batch++) {
            var events = new ArrayList<Event>(100);
            for (int i = 0; i < 100; i++) events.add(mixed(batch * 100 + i));
            log.append(SESSION, events);
            log.append("other-" + batch % 7, List.of(Event.of(EventType.MESSAGE_ADDED, "other-" + batch % 7, Map.of("content", "x"))));
        }
    }

    private static Event mixed(int n) {
        return switch (n % 4) {
            case 0 -> Event.of(EventType.MESSAGE_ADDED, SESSION, Map.of("role", "user", "content", "Question number " + n + " about the itinerary"));
            case 1 -> Event.of(EventType.LLM_CALLED, SESSION, Map.of("provider", "anthropic", "model", "claude-sonnet-4-20250514",
                    "input_tokens", 1200 + n % 100, "output_tokens", 300, "latency_ms", 850));
            case 2 -> Event.of(EventType.TOOL_CALLED, SESSION, Map.of("tool", "search", "arguments", Map.of("q", "flights " + n),
                    "result", "3 results", "duration_ms", 40));
            default -> Event.of(EventType.MESSAGE_ADDED, SESSION, Map.of("role", "assistant", "content", "Answer number " + n + " with the details"));
        };
    }

    @Benchmark
    public Session replay10k() {
        List<RecordedEvent> events = log.store().read(SESSION, 1);
        if (events.size() != 10_000) throw new IllegalStateException("expected 10,000 events, read " + events.size());
        return SessionProjection.replay(SESSION, events);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        log.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
