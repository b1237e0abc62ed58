package io.sigil.server.runs;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Starts agent runs whose progress is streamed (WebSocket, SSE). The adapter over the orchestrator turns its
 * listener callbacks into typed messages; the streaming endpoints only move messages.
 */
public interface RunLauncher {

    /** Throws {@link io.sigil.errors.NotFoundError} when there is no agent of that name. */
    void requireAgent(String name);

    /**
     * Checks the input and starts the run. Its messages ({@code status}, {@code token}, ..., {@code complete})
     * go to {@code sink}, and {@link RunSink#ended()} is called after {@code complete}. Client mistakes (unknown session, bad
     * model) are thrown as {@link io.sigil.errors.SigilError}s before anything is published.
     */
    ActiveRun launch(RunInput input, RunSink sink);

    /**
     * Like {@link #launch}, but returns only after the run has ended ({@link RunSink#ended()} called), having handed
     * the run to {@code started} before it executes (to cancel it meanwhile). For a caller that waits for the
     * whole run anyway (a JSON response); launchers that can run on the calling thread do, saving a thread hand-off.
     */
    default void runHere(RunInput input, RunSink sink, Consumer<ActiveRun> started) throws InterruptedException {
        var ended = new java.util.concurrent.CountDownLatch(1);
        ActiveRun run = launch(input, new RunSink() {
            @Override
            public void publish(String type, Object data) { sink.publish(type, data); }

            @Override
            public void ended() {
                try {
                    sink.ended();
                } finally {
                    ended.countDown();
                }
            }
        });
        started.accept(run);
        try {
            ended.await();
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    /** A run in flight. Every run ends with a recorded response, also when cancelled. */
    interface ActiveRun {
        void cancel();

        /** Cancels with a reason the run records (why it was cut short); launchers that cannot record it just cancel. */
        default void cancel(String reason) { cancel(); }

        /** True when the run ended within {@code wait}. */
        boolean await(Duration wait) throws InterruptedException;
    }
}
