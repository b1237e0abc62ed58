package io.sigil.server.runs;

import java.time.Duration;
import java.util.List;

/**
 * Graceful shutdown of the run endpoints, run while the server still serves (so streams can deliver their last
 * messages): WebSocket connections opened from now on are refused (1012) and new runs get 503; the runs in flight
 * (JSON, SSE, WebSocket) finish within the grace period or are cancelled and recorded as such; then each WebSocket
 * connection is sent what is still queued - its run's {@code complete} - and closed with 1001.
 */
public final class RunDrain implements Runnable {
    /** How long closing WebSocket connections may take to send what is queued (deployments add it to their grace). */
    public static final Duration FLUSH = Duration.ofSeconds(5);

    private final TrackedRuns runs;
    private final List<AgentRunSocket> sockets;

    public RunDrain(TrackedRuns runs, List<AgentRunSocket> sockets) {
        this.runs = runs;
        this.sockets = List.copyOf(sockets);
    }

    @Override
    public void run() {
        sockets.forEach(AgentRunSocket::refuseNew);
        runs.drain();
        sockets.forEach(s -> s.closeAll(FLUSH));
    }
}
