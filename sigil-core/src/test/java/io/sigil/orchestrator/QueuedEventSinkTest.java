package io.sigil.orchestrator;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueuedEventSinkTest {
    private final LingerClock timer = new LingerClock("test-flush", QueuedEventSink.LINGER, Duration.ofSeconds(1));

    /** Records what reached it, batch by batch; refuses events whose payload says so. */
    private static final class RecordingSink implements EventSink {
        final List<List<String>> batches = new ArrayList<>();

        @Override
        public synchronized void emit(EventType type, Map<String, ?> payload) {
            emitAll(List.of(new Emitted(type, payload)));
        }

        @Override
        public synchronized void emitAll(List<Emitted> events) {
            if (events.stream().anyMatch(e -> e.payload().containsKey("refuse"))) {
                throw new IllegalStateException("refused");
            }
            batches.add(events.stream().map(e -> e.payload().get("n").toString()).toList());
        }

        synchronized List<String> all() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    @Test
    void aBurstOfEventsIsRecordedInOrderWithOneAppend() {
        var store = new RecordingSink();
        var sink = new QueuedEventSink(store, timer, "burst");
        for (int i = 0; i < 6; i++) sink.emit(EventType.MESSAGE_ADDED, Map.of("n", i));
        assertThat(sink.close(Duration.ofSeconds(5))).isEmpty();
        assertThat(store.all()).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(store.batches).hasSize(1);
    }

    @Test
    void aFlushDueAfterAShortRunClosedAppendsNothingMore() throws InterruptedException {
        var store = new RecordingSink();
        var sink = new QueuedEventSink(store, timer, "short");
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 1));
        assertThat(sink.close(Duration.ofSeconds(5))).isEmpty();
        Thread.sleep(QueuedEventSink.LINGER.toMillis() * 4); // the flush has fallen due and found the sink closed
        assertThat(store.batches).hasSize(1);
    }

    @Test
    void aLongRunsEventsAreRecordedWithoutWaitingForItsEnd() throws InterruptedException {
        var store = new RecordingSink();
        var sink = new QueuedEventSink(store, timer, "slow");
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.all().isEmpty() && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(store.all()).as("flushed while the run is still going").containsExactly("1");
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 2));
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 3));
        assertThat(sink.close(Duration.ofSeconds(5))).isEmpty();
        assertThat(store.all()).containsExactly("1", "2", "3");
    }

    @Test
    void eventsAfterCloseAreStillRecorded() throws InterruptedException {
        var store = new RecordingSink();
        var sink = new QueuedEventSink(store, timer, "late");
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 1));
        assertThat(sink.close(Duration.ofSeconds(5))).isEmpty();
        sink.emit(EventType.MEMORY_EXTRACTED, Map.of("n", 2));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.all().size() < 2 && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(store.all()).containsExactly("1", "2");
    }

    @Test
    void oneUnrecordableEventDoesNotCostTheOthers() {
        var store = new RecordingSink();
        var sink = new QueuedEventSink(store, timer, "bad");
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 1));
        sink.emit(EventType.ERROR_OCCURRED, Map.of("n", 2, "refuse", true));
        sink.emit(EventType.MESSAGE_ADDED, Map.of("n", 3));
        List<String> failures = sink.close(Duration.ofSeconds(5));
        assertThat(store.all()).containsExactly("1", "3");
        assertThat(failures).singleElement().asString().contains("refused");
    }
}
