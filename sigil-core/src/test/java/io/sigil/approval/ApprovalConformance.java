package io.sigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.events.EventStore;
import io.sigil.events.RecordedEvent;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.MemoryService;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.orchestrator.RunStatus;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.KeywordRouter;
import io.sigil.sessions.Caller;
import io.sigil.sessions.RunState;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.Tool;
import io.sigil.tools.ToolRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The human-in-the-loop scenario against an event store adapter: a run pauses at a call that needs approval, the
 * store is reopened (another process, another replica), the decision is taken there and the run goes on from its
 * events: the tool ran exactly once with the approved arguments, a denial reaches the model as the call's result,
 * an expired approval ends the run, and only the session's owner sees and decides.
 */
public abstract class ApprovalConformance {
    @TempDir
    protected Path dir;

    /** A fresh, empty store for this test. */
    protected abstract EventStore openStore();

    /** The same store as another process sees it (the old one may be closed first). */
    protected abstract EventStore reopen(EventStore old);

    private final List<EventStore> opened = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T01:00:00Z"));
    /** Every execution of the side-effect tool, with its arguments: the side effects to count. */
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    /** Every request the model got. */
    private final List<ChatRequest> seen = new CopyOnWriteArrayList<>();
    private static final Caller ALICE = Caller.user("alice");

    @BeforeEach
    void agents() throws Exception {
        Files.createDirectories(dir.resolve("agents"));
        Files.writeString(dir.resolve("agents/notifier.yaml"), """
                name: notifier
                description: Sends notes
                system_prompt: You send notes when asked.
                strategy: react
                memory_enabled: false
                tools: [send_note, current_note_count]
                side_effect_tools: [send_note]
                """);
    }

    @AfterEach
    protected void closeStores() {
        for (EventStore s : List.copyOf(opened)) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closed already by reopen
            }
        }
        opened.clear();
    }

    /** A tool that changes the world: each execution is one sent note. */
    private final class SendNote implements Tool {
        public String name() { return "send_note"; }
        public String description() { return "Sends a note."; }
        public JsonNode inputSchema() {
            var s = JsonNodeFactory.instance.objectNode().put("type", "object");
            s.putObject("properties").putObject("text").put("type", "string");
            s.putArray("required").add("text");
            return s;
        }
        public String execute(JsonNode arguments) {
            sent.add(arguments);
            return "note #" + sent.size() + " sent: " + arguments.path("text").asText();
        }
        public boolean sideEffects() { return true; }
    }

    /** A tool without side effects: never held under the default policy. */
    private final class CountNotes implements Tool {
        public String name() { return "current_note_count"; }
        public String description() { return "How many notes were sent."; }
        public JsonNode inputSchema() { return JsonNodeFactory.instance.objectNode().put("type", "object"); }
        public String execute(JsonNode arguments) { return Integer.toString(sent.size()); }
    }

    /**
     * The model: asks for {@code calls} in its first turn; after tool results, answers with what the last one said.
     */
    private ChatResponse script(ChatRequest r, List<ToolCall> calls) {
        seen.add(r);
        Message last = r.messages().getLast();
        if (last instanceof Message.ToolResult result) {
            return TestModel.text("Final answer: the tool said " + result.content() + (result.isError() ? " (error)" : ""));
        }
        return TestModel.toolCalls(calls.toArray(ToolCall[]::new));
    }

    private static ToolCall note(String id, String text) {
        return new ToolCall(id, "send_note", JsonNodeFactory.instance.objectNode().put("text", text));
    }

    private ToolRegistry tools() { return ToolRegistry.of(new SendNote(), new CountNotes()); }

    private Orchestrator orchestrator(EventStore store, List<ToolCall> calls, ApprovalSettings approvals) {
        var strategies = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet());
        var definitions = new AgentDefinitions(strategies);
        var loader = new ContractLoader();
        Supplier<MemoryService> noMemory = () -> { throw new AssertionError("memory is off in this test"); };
        return Orchestrator.builder().config(OrchestratorConfig.from(Settings.defaults()).withFeatures(Settings.Features.DEFAULTS))
                .agents(new FileAgentRegistry(dir.resolve("agents"), definitions)).definitions(definitions)
                .models(m -> TestModel.scripted(r -> script(r, calls))).router(new KeywordRouter())
                .sessions(new SessionManager(store)).memory(noMemory)
                .contracts(new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader)))
                .tools(tools()).planCache(new PlanCache(clock, Duration.ofHours(1), 10))
                .meters(new SimpleMeterRegistry()).clock(clock).approvals(approvals).build();
    }

    private EventStore store() {
        EventStore s = openStore();
        opened.add(s);
        return s;
    }

    private EventStore again(EventStore old) {
        EventStore s = reopen(old);
        opened.add(s);
        return s;
    }

    private RunResponse pausedRun(EventStore store, List<ToolCall> calls) {
        RunResponse r = orchestrator(store, calls, ApprovalSettings.DEFAULTS).handle(RunRequest.builder("send a note to Bob")
                .agent("notifier").caller(ALICE).build(), RunListener.NONE);
        assertThat(r.status()).as(r.errors().toString()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        return r;
    }

    private static List<String> types(EventStore store, String session) {
        return store.read(session, 1).stream().map(RecordedEvent::eventType).toList();
    }

    @Test
    void aHeldCallPausesTheRunAndAnApprovalInAnotherProcessRunsItExactlyOnce() {
        EventStore first = store();
        List<ToolCall> calls = List.of(note("call_1", "hello"));
        List<io.sigil.approval.Approval> announced = new CopyOnWriteArrayList<>();
        RunResponse paused = orchestrator(first, calls, ApprovalSettings.DEFAULTS).handle(RunRequest.builder(
                "send a note to Bob").agent("notifier").caller(ALICE).build(), new RunListener() {
                    @Override public void approvalRequested(Approval approval) { announced.add(approval); }
                });

        assertThat(paused.status()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        assertThat(paused.errors()).isEmpty();
        assertThat(paused.answerText()).contains("send_note").contains("call_1");
        assertThat(sent).as("nothing ran before the decision").isEmpty();
        assertThat(announced).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ApprovalStatus.PENDING);
            assertThat(a.owner()).isEqualTo("alice");
            assertThat(a.arguments()).containsEntry("text", "hello");
            assertThat(a.expiresAt()).isEqualTo(clock.instant().plus(ApprovalSettings.DEFAULT_EXPIRY));
        });
        assertThat(types(first, paused.sessionId())).contains("approval.requested")
                .endsWith("approval.requested", "message.added");
        assertThat(new SessionManager(first).load(paused.sessionId()).lastRun()).isEqualTo(RunState.FINISHED);

        // Another process over the same state: it lists, decides (with edited arguments) and resumes.
        EventStore second = again(first);
        Approvals approvals = new Approvals(second, tools(), clock);
        assertThat(approvals.list(ALICE, null, ApprovalStatus.PENDING)).singleElement()
                .satisfies(a -> assertThat(a.runId()).isEqualTo(paused.requestId()));
        int modelCallsBefore = seen.size();
        var decided = approvals.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true,
                JsonNodeFactory.instance.objectNode().put("text", "hello, edited"), "fine"));
        assertThat(decided.approval().status()).isEqualTo(ApprovalStatus.APPROVED);
        RunResponse done = orchestrator(second, calls, ApprovalSettings.DEFAULTS)
                .resumeHere(decided.resume(), RunListener.NONE, h -> { });

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(done.requestId()).isEqualTo(paused.requestId());
        assertThat(done.answerText()).contains("note #1 sent: hello, edited");
        assertThat(sent).as("the tool ran exactly once, with the approved arguments").singleElement()
                .satisfies(a -> assertThat(a.path("text").asText()).isEqualTo("hello, edited"));
        assertThat(seen.size() - modelCallsBefore).as("one model turn after the result: none redone").isEqualTo(1);
        List<String> after = types(second, paused.sessionId());
        assertThat(after.stream().filter("message.added"::equals).count()).as("one user message, two answers").isEqualTo(3);
        assertThat(after).containsSubsequence("approval.requested", "approval.granted", "tool.called", "message.added");
        assertThat(approvals.forRun(ALICE, paused.requestId())).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(ApprovalStatus.APPROVED);
            assertThat(a.decision().arguments()).containsEntry("text", "hello, edited");
        });
        assertThatThrownBy(() -> approvals.decide(ALICE, paused.requestId(), "call_1",
                new ApprovalDecision(true, null, null)))
                .isInstanceOfSatisfying(ApprovalError.class, e -> assertThat(e.kind()).isEqualTo(ApprovalError.Kind.DECIDED));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aDenialReachesTheModelAsTheCallsResultAndNothingRuns() {
        EventStore store = store();
        List<ToolCall> calls = List.of(note("call_1", "hello"));
        RunResponse paused = pausedRun(store, calls);
        Approvals approvals = new Approvals(store, tools(), clock);
        var decided = approvals.decide(ALICE, paused.requestId(), "call_1",
                new ApprovalDecision(false, null, "Bob asked for no notes"));
        RunResponse done = orchestrator(store, calls, ApprovalSettings.DEFAULTS)
                .resumeHere(decided.resume(), RunListener.NONE, h -> { });

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent).isEmpty();
        Message.ToolResult given = (Message.ToolResult) seen.getLast().messages().getLast();
        assertThat(given.isError()).isTrue();
        assertThat(given.content()).contains("denied").contains("Bob asked for no notes");
        assertThat(done.answerText()).contains("Bob asked for no notes");
        assertThat(types(store, paused.sessionId())).containsSubsequence("approval.denied", "tool.called", "message.added");
    }

    @Test
    void theRestOfAPausedTurnRunsAfterTheDecisionAndAHeldCallAmongThemPausesAgain() {
        EventStore store = store();
        List<ToolCall> calls = List.of(new ToolCall("call_0", "current_note_count", JsonNodeFactory.instance.objectNode()),
                note("call_1", "one"), note("call_2", "two"));
        RunResponse paused = pausedRun(store, calls);
        Approvals approvals = new Approvals(store, tools(), clock);
        assertThat(approvals.forRun(ALICE, paused.requestId())).extracting(Approval::callId).containsExactly("call_1");

        var first = approvals.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true, null, null));
        RunResponse again = orchestrator(store, calls, ApprovalSettings.DEFAULTS).resumeHere(first.resume(), RunListener.NONE, h -> { });
        assertThat(again.status()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        assertThat(sent).hasSize(1);

        var second = approvals.decide(ALICE, paused.requestId(), "call_2", new ApprovalDecision(true, null, null));
        RunResponse done = orchestrator(store, calls, ApprovalSettings.DEFAULTS).resumeHere(second.resume(), RunListener.NONE, h -> { });
        assertThat(done.status()).as(done.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent).extracting(a -> a.path("text").asText()).containsExactly("one", "two");
        // The model saw all three results in order, the first from before the pause.
        List<String> results = seen.getLast().messages().stream().filter(m -> m instanceof Message.ToolResult)
                .map(m -> ((Message.ToolResult) m).toolCallId()).toList();
        assertThat(results).containsExactly("call_0", "call_1", "call_2");
    }

    @Test
    void listingAndSweepingLookOnlyAtTheSessionsWithApprovals() {
        EventStore store = store();
        RunResponse first = pausedRun(store, List.of(note("call_1", "x")));
        for (int i = 0; i < 300; i++) { // many sessions without approvals
            store.append("plain-" + i, io.sigil.events.ExpectedVersion.ANY, List.of(io.sigil.events.Event.of(
                    io.sigil.events.EventType.MESSAGE_ADDED, "plain-" + i, Map.of("role", "user", "content", "hi"))));
        }
        CountingEventStore counted = new CountingEventStore(store);
        Approvals approvals = new Approvals(counted, tools(), clock);

        assertThat(approvals.list(ALICE, null, null)).extracting(Approval::runId).containsExactly(first.requestId());
        assertThat(counted.sessionListings).as("never lists every session").hasValue(0);
        assertThat(counted.sessionsRead).containsExactly(first.sessionId());

        counted.reset();
        assertThat(approvals.list(ALICE, null, ApprovalStatus.PENDING)).hasSize(1);
        assertThat(counted.sessionsRead).as("unchanged sessions are not read again").isEmpty();
        assertThat(approvals.expireDue()).isEmpty();
        assertThat(counted.versionLookups).as("the sweep checks the sessions with approvals only").hasValue(1);
        assertThat(counted.sessionListings).hasValue(0);

        counted.reset();
        RunResponse second = pausedRun(store, List.of(note("call_1", "y")));
        assertThat(approvals.list(ALICE, null, ApprovalStatus.PENDING)).extracting(Approval::runId)
                .containsExactlyInAnyOrder(first.requestId(), second.requestId());
        assertThat(counted.sessionsRead).as("only the new session is read").containsExactly(second.sessionId());

        assertThat(store.delete(first.sessionId())).isTrue();
        approvals.expireDue();
        assertThat(approvals.list(ALICE, null, null)).extracting(Approval::runId).containsExactly(second.requestId());
    }

    @Test
    void anExpiredApprovalEndsTheRunAndCannotBeDecided() {
        EventStore store = store();
        RunResponse paused = orchestrator(store, List.of(note("call_1", "x")), new ApprovalSettings(Map.of(), Duration.ofMinutes(5)))
                .handle(RunRequest.builder("send a note").agent("notifier").caller(ALICE).build(), RunListener.NONE);
        assertThat(paused.status()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        Approvals approvals = new Approvals(store, tools(), clock);
        clock.advance(Duration.ofMinutes(6));

        assertThat(approvals.list(ALICE, null, ApprovalStatus.EXPIRED)).hasSize(1);
        assertThat(approvals.expireDue()).hasSize(1);
        assertThat(approvals.expireDue()).as("recorded once").isEmpty();
        assertThatThrownBy(() -> approvals.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true, null, null)))
                .isInstanceOfSatisfying(ApprovalError.class, e -> assertThat(e.kind()).isEqualTo(ApprovalError.Kind.EXPIRED));
        List<RecordedEvent> events = store.read(paused.sessionId(), 1);
        assertThat(events.stream().map(RecordedEvent::eventType).toList())
                .endsWith("approval.expired", "error.occurred", "message.added");
        assertThat(events.getLast().event().payload()).containsEntry("status", "failed");
        assertThat(events.getLast().event().payload().get("content").toString()).contains("[APPROVAL_EXPIRED]");
        assertThat(sent).isEmpty();
    }

    @Test
    void aDecisionAfterTheDeadlineRecordsTheExpiryItself() {
        EventStore store = store();
        RunResponse paused = pausedRun(store, List.of(note("call_1", "x")));
        clock.advance(ApprovalSettings.DEFAULT_EXPIRY.plusSeconds(1));
        Approvals approvals = new Approvals(store, tools(), clock);
        assertThatThrownBy(() -> approvals.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true, null, null)))
                .isInstanceOf(ApprovalError.class).hasMessageContaining("expired");
        assertThat(types(store, paused.sessionId())).contains("approval.expired");
    }

    @Test
    void onlyTheSessionOwnerOrAnAdministratorSeesAndDecides() {
        EventStore store = store();
        RunResponse paused = pausedRun(store, List.of(note("call_1", "x")));
        Approvals approvals = new Approvals(store, tools(), clock);
        Caller mallory = Caller.user("mallory");
        assertThat(approvals.list(mallory, null, null)).isEmpty();
        assertThatThrownBy(() -> approvals.forRun(mallory, paused.requestId())).isInstanceOf(NotFoundError.class);
        assertThatThrownBy(() -> approvals.decide(mallory, paused.requestId(), "call_1", new ApprovalDecision(true, null, null)))
                .isInstanceOf(NotFoundError.class);
        assertThat(approvals.list(Caller.LOCAL_ADMIN, paused.sessionId(), ApprovalStatus.PENDING)).hasSize(1);
        assertThatThrownBy(() -> approvals.decide(ALICE, paused.requestId(), "no_such_call", new ApprovalDecision(true, null, null)))
                .isInstanceOf(NotFoundError.class);
    }

    @Test
    void editedArgumentsMustFitTheToolsSchema() {
        EventStore store = store();
        RunResponse paused = pausedRun(store, List.of(note("call_1", "x")));
        Approvals approvals = new Approvals(store, tools(), clock);
        assertThatThrownBy(() -> approvals.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true,
                JsonNodeFactory.instance.objectNode().put("text", 42), null)))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("input schema of send_note");
        assertThat(approvals.list(ALICE, null, ApprovalStatus.PENDING)).hasSize(1);
    }

    @Test
    void ofTwoDecisionsAtOnceExactlyOneWins() throws Exception {
        EventStore store = store();
        RunResponse paused = pausedRun(store, List.of(note("call_1", "x")));
        Approvals one = new Approvals(store, tools(), clock);
        Approvals two = new Approvals(store, tools(), clock);
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        var start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Approvals a : List.of(one, two)) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    outcomes.add(a.decide(ALICE, paused.requestId(), "call_1", new ApprovalDecision(true, null, null)));
                } catch (ApprovalError e) {
                    outcomes.add(e.kind());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    outcomes.add(e); // shown by the assertion below
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes).noneMatch(o -> o instanceof RuntimeException);
        assertThat(outcomes).filteredOn(o -> o instanceof Approvals.Decided).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o == ApprovalError.Kind.DECIDED).hasSize(1);
        assertThat(types(store, paused.sessionId()).stream().filter("approval.granted"::equals)).hasSize(1);
    }

    @Test
    void theAgentOrTheDeploymentCanOverrideATool() throws Exception {
        EventStore store = store();
        // The deployment lets send_note run freely: no pause.
        RunResponse free = orchestrator(store, List.of(note("call_1", "x")),
                new ApprovalSettings(Map.of("send_note", ApprovalPolicy.NEVER), Duration.ofHours(1)))
                .handle(RunRequest.builder("send a note").agent("notifier").caller(ALICE).build(), RunListener.NONE);
        assertThat(free.status()).as(free.errors().toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent).hasSize(1);
        // The agent says always for a tool without side effects: it pauses.
        Files.writeString(dir.resolve("agents/careful.yaml"), """
                name: careful
                description: Counts carefully
                system_prompt: Count.
                strategy: react
                memory_enabled: false
                tools: [current_note_count]
                approval: {current_note_count: always}
                """);
        RunResponse held = orchestrator(store, List.of(new ToolCall("c", "current_note_count",
                JsonNodeFactory.instance.objectNode())), ApprovalSettings.DEFAULTS)
                .handle(RunRequest.builder("count").agent("careful").caller(ALICE).build(), RunListener.NONE);
        assertThat(held.status()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        assertThat(held.metadata().get("approvals").toString()).contains("always");
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) { now = new AtomicReference<>(start); }

        void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    }
}
