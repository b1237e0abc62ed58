package io.sigil.server.approvals;

import io.sigil.approval.ApprovalDecision;
import io.sigil.approval.ApprovalError;
import io.sigil.approval.Approvals;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;
import io.sigil.server.runs.TrackedRuns;
import io.sigil.sessions.Caller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the API's decisions land (REST and WebSocket alike): the decision is recorded in the events
 * ({@link Approvals#decide}: exactly one of concurrent deciders wins), then the run goes on here, tracked with the
 * other runs (shutdown waits for it). Also sweeps expired approvals, ending their runs, on a timer.
 */
public final class ApprovalDesk implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApprovalDesk.class);

    private final Approvals approvals;
    private final TrackedRuns runs;
    private final ScheduledExecutorService sweeper;

    /** @param sweep how often expired approvals are looked for (null: never, tests) */
    public ApprovalDesk(Approvals approvals, TrackedRuns runs, Duration sweep) {
        this.approvals = approvals;
        this.runs = runs;
        if (sweep == null) {
            sweeper = null;
        } else {
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("approval-expiry").factory());
            sweeper.scheduleWithFixedDelay(this::sweep, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** How often to sweep for an expiry: a tenth of it, between 1 and 30 seconds. */
    public static Duration sweepInterval(Duration expiry) {
        Duration tenth = expiry.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : tenth;
    }

    public Approvals approvals() { return approvals; }

    /** What a decision started: the approval as decided and the resumed run. */
    public record Started(io.sigil.approval.Approval approval, RunLauncher.ActiveRun run) { }

    /** Records the decision, then resumes the run on its own thread with {@code sink} getting its messages. */
    public Started decide(Caller caller, String runId, String callId, ApprovalDecision decision, RunSink sink) {
        Approvals.Decided decided = record(caller, runId, callId, decision);
        return new Started(decided.approval(), runs.launch(RunInput.resuming(decided.resume(), caller), sink));
    }

    /** Records the decision, then resumes the run on this thread; returns once the run has ended. */
    public io.sigil.approval.Approval decideHere(Caller caller, String runId, String callId, ApprovalDecision decision,
                                                 RunSink sink) throws InterruptedException {
        Approvals.Decided decided = record(caller, runId, callId, decision);
        runs.runHere(RunInput.resuming(decided.resume(), caller), sink, run -> { });
        return decided.approval();
    }

    private Approvals.Decided record(Caller caller, String runId, String callId, ApprovalDecision decision) {
        // A decision recorded but not resumed would leave the run waiting for nothing: refuse before recording.
        if (runs.closing()) throw TrackedRuns.shuttingDown();
        try {
            return approvals.decide(caller, runId, callId, decision);
        } catch (ApprovalError e) {
            throw problem(e);
        }
    }

    /** 409 for a call decided already, 410 for an expired one, each with the code the WebSocket also uses. */
    public static ApiProblem problem(ApprovalError e) {
        boolean expired = e.kind() == ApprovalError.Kind.EXPIRED;
        return new ApiProblem(Problem.of(expired ? 410 : 409, expired ? "approval-expired" : "approval-decided",
                expired ? "Gone" : "Conflict", e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"))
                .withCode(code(e)));
    }

    public static String code(ApprovalError e) {
        return e.kind() == ApprovalError.Kind.EXPIRED ? "APPROVAL_EXPIRED" : "APPROVAL_DECIDED";
    }

    private void sweep() {
        try {
            var expired = approvals.expireDue();
            if (!expired.isEmpty()) {
                log.info("Expired {} approval(s) nobody decided in time; their runs ended: {}", expired.size(),
                        expired.stream().map(a -> Map.of("run_id", a.runId(), "call_id", a.callId())).toList());
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping expired approvals failed (retried at the next sweep): {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
    }
}
