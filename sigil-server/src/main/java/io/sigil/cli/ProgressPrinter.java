package io.sigil.cli;

import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunResponse;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanStep;
import io.sigil.planning.StepResult;
import io.sigil.routing.RouteDecision;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run as it happens, on stderr so that stdout carries only the answer: the route, the plan with its
 * steps ticking off, the strategy, the model's text as it streams, tool calls, the contract check, tokens.
 */
final class ProgressPrinter implements RunListener {
    private final PrintWriter err;
    private final boolean streamText;
    private boolean midLine;

    ProgressPrinter(PrintWriter err, boolean streamText) {
        this.err = err;
        this.streamText = streamText;
    }

    private synchronized void line(String text) {
        if (midLine) err.println();
        midLine = false;
        err.println(text);
        err.flush();
    }

    @Override
    public void approvalRequested(io.sigil.approval.Approval a) {
        line("approval needed: " + a.tool() + " " + a.arguments() + " (" + a.reason() + ")\n        decide with: sigil"
                + " approvals approve|deny " + a.runId() + " " + a.callId() + "  (expires " + a.expiresAt() + ")");
    }

    @Override
    public void sessionStarted(String sessionId, boolean created) {
        line((created ? "session " : "session (continued) ") + sessionId);
    }

    @Override
    public void routed(RouteDecision route) {
        line(String.format(Locale.ROOT, "route   %s (confidence %.2f), complexity %.2f%s%s", route.intent().wireName(),
                route.confidence(), route.complexity(), route.usePlanning() ? ", plan" : "",
                route.useContracts() ? ", contract" : ""));
    }

    @Override
    public void memoriesRecalled(int count, String answeredBy) {
        line("memory  " + count + " item(s) recalled (" + answeredBy + ")");
    }

    @Override
    public void planned(Plan plan, boolean cached) {
        line("plan    " + plan.steps().size() + " step(s)" + (cached ? " (from cache or resumed)" : ""));
        for (PlanStep s : plan.steps()) {
            line("  [ ] " + s.stepId() + ": " + s.description()
                    + (s.dependencies().isEmpty() ? "" : "  (after " + String.join(", ", s.dependencies()) + ")"));
        }
    }

    @Override
    public void stepStarted(PlanStep step, int attempt) {
        line("  [>] " + step.stepId() + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
    }

    @Override
    public void stepFinished(PlanStep step, StepResult result) {
        line("  [" + (result.completed() ? "x" : "!") + "] " + step.stepId() + " " + result.status().name().toLowerCase(Locale.ROOT)
                + (result.error() == null ? "" : ": " + result.error()));
    }

    @Override
    public void strategySelected(String strategy, String reason) {
        line("reason  " + strategy + " (" + reason + ")");
    }

    @Override
    public synchronized void token(String delta) {
        if (!streamText) return;
        err.print(delta);
        err.flush();
        midLine = !delta.endsWith("\n");
    }

    @Override
    public void toolCalled(io.sigil.llm.ToolCall call) {
        line("tool    " + call.name() + " " + call.arguments());
    }

    @Override
    public void toolReturned(io.sigil.tools.ToolResult r) {
        line("result  " + r.toolName() + (r.isError() ? " error: " : " ok: ") + oneLine(r.output()));
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }

    @Override
    public void contractChecked(RunResponse.ContractSummary c) {
        line("contract " + c.name() + ": " + c.outcome() + " after " + c.attempts() + " attempt(s)"
                + (c.errors().isEmpty() ? "" : "; " + String.join("; ", c.errors())));
    }

    @Override
    public void warning(String message) {
        line("warning " + message);
    }

    @Override
    public void completed(RunResponse r) {
        line(String.format(Locale.ROOT, "done    %s in %d ms, %d tokens", r.status().wireName(), r.executionTimeMs(),
                r.tokensUsed()));
        printErrors(r, this::line);
    }

    /** Each error of a response, with the hint on how to fix it when the run gave one for its code. */
    static void printErrors(RunResponse r, java.util.function.Consumer<String> line) {
        Map<?, ?> hints = r.metadata().get("hints") instanceof Map<?, ?> m ? m : Map.of();
        for (String e : r.errors()) {
            line.accept("error   " + e);
            if (e.startsWith("[") && e.indexOf(']') > 0) {
                Object hint = hints.get(e.substring(1, e.indexOf(']')).toLowerCase(Locale.ROOT));
                if (hint != null) line.accept("  hint: " + hint);
            }
        }
    }
}
