package io.sigil.orchestrator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A request in flight: wait for its response, or cancel it (it still ends with a recorded response). */
public final class RunHandle {
    private final CompletableFuture<RunResponse> response;
    private final Consumer<String> onCancel;

    /** @param onCancel marks the run cancelled and interrupts its work, if it is in its interruptible phase */
    RunHandle(CompletableFuture<RunResponse> response, Consumer<String> onCancel) {
        this.response = response;
        this.onCancel = onCancel;
    }

    /** Asks the run to stop: model calls in flight are interrupted and the response has status cancelled. */
    public void cancel() { cancel(null); }

    /** Cancels, recording {@code reason} (why it was cut short) in the response's error and the session's events. */
    public void cancel(String reason) {
        onCancel.accept(reason); // never interrupt the thread directly: it may be writing the run's events
    }

    public boolean done() { return response.isDone(); }

    /** Calls {@code action} with the response when the run ends, on the thread that ends it (keep it short). */
    public void whenDone(java.util.function.BiConsumer<RunResponse, Throwable> action) {
        response.whenComplete(action);
    }

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
