package io.sigil.server.runs;

import java.time.Duration;

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

    /** A run in flight. Every run ends with a recorded response, also when cancelled. */
    interface ActiveRun {
        void cancel();

        /** Cancels with a reason the run records (why it was cut short); launchers that cannot record it just cancel. */
        default void cancel(String reason) { cancel(); }

        /** True when the run ended within {@code wait}. */
        boolean await(Duration wait) throws InterruptedException;
    }
}
