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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sigil approvals list|approve|deny}: the tool calls that wait for a human decision, and the decision, after
 * which the run goes on and its answer is printed (docs/approvals.md). Works on the configured state like
 * {@code sigil run} (the run goes on in this process); with {@code --url} (or {@code SIGIL_URL}) it asks that server
 * instead (GET /approvals, POST /runs/{run}/approvals/{call}: the run goes on there), which is the way while a server
 * holds the file store's lock.
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
        @Mixin ServerClient server;
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
            JsonNode rows = server.named(SigilCommand.root(spec)) ? remote() : local(wanted);
            if (json) {
                out.println(RunCommand.mapper().writeValueAsString(rows));
            } else if (rows.isEmpty()) {
                out.println("No " + (wanted == null ? "" : wanted.wireName() + " ") + "approvals.");
            } else {
                for (JsonNode a : rows) {
                    out.printf("%s  run %s  call %s  %s %s%n    %s; expires %s; session %s%s%n", a.path("status").asText(),
                            a.path("run_id").asText(), a.path("call_id").asText(), a.path("tool").asText(),
                            a.path("arguments").toString(), a.path("reason").asText(),
                            SessionsCommand.time(instant(a.path("expires_at"))), a.path("session_id").asText(),
                            a.path("owner").isTextual() ? " (owner " + a.path("owner").asText() + ")" : "");
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        private JsonNode local(ApprovalStatus wanted) {
            try (Sigil runtime = Sigil.builder().settings(SigilCommand.root(spec).settings()).build()) {
                List<Approval> rows = approvals(runtime).list(Caller.LOCAL_ADMIN, session, wanted);
                return RunCommand.mapper().valueToTree(rows.stream().map(Approval::toJson).toList());
            }
        }

        private JsonNode remote() {
            String query = "approvals?limit=" + PAGE + "&status=" + enc(status) + (session == null ? "" : "&session_id=" + enc(session));
            return server.get(SigilCommand.root(spec), query).path("items");
        }
    }

    /** Base of approve and deny: decide, then the run goes on (here, or on the named server) and its answer is printed. */
    abstract static class Decide implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin ServerClient server;
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
            JsonNode decided = server.named(SigilCommand.root(spec)) ? remote(decision) : local(decision, err);
            JsonNode approval = decided.path("approval");
            JsonNode response = decided.path("run");
            if (json) {
                out.println(RunCommand.mapper().writeValueAsString(decided));
            } else {
                err.println(approval.path("status").asText() + ": " + approval.path("tool").asText() + " (" + call
                        + "); the run went on: " + response.path("status").asText());
                out.println(response.path("answer").asText());
            }
            out.flush();
            err.flush();
            List<String> errors = new ArrayList<>();
            response.path("errors").forEach(e -> errors.add(e.asText()));
            return RunCommand.exitCode(response.path("status").asText(), errors);
        }

        /** Decides in this process and resumes the run here, its progress on stderr. */
        private JsonNode local(ApprovalDecision decision, PrintWriter err) {
            try (Sigil runtime = Sigil.builder().settings(SigilCommand.root(spec).settings()).build()) {
                var decided = approvals(runtime).decide(Caller.LOCAL_ADMIN, run, call, decision);
                RunListener progress = json ? RunListener.NONE : new ProgressPrinter(err, false);
                RunResponse response = runtime.orchestrator().resumeHere(decided.resume(), progress, h -> { });
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("approval", decided.approval().toJson());
                m.put("run", RunResponseJson.toJson(response));
                return RunCommand.mapper().valueToTree(m);
            }
        }

        /** Decides on the server, which resumes the run and answers with its response. */
        private JsonNode remote(ApprovalDecision decision) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("decision", decision.approve() ? "approve" : "deny");
            if (decision.arguments() != null) body.put("arguments", decision.arguments());
            if (decision.reason() != null) body.put("reason", decision.reason());
            return server.post(SigilCommand.root(spec), "runs/" + enc(run) + "/approvals/" + enc(call), body);
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

    private static final int PAGE = 100;

    private static Approvals approvals(Sigil runtime) {
        return new Approvals(runtime.events(), runtime.tools(), runtime.clock());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static Instant instant(JsonNode n) { return n.isTextual() ? Instant.parse(n.asText()) : null; }
}
