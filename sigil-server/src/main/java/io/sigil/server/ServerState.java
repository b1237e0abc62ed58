package io.sigil.server;

import io.sigil.Sigil;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live part of {@code /debug/state} the subsystems contribute: runs in flight, SSE streams, WebSocket
 * connections with their send-queue depths, the event store's appends waiting for durability and the memory
 * index (reported without opening it). Any part may be absent (an embedding that serves no runs).
 */
public record ServerState(TrackedRuns runs, RunEndpoint sse, List<AgentRunSocket> sockets, Sigil runtime) {
    public static final ServerState NONE = new ServerState(null, null, List.of(), null);

    /** The API keys of the state backend; the file store of {@code settings} when no runtime is open (tests). */
    public io.sigil.auth.ApiKeyStore apiKeyStore(io.sigil.config.Settings settings) {
        return runtime == null ? new io.sigil.auth.FileApiKeyStore(settings.state().dataDir()) : runtime.state().apiKeys();
    }

    /** Health checks of the state backend (PostgreSQL: pool and schema), replacing the generic ones of that name. */
    public List<io.sigil.health.HealthCheck> healthChecks() {
        return runtime == null ? List.of() : runtime.state().healthChecks();
    }

    public ServerState {
        sockets = List.copyOf(sockets);
    }

    /** The entries to merge into the state document. */
    public Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        if (runs != null) {
            List<Map<String, Object>> list = runs.runs().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("session_id", r.sessionId());
                m.put("agent", r.agent());
                m.put("started_at", r.started().toString());
                m.put("status", r.status());
                return m;
            }).toList();
            s.put("runs", Map.of("in_flight", list.size(), "shutting_down", runs.closing(), "items", list));
        }
        if (sse != null) s.put("sse_streams", sse.openStreams());
        if (!sockets.isEmpty()) {
            List<Map<String, Object>> connections = sockets.stream().flatMap(w -> w.connectionInfo().stream()).map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("agent", c.agent());
                m.put("running", c.running());
                m.put("queued_messages", c.queued());
                return m;
            }).toList();
            s.put("websocket", Map.of("open", connections.size(), "connections", connections));
        }
        if (runtime != null) {
            s.put("event_store", runtime.state().status());
            s.put("memory", runtime.memoryStatus());
        }
        return s;
    }
}
