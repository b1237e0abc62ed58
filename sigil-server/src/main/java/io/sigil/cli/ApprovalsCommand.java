package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.Sigil;
import io.sigil.approval.Approval;
import io.sigil.approval.ApprovalDecision;
import io.sigil.approval.ApprovalStatus;
import io.sigil.approval.Approvals;
import io.sigil.errors.InvalidInputError;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunResponse;
import io.sigil.server.runs.RunResponseJson;
import io.sigil.sessions.Caller;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sigil approvals list|approve|deny}: the tool calls that wait for a human decision in this state, and the
 * decision, after which the run goes on here and its answer is printed (docs/approvals.md). Works on the configured
 * state like {@code sigil run}; with the file store a running server holds its lock, so decide through the API then.
 */
@Command(name = "approvals", description = "List tool calls waiting for approval; approve or deny them.",
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Deny.class})
final class ApprovalsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "list", description = "Tool calls waiting for a decision (newest first).")
    static final class ListApprovals implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--session", paramLabel = "ID", description = "Only this session's.")
        String session;
        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "pending",
                description = "pending (default), approved, denied, expired or all.")
        String status;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ApprovalStatus wanted = status.equals("all") ? null : ApprovalStatus.parse(status);
            PrintWriter out = spec.commandLine().getOut();
            try (Sigil runtime = Sigil.builder().settings(SigilCommand.root(spec).settings()).build()) {
                List<Approval> rows = approvals(runtime).list(Caller.LOCAL_ADMIN, session, wanted);
                if (json) {
                    out.println(RunCommand.mapper().writeValueAsString(rows.stream().map(Approval::toJson).toList()));
                } else if (rows.isEmpty()) {
                    out.println("No " + (wanted == null ? "" : wanted.wireName() + " ") + "approvals.");
                } else {
                    for (Approval a : rows) {
                        out.printf("%s  run %s  call %s  %s %s%n    %s; expires %s; session %s%s%n", a.status().wireName(),
                                a.runId(), a.callId(), a.tool(), RunCommand.mapper().writeValueAsString(a.arguments())
                                        .replaceAll("\\s+", " "), a.reason(), SessionsCommand.time(a.expiresAt()),
                                a.sessionId(), a.owner() == null ? "" : " (owner " + a.owner() + ")");
                    }
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Base of approve and deny: decide, then resume the run here and print its answer. */
    abstract static class Decide implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The paused run (its request id).")
        String run;
        @Parameters(index = "1", paramLabel = "CALL_ID", description = "The held tool call.")
        String call;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (a denial's reason reaches the model).")
        String reason;
        @Option(names = "--json", description = "Print the approval and the run's response as JSON.")
        boolean json;

        abstract ApprovalDecision decision();

        @Override
        public Integer call() throws Exception {
            ApprovalDecision decision = decision();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Sigil runtime = Sigil.builder().settings(SigilCommand.root(spec).settings()).build()) {
                var decided = approvals(runtime).decide(Caller.LOCAL_ADMIN, run, call, decision);
                RunListener progress = json ? RunListener.NONE : new ProgressPrinter(err, false);
                RunResponse response = runtime.orchestrator().resumeHere(decided.resume(), progress, h -> { });
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("approval", decided.approval().toJson());
                    m.put("run", RunResponseJson.toJson(response));
                    out.println(RunCommand.mapper().writeValueAsString(m));
                } else {
                    err.println(decided.approval().status().wireName() + ": " + decided.approval().tool() + " ("
                            + call + "); the run went on: " + response.status().wireName());
                    out.println(response.answerText());
                }
                out.flush();
                err.flush();
                return RunCommand.exitCode(response);
            }
        }
    }

    @Command(name = "approve", description = "Approve a held tool call; the run goes on and its answer is printed.")
    static final class Approve extends Decide {
        @Option(names = "--arguments", paramLabel = "JSON", description = "Run the call with these arguments instead.")
        String arguments;

        @Override
        ApprovalDecision decision() {
            JsonNode args = null;
            if (arguments != null) {
                try {
                    args = RunCommand.mapper().readTree(arguments);
                } catch (Exception e) {
                    throw new InvalidInputError("--arguments is not JSON: " + e.getMessage(),
                            "pass an object such as '{\"text\": \"...\"}'");
                }
            }
            return new ApprovalDecision(true, args, reason);
        }
    }

    @Command(name = "deny", description = "Deny a held tool call; the model gets the denial as the call's result.")
    static final class Deny extends Decide {
        @Override
        ApprovalDecision decision() { return new ApprovalDecision(false, null, reason); }
    }

    private static Approvals approvals(Sigil runtime) {
        return new Approvals(runtime.events(), runtime.tools(), runtime.clock());
    }
}
