package io.sigil.server;

import io.sigil.auth.Scope;
import io.sigil.events.Event;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.file.FileEventStore;
import io.sigil.sessions.SessionManager;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sessions for the console tests, written before the server starts (it then holds the store's lock): alice's
 * session full of hostile content (script tags, attribute breakouts, a javascript: link) across every event type
 * the timeline summarises, with one tool call waiting for approval; bob's session, which alice must never see.
 */
final class ConsoleFixture {
    static final String ALICE_SESSION = "alice-s1";
    static final String BOB_SESSION = "bob-secret-s1";
    static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";
    static final String BREAKOUT = "\"><svg onload=alert(1)>'";

    static final Scope[] USER = {Scope.RUNS_EXECUTE, Scope.SESSIONS_READ, Scope.MEMORY_READ, Scope.MEMORY_WRITE,
            Scope.AGENTS_READ, Scope.CONTRACTS_READ};

    private ConsoleFixture() { }

    static void seed(Path dir, TestServer.Options o) {
        Path state = TestServer.settings(dir, o).state().dataDir();
        try (FileEventStore store = FileEventStore.open(state, 10_000)) {
            SessionManager sessions = new SessionManager(store);
            sessions.create(ALICE_SESSION, "lead_qualifier", "alice", Map.of());
            EventSink sink = sessions.sink(ALICE_SESSION, "lead_qualifier", "req-1");
            sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "user", "content", "Qualify " + HOSTILE, "author", "alice"));
            sink.emit(EventType.REASONING_STRATEGY_SELECTED, Map.of("strategy", "react", "reason", "tools " + BREAKOUT));
            sink.emit(EventType.PLAN_CREATED, Map.of("plan_id", "p-1", "goal", "Goal " + HOSTILE, "steps",
                    List.of(Map.of("step_id", "s1", "description", "Look up " + BREAKOUT))));
            sink.emit(EventType.LLM_CALLED, Map.of("provider", "anthropic", "model", "claude-test", "input_tokens", 1200,
                    "output_tokens", 300, "latency_ms", 850, "streamed", true));
            sink.emit(EventType.TOOL_CALLED, Map.of("tool", "web_search", "arguments", Map.of("q", BREAKOUT),
                    "result", HOSTILE, "duration_ms", 42));
            sink.emit(EventType.CONTRACT_VALIDATION_STARTED, Map.of("attempt", 1, "version", "1.0"));
            sink.emit(EventType.CONTRACT_VALIDATION_FAILED, Map.of("attempt", 1, "error_count", 1, "errors",
                    List.of(Map.of("field", "bant.budget", "reason", "missing " + HOSTILE, "expected", "number"))));
            sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", "Answer " + HOSTILE,
                    "author", "agent:lead_qualifier", "status", "awaiting_approval", "request_id", "req-1"));
            // An approval waiting for a decision, as docs/approvals.md records it.
            store.append(ALICE_SESSION, ExpectedVersion.ANY, List.of(Event.of("approval.requested", ALICE_SESSION,
                    Map.of("run_id", "req-1", "call_id", "call_01", "agent", "lead_qualifier", "tool", "send_sms", "tool_source", "service:sms",
                            "arguments", Map.of("to", "+15550100", "body", "Hi " + HOSTILE),
                            "reason", "send_sms has side effects (approval: side_effects)",
                            "expires_at", Instant.now().plusSeconds(86_400).toString())).withAgent("lead_qualifier")));
            sessions.create(BOB_SESSION, "research_assistant", "bob", Map.of());
            sessions.sink(BOB_SESSION, "research_assistant", "req-9").emit(EventType.MESSAGE_ADDED,
                    Map.of("role", "user", "content", "bob's private question", "author", "bob"));
        }
    }

    /** An API key (the console's login credential) for {@code subject}. */
    static String apiKey(TestServer server, String subject, Scope... scopes) {
        return server.keys.create(subject, Set.of(scopes), 100_000, null).plaintext();
    }
}
