package io.sigil.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentRegistry;
import io.sigil.auth.Scope;
import io.sigil.approval.Approval;
import io.sigil.approval.ApprovalStatus;
import io.sigil.approval.Approvals;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Tool calls waiting for a human decision in the caller's sessions (all sessions for an administrator), as
 * {@link Approvals} reads them from the events (the source of truth: {@code approval.requested} without a later
 * decision or expiry). Each has approve (optionally with edited arguments) and deny (with a reason) forms; the
 * page's script sends the decision as the {@code approval} message of the run WebSocket (docs/approvals.md) and
 * shows the resumed run's progress.
 */
final class ApprovalsPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Approvals approvals;
    private final AgentRegistry agents;
    private final Clock clock;

    ApprovalsPage(Approvals approvals, AgentRegistry agents, Clock clock) {
        this.approvals = approvals;
        this.agents = agents;
        this.clock = clock;
    }

    String render(ConsoleRequest r) {
        r.require(Scope.SESSIONS_READ);
        List<Approval> pending = approvals.list(r.caller(), null, ApprovalStatus.PENDING);
        Instant now = clock.instant();
        boolean canDecide = r.principal().has(Scope.RUNS_EXECUTE);
        String fallbackAgent = agents.list().stream().map(AgentDefinition::name).findFirst().orElse(null);
        Html h = new Html().raw("<h1>Approvals</h1><p>").text(pending.isEmpty() ? "No tool call is waiting for a decision."
                : pending.size() + " tool call(s) waiting for a decision, newest first.").raw("</p>");
        if (!canDecide && !pending.isEmpty()) {
            h.raw("<p class=\"help\">Deciding needs the <code>runs:execute</code> scope; you can only read these.</p>");
        }
        h.raw("<noscript><p class=\"bad\">Deciding from the console needs JavaScript (the decision resumes the run over")
                .raw(" its WebSocket). Without it use <code>sigil approvals approve|deny RUN_ID CALL_ID</code>.</p></noscript>");
        h.raw("<ol class=\"approvals\">");
        for (Approval p : pending) {
            boolean expired = p.expiresAt() != null && now.isAfter(p.expiresAt());
            String id = "ap-" + Integer.toHexString((p.runId() + "/" + p.callId()).hashCode());
            h.raw("<li class=\"approval\" id=\"").text(id).raw("\"><h2>Tool <code>").text(p.tool()).raw("</code>")
                    .text(p.toolSource() == null ? "" : " (" + p.toolSource() + ")").raw("</h2><dl class=\"facts\">")
                    .el("dt", "Session").raw("<dd>").link(Html.path("/console/sessions", p.sessionId()), p.sessionId()).raw("</dd>")
                    .el("dt", "Agent").el("dd", p.agent() == null ? "default assistant" : p.agent())
                    .el("dt", "Run").raw("<dd><code>").text(p.runId()).raw("</code></dd>")
                    .el("dt", "Call").raw("<dd><code>").text(p.callId()).raw("</code></dd>")
                    .el("dt", "Why").el("dd", p.reason())
                    .el("dt", "Requested").el("dd", SessionPages.time(p.requestedAt()))
                    .el("dt", "Expires").el("dd", (p.expiresAt() == null ? "-" : SessionPages.time(p.expiresAt()))
                            + (expired ? " (expired: deciding now ends the run)" : ""))
                    .raw("</dl><h3>Arguments</h3><pre class=\"code\">").text(pretty(p.arguments())).raw("</pre>");
            if (canDecide) form(h, r, p, id, p.agent() != null ? p.agent() : fallbackAgent);
            h.raw("</li>");
        }
        h.raw("</ol>");
        return Layout.page(r, "Approvals", "approvals", h.toString(), "console.js", "approvals.js");
    }

    private static void form(Html h, ConsoleRequest r, Approval p, String id, String agent) {
        h.raw("<form class=\"decide stack\" data-run=\"").text(p.runId()).raw("\" data-call=\"").text(p.callId())
                .raw("\" data-agent=\"").text(agent).raw("\">")
                .raw("<label for=\"").text(id + "-args").raw("\">Arguments to run it with (edit to change; JSON object)</label>")
                .raw("<textarea id=\"").text(id + "-args").raw("\" name=\"arguments\" rows=\"4\">").text(pretty(p.arguments()))
                .raw("</textarea><label for=\"").text(id + "-reason").raw("\">Reason (given to the model when denied)</label>")
                .raw("<input id=\"").text(id + "-reason").raw("\" name=\"reason\" maxlength=\"2000\">")
                .raw("<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>")
                .raw("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"danger\">Deny</button></div>")
                .raw("<p class=\"decide-state\" role=\"status\" aria-live=\"polite\"></p></form>");
    }

    private static String pretty(Object o) {
        if (o == null) return "{}";
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }
}
