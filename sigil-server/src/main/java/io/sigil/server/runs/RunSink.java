package io.sigil.server.runs;

/** Where a run's typed messages go: a WebSocket connection's or an SSE response's outbox. */
public interface RunSink {

    /** Queues one message ({@code status}, {@code token}, ...); never blocks the run. */
    void publish(String type, Object data);

    /** Called once, after the run's {@code complete} message. */
    void ended();
}
