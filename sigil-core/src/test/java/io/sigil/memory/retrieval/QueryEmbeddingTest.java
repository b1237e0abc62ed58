package io.sigil.memory.retrieval;

import io.sigil.memory.Embedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryEmbeddingTest {
    /** Counts its query embeddings; the vector is the query's length, so results are checkable. */
    private static final class Counting implements Embedder {
        final AtomicInteger queries = new AtomicInteger();
        final List<String> threads = new ArrayList<>();

        @Override public String model() { return "counting"; }
        @Override public int dimension() { return 1; }
        @Override public List<float[]> embed(List<String> texts) { return texts.stream().map(t -> new float[] {t.length()}).toList(); }

        @Override
        public float[] embedQuery(String query) {
            queries.incrementAndGet();
            synchronized (threads) { threads.add(Thread.currentThread().getName()); }
            if (query.equals("fail")) throw new IllegalStateException("the counting embedder is closed");
            return new float[] {query.length()};
        }
    }

    @Test
    void theVectorIsComputedOnceOnTheExecutorsThread() throws Exception {
        var embedder = new Counting();
        var started = new CountDownLatch(1);
        try (var vector = new QueryEmbedding(embedder, "budget", task -> Thread.ofPlatform().name("other").start(() -> {
            task.run();
            started.countDown();
        }))) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(vector.get()).containsExactly(6f);
            assertThat(vector.get()).containsExactly(6f);
        }
        assertThat(embedder.queries).hasValue(1);
        assertThat(embedder.threads).containsExactly("other");
    }

    @Test
    void aTaskTheExecutorHasNotStartedIsComputedByTheCaller() {
        var embedder = new Counting();
        var queued = new ArrayList<Runnable>();
        try (var vector = new QueryEmbedding(embedder, "budget", queued::add)) {
            assertThat(vector.get()).containsExactly(6f);
        }
        queued.forEach(Runnable::run); // the executor gets to it late: nothing is computed twice
        assertThat(embedder.queries).hasValue(1);
        assertThat(embedder.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void anEmbeddingNobodyAskedForDoesNotRunAfterClose() {
        var embedder = new Counting();
        var queued = new ArrayList<Runnable>();
        new QueryEmbedding(embedder, "budget", queued::add).close();
        queued.forEach(Runnable::run);
        assertThat(embedder.queries).hasValue(0);
    }

    @Test
    void theEmbeddersExceptionReachesTheCallerAsItIs() {
        var embedder = new Counting();
        try (var vector = new QueryEmbedding(embedder, "fail", Runnable::run)) {
            assertThatThrownBy(vector::get).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the counting embedder is closed");
        }
    }

    @Test
    void aRejectingExecutorLeavesTheWorkToTheCaller() {
        var embedder = new Counting();
        try (var vector = new QueryEmbedding(embedder, "budget", task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        })) {
            assertThat(vector.get()).containsExactly(6f);
        }
    }
}
