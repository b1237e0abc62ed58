package io.sigil.server.runs;

/** Where a run's typed messages go: a WebSocket connection's or an SSE response's outbox. */
public interface RunSink {
    /**
     * The type of a run's last message. A sink may free what the run held (a connection's or a session's run slot)
     * when it sees it, before passing it on: a client may send its next message the moment it reads it.
     */
    String COMPLETE = "complete";

    /** Queues one message ({@code status}, {@code token}, ...); never blocks the run. */
    void publish(String type, Object data);

    /** Called once, after the run's {@code complete} message. */
    void ended();
}
