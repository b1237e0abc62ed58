package io.sigil.orchestrator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A request in flight: wait for its response, or cancel it (it still ends with a recorded response). */
public final class RunHandle {
    private final CompletableFuture<RunResponse> response;
    private final AtomicReference<Thread> worker;
    private final Consumer<String> onCancel;

    RunHandle(CompletableFuture<RunResponse> response, AtomicReference<Thread> worker, Consumer<String> onCancel) {
        this.response = response;
        this.worker = worker;
        this.onCancel = onCancel;
    }

    /** Asks the run to stop: model calls in flight are interrupted and the response has status cancelled. */
    public void cancel() { cancel(null); }

    /** Cancels, recording {@code reason} (why it was cut short) in the response's error and the session's events. */
    public void cancel(String reason) {
        onCancel.accept(reason);
        Thread t = worker.get();
        if (t != null) t.interrupt();
    }

    public boolean done() { return response.isDone(); }

    /** Waits for the response; every run ends with one, whatever happened. */
    public RunResponse await() {
        try {
            return response.get();
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            return response.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run ended without a response", e.getCause());
        }
    }

    /** Waits at most {@code wait}; null when the run is still going. */
    public RunResponse await(Duration wait) throws InterruptedException {
        try {
            return response.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run ended without a response", e.getCause());
        }
    }
}
