package io.sigil.memory.retrieval;

import io.sigil.memory.Embedder;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A query's embedding, started on another thread so that it overlaps the keyword half of rag's search (the store
 * asks for the vector once BM25's list is made). Whoever asks for it before that thread has begun computes it in
 * its own thread instead, so a busy machine never makes a query wait for a free thread: it only loses the overlap.
 * Close it when the search is done, so that an embedding nobody asked for (a search that found nothing to do)
 * does not start later.
 */
final class QueryEmbedding implements Supplier<float[]>, AutoCloseable {
    private final FutureTask<float[]> task;

    QueryEmbedding(Embedder embedder, String text, Executor executor) {
        this.task = new FutureTask<>(() -> embedder.embedQuery(text));
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // an executor that is shutting down: the first get() computes the vector here
        }
    }

    @Override
    public float[] get() {
        task.run(); // does nothing once the other thread has started it
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the query's embedding", e);
        } catch (ExecutionException e) {
            // the embedder's own exception (a closed model, an unreachable endpoint), as a direct call would throw it
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("embedding the query failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() { task.cancel(false); }
}
