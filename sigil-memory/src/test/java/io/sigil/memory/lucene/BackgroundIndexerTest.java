package io.sigil.memory.lucene;

import io.sigil.errors.StateError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackgroundIndexerTest {
    /** Records what the indexer asks of the index; can be told to fail. */
    static final class Recorder implements BackgroundIndexer.Target {
        final List<List<IndexOp>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<Long> commits = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger refreshes = new AtomicInteger();
        volatile int failuresLeft;

        @Override
        public void apply(List<IndexOp> ops) throws IOException {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IOException("disk full");
            }
            batches.add(ops);
        }

        @Override
        public float[] indexedVector(MemoryItem item) { return null; }

        @Override
        public void refresh() { refreshes.incrementAndGet(); }

        @Override
        public void commit(long appliedSeq) { commits.add(appliedSeq); }

        /** What the write-ahead log holds (tests that close the index add to it as they submit). */
        final List<BackgroundIndexer.Pending> logged = Collections.synchronizedList(new ArrayList<>());
        /** The index closed itself (a full disk): reopening finds its last commit at {@code lastCommit}. */
        volatile boolean closed;

        @Override
        public long reopenIfClosed() {
            if (!closed) return -1;
            closed = false;
            return commits.isEmpty() ? 0 : commits.getLast();
        }

        @Override
        public List<BackgroundIndexer.Pending> loggedAfter(long seq) {
            return logged.stream().filter(p -> p.seq() > seq).toList();
        }
    }

    /** Counts calls and texts; vectors are all the same unit vector. */
    static final class CountingEmbedder implements Embedder {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public String model() { return "counting"; }

        @Override
        public int dimension() { return 2; }

        @Override
        public List<float[]> embed(List<String> batch) {
            calls.incrementAndGet();
            texts.addAndGet(batch.size());
            return batch.stream().map(t -> new float[] {1, 0}).toList();
        }
    }

    private static IndexOp items(String... ids) {
        var list = new ArrayList<MemoryItem>();
        for (String id : ids) list.add(new MemoryItem(id, null, "text " + id, "general", 1, null, Scope.GLOBAL, null));
        return IndexOp.PutItems.of(list, null);
    }

    @Test
    void writesWithinOneRefreshIntervalShareOneEmbeddingCallAndOneRefresh() {
        var target = new Recorder();
        var embedder = new CountingEmbedder();
        // A long interval: nothing is applied until the flush.
        try (var indexer = new BackgroundIndexer(target, embedder, 60_000, 60_000, 0, "test-indexer")) {
            // The first round may start at once (the indexer was idle); everything after it waits for the interval.
            indexer.submit(1, items("a"));
            indexer.flush();
            int callsBefore = embedder.calls.get();
            for (int i = 2; i <= 11; i++) indexer.submit(i, items("x" + i, "y" + i));
            indexer.submit(12, new IndexOp.DeleteItem("x2"));
            assertThat(indexer.backlog()).isEqualTo(11);

            indexer.flush();

            assertThat(embedder.calls.get() - callsBefore).isEqualTo(1);
            assertThat(embedder.texts.get()).isEqualTo(21);
            var last = target.batches.getLast();
            assertThat(last).hasSize(11);
            assertThat(last.getLast()).isEqualTo(new IndexOp.DeleteItem("x2"));
            assertThat(last.getFirst()).isInstanceOfSatisfying(IndexOp.PutItems.class,
                    p -> assertThat(p.embedded()).isTrue());
            assertThat(indexer.backlog()).isZero();
        }
        assertThat(target.commits).as("close commits what was applied").containsExactly(12L);
    }

    @Test
    void itemsThatCameWithVectorsAreNotEmbeddedAgain() {
        var target = new Recorder();
        var embedder = new CountingEmbedder();
        try (var indexer = new BackgroundIndexer(target, embedder, 0, 60_000, 0, "test-indexer")) {
            var item = new MemoryItem("v", null, "text", "general", 1, null, Scope.GLOBAL, null);
            indexer.submit(1, IndexOp.PutItems.of(List.of(item), List.of(new float[] {0, 1})));
            indexer.flush();
        }
        assertThat(embedder.calls.get()).isZero();
        assertThat(((IndexOp.PutItems) target.batches.getFirst().getFirst()).floatVectors().getFirst())
                .containsExactly(0, 1);
    }

    @Test
    void aFailingRoundIsReportedByFlushAndRetriedWithoutLosingWrites() {
        var target = new Recorder();
        target.failuresLeft = 1_000_000;
        try (var indexer = new BackgroundIndexer(target, new CountingEmbedder(), 0, 60_000, 0, "test-indexer")) {
            indexer.submit(1, items("a"));
            indexer.submit(2, items("b"));

            assertThatThrownBy(indexer::flush).isInstanceOf(StateError.class).hasMessageContaining("disk full")
                    .satisfies(e -> assertThat(((StateError) e).hint()).contains("write-ahead log"))
                    .satisfies(e -> assertThat(((StateError) e).recoverable()).isTrue());
            assertThat(indexer.backlog()).isEqualTo(2);

            target.failuresLeft = 0; // the disk has room again: the next retry goes through
            indexer.flush();
            assertThat(target.batches).hasSize(1);
            assertThat(target.batches.getFirst()).hasSize(2);
        }
        assertThat(target.commits).containsExactly(2L);
    }

    @Test
    void anIndexThatClosedItselfIsReopenedAndGetsBackTheWritesItHadNotCommitted() {
        var target = new Recorder();
        try (var indexer = new BackgroundIndexer(target, new CountingEmbedder(), 0, 60_000, 0, "test-indexer")) {
            for (long seq = 1; seq <= 3; seq++) {
                IndexOp op = items("i" + seq);
                target.logged.add(new BackgroundIndexer.Pending(seq, op));
                indexer.submit(seq, op);
            }
            indexer.flush(); // visible, not committed (the commit interval is a minute)
            assertThat(target.commits).isEmpty();

            target.closed = true; // a failed write closed the index: what it had not committed is gone
            target.failuresLeft = 1; // the round that meets the closed index fails first, as Lucene's would
            IndexOp fourth = new IndexOp.DeleteItem("i1");
            target.logged.add(new BackgroundIndexer.Pending(4, fourth));
            indexer.submit(4, fourth);
            flushUntilIndexed(indexer);

            var last = target.batches.getLast();
            assertThat(last).as("writes 1-3 applied again, in order, before 4").hasSize(4);
            assertThat(last.getLast()).isEqualTo(fourth);
            assertThat(((IndexOp.PutItems) last.getFirst()).items().getFirst().id()).isEqualTo("i1");
            assertThat(indexer.problem()).isEmpty();
        }
        assertThat(target.commits).containsExactly(4L);
    }

    /** Flushes, retrying while rounds fail (each failure is reported to one flush, then retried with back-off). */
    private static void flushUntilIndexed(BackgroundIndexer indexer) {
        for (int attempt = 0; ; attempt++) {
            try {
                indexer.flush();
                return;
            } catch (StateError e) {
                if (attempt > 50) throw e;
            }
        }
    }

    @Test
    void commitsHappenOnTheCommitIntervalAndRecordTheLastAppliedSequence() throws Exception {
        var target = new Recorder();
        try (var indexer = new BackgroundIndexer(target, new CountingEmbedder(), 0, 1, 5, "test-indexer")) {
            indexer.submit(6, items("a"));
            indexer.flush();
            for (int i = 0; i < 200 && target.commits.isEmpty(); i++) Thread.sleep(10);
            assertThat(target.commits).containsExactly(6L);
        }
    }
}
