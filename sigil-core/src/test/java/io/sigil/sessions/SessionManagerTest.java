package io.sigil.sessions;

import io.sigil.errors.NotFoundError;
import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.Payloads;
import io.sigil.events.SessionEndedError;
import io.sigil.events.file.FileEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionManagerTest {
    @TempDir
    Path dir;
    FileEventStore store;
    SessionManager sessions;

    @BeforeEach
    void open() {
        store = FileEventStore.open(dir, 10_000);
        sessions = new SessionManager(store);
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void theCrashSweepMarksRunsWithoutAnAnswerInterruptedOnce() {
        sessions.create("cut", "researcher", "user-1", Map.of());
        sessions.sink("cut", "researcher", "c").emit(EventType.MESSAGE_ADDED,
                Map.of("role", "user", "content", "long job", "request_id", "r-1"));
        sessions.create("done", "researcher", "user-1", Map.of());
        EventSink done = sessions.sink("done", "researcher", "c");
        done.emit(EventType.MESSAGE_ADDED, Map.of("role", "user", "content", "hi", "request_id", "r-2"));
        done.emit(EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", "hello", "request_id", "r-2"));
        assertThat(sessions.load("cut").lastRun()).isEqualTo(RunState.OPEN);

        assertThat(sessions.markInterruptedRuns("crash", java.time.Instant.parse("2026-01-01T00:00:00Z")))
                .containsExactly("cut");
        Session cut = sessions.load("cut");
        assertThat(cut.lastRun()).isEqualTo(RunState.INTERRUPTED);
        assertThat(cut.status()).isEqualTo(SessionStatus.ACTIVE); // it can be continued
        assertThat(sessions.events("cut", "run.interrupted")).singleElement().satisfies(e -> assertThat(e.event().payload())
                .containsEntry("request_id", "r-1").containsEntry("reason", "crash")
                .containsEntry("interrupted_at", "2026-01-01T00:00:00Z"));
        assertThat(sessions.load("done").lastRun()).isEqualTo(RunState.FINISHED);
        assertThat(sessions.markInterruptedRuns("crash", java.time.Instant.now())).isEmpty();
    }

    @Test
    void sessionsAreVisibleToTheirOwnerAndAdministratorsOnly() {
        sessions.create("a1", null, "alice", Map.of());
        sessions.create("b1", null, "bob", Map.of());
        Caller alice = Caller.user("alice");
        assertThat(sessions.list(true, alice)).extracting(SessionSummary::id).containsExactly("a1");
        assertThat(sessions.load("a1", alice).owner()).isEqualTo("alice");
        assertThatThrownBy(() -> sessions.load("b1", alice)).isInstanceOf(io.sigil.errors.NotFoundError.class)
                .hasMessage("no session 'b1'");
        assertThatThrownBy(() -> sessions.events("b1", null, alice)).isInstanceOf(io.sigil.errors.NotFoundError.class);
        assertThatThrownBy(() -> sessions.end("b1", "x", alice)).isInstanceOf(io.sigil.errors.NotFoundError.class);
        assertThatThrownBy(() -> sessions.delete("b1", alice)).isInstanceOf(io.sigil.errors.NotFoundError.class);
        assertThat(sessions.load("b1").status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(sessions.list(true, new Caller("root", true))).hasSize(2);
    }

    @Test
    void replayRebuildsEverythingASessionDid() {
        sessions.create("s1", "researcher", "user-1", Map.of("channel", "cli"));
        EventSink sink = sessions.sink("s1", "researcher", "req-1");
        sink.emit(EventType.MESSAGE_ADDED, new Payloads.MessageAdded("user", "find flights").toMap());
        sink.emit(EventType.LLM_CALLED, Map.of("provider", "anthropic", "model", "claude-sonnet-4", "input_tokens", 120,
                "output_tokens", 30, "latency_ms", 800));
        sink.emit(EventType.PLAN_CREATED, Map.of("plan_id", "p1", "goal", "book a flight",
                "steps", List.of(Map.of("step_id", "a", "description", "search"), Map.of("step_id", "b", "description", "book"))));
        sink.emit(EventType.PLAN_STEP_COMPLETED, Map.of("plan_id", "p1", "step_id", "a", "status", "success"));
        sink.emit(EventType.TOOL_CALLED, Map.of("tool", "search", "arguments", Map.of("q", "LHR"), "result", "3 flights",
                "duration_ms", 42));
        sink.emit(EventType.MEMORY_EXTRACTED, Map.of("items", List.of(Map.of("content", "prefers aisle", "category", "prefs"))));
        sink.emit(EventType.CONTRACT_VALIDATION_FAILED, Map.of("contract", "booking", "errors", List.of("missing price"), "attempt", 1));
        sink.emit(EventType.CONTRACT_VALIDATED, Map.of("contract", "booking", "attempt", 2));
        sink.emit(EventType.ERROR_OCCURRED, Map.of("code", "TOOL_ERROR", "message", "timeout", "recoverable", true));
        sink.emit(EventType.LLM_CALLED, Map.of("provider", "anthropic", "model", "claude-sonnet-4", "input_tokens", 200,
                "output_tokens", 50));
        sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", "booked"));
        store.append("s1", ExpectedVersion.ANY, List.of(Event.of("future.kind", "s1", Map.of("x", 1))));

        Session s = sessions.load("s1");

        assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(s.agentId()).isEqualTo("researcher");
        assertThat(s.userId()).isEqualTo("user-1");
        assertThat(s.version()).isEqualTo(13);
        assertThat(s.messages()).containsExactly(new Payloads.MessageAdded("user", "find flights"),
                new Payloads.MessageAdded("assistant", "booked"));
        assertThat(s.toolCalls()).singleElement().satisfies(t -> {
            assertThat(t.tool()).isEqualTo("search");
            assertThat(t.arguments()).containsEntry("q", "LHR");
            assertThat(t.durationMs()).isEqualTo(42);
        });
        assertThat(s.currentPlan().planId()).isEqualTo("p1");
        assertThat(s.currentPlan().steps()).extracting(Payloads.PlanStep::stepId).containsExactly("a", "b");
        assertThat(s.currentPlan().completedSteps()).containsExactly("a");
        assertThat(s.memoryItems()).singleElement().satisfies(m -> assertThat(m).containsEntry("category", "prefs"));
        assertThat(s.contractValidations()).extracting(Payloads.ContractValidation::passed).containsExactly(false, true);
        assertThat(s.errors()).containsExactly(new Payloads.ErrorOccurred("TOOL_ERROR", "timeout", true));
        assertThat(s.tokens()).isEqualTo(new TokenUsage(320, 80, 2));
        assertThat(s.eventCounts()).containsEntry("future.kind", 1L).containsEntry("llm.called", 2L);
    }

    @Test
    void endRefusesFurtherEventsAndArchiveHidesTheSession() {
        sessions.create("a", "agent", null, null);
        sessions.create("b", "agent", null, null);
        Session ended = sessions.end("a", "done");
        assertThat(ended.status()).isEqualTo(SessionStatus.ENDED);
        assertThat(ended.endedAt()).isNotNull();
        assertThatThrownBy(() -> sessions.sink("a", "agent", null).emit(EventType.MESSAGE_ADDED, Map.of("content", "late")))
                .isInstanceOf(SessionEndedError.class);
        assertThat(sessions.end("a", "again").version()).isEqualTo(2);

        assertThat(sessions.archive("a").status()).isEqualTo(SessionStatus.ARCHIVED);
        assertThat(sessions.list(false)).extracting(SessionSummary::id).containsExactly("b");
        assertThat(sessions.list(true)).extracting(SessionSummary::id).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void listShowsStatusAgentCountsTokensAndTimes() {
        sessions.create("a", "writer", null, null);
        sessions.sink("a", "writer", null).emit(EventType.LLM_CALLED, Map.of("input_tokens", 10, "output_tokens", 5));
        SessionSummary row = sessions.list(false).getFirst();
        assertThat(row.id()).isEqualTo("a");
        assertThat(row.agentId()).isEqualTo("writer");
        assertThat(row.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(row.events()).isEqualTo(2);
        assertThat(row.tokens().total()).isEqualTo(15);
        assertThat(row.startedAt()).isBeforeOrEqualTo(row.lastEventAt());
    }

    @Test
    void createIsRefusedForATakenIdAndUnknownSessionsAreNotFound() {
        sessions.create("a", null, null, null);
        assertThatThrownBy(() -> sessions.create("a", null, null, null))
                .isInstanceOf(StateError.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> sessions.load("nope")).isInstanceOf(NotFoundError.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> sessions.delete("nope")).isInstanceOf(NotFoundError.class);
        assertThat(sessions.create(null, null, null, null).id()).hasSize(36);
    }

    @Test
    void deleteRemovesTheSession() {
        sessions.create("a", null, null, null);
        sessions.delete("a");
        assertThat(sessions.find("a")).isEmpty();
        assertThat(sessions.list(true)).isEmpty();
    }
}
