package io.sigil.server.console;

import io.sigil.auth.Scope;
import io.sigil.events.RecordedEvent;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.sessions.SessionIds;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionManager;
import io.sigil.sessions.SessionSummary;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The sessions list (the caller's own; every session for an administrator) and one session's timeline rebuilt from
 * its events. Both read the server's event store through {@link SessionManager} as the logged-in caller, so
 * another user's session is a 404 here exactly as in the API.
 */
final class SessionPages {
    static final int PAGE = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SessionManager sessions;

    SessionPages(SessionManager sessions) {
        this.sessions = sessions;
    }

    String list(ConsoleRequest r) {
        r.require(Scope.SESSIONS_READ);
        boolean archived = "true".equals(r.query("archived"));
        int offset = offset(r);
        List<SessionSummary> all = sessions.list(archived, r.caller());
        Html h = new Html().raw("<h1>Sessions</h1>");
        h.raw("<p>").text(all.size() + (all.size() == 1 ? " session" : " sessions"))
                .text(r.caller().admin() ? " (all users: you are an administrator)" : " of yours")
                .raw(", most recently active first. ")
                .raw(archived ? "<a href=\"/console\">Hide archived</a>" : "<a href=\"/console?archived=true\">Show archived</a>")
                .raw("</p>");
        if (all.isEmpty()) {
            return Layout.page(r, "Sessions", "sessions", h.raw("<p class=\"empty\">No sessions yet. Start one from")
                    .raw(" <a href=\"/console/live\">Live run</a>, the API or <code>sigil run</code>.</p>").toString());
        }
        h.raw("<div class=\"scroll\"><table><caption class=\"sr-only\">Sessions</caption><thead><tr>")
                .raw("<th scope=\"col\">Session</th><th scope=\"col\">Agent</th><th scope=\"col\">Status</th>")
                .raw("<th scope=\"col\">Last run</th><th scope=\"col\">Owner</th><th scope=\"col\" class=\"num\">Events</th>")
                .raw("<th scope=\"col\" class=\"num\">Tokens</th><th scope=\"col\">Last activity (UTC)</th></tr></thead><tbody>");
        for (SessionSummary s : all.subList(Math.min(offset, all.size()), Math.min(offset + PAGE, all.size()))) {
            h.raw("<tr><td>").link(Html.path("/console/sessions", s.id()), s.id()).raw("</td>")
                    .el("td", s.agentId() == null ? "-" : s.agentId())
                    .raw("<td><span class=\"badge\">").text(s.status().wireName()).raw("</span></td>")
                    .el("td", s.lastRun().wireName())
                    .el("td", s.owner() == null ? "-" : s.owner())
                    .raw("<td class=\"num\">").text(s.events()).raw("</td>")
                    .raw("<td class=\"num\">").text(s.tokens().total()).raw("</td>")
                    .el("td", time(s.lastEventAt())).raw("</tr>");
        }
        h.raw("</tbody></table></div>");
        pager(h, "/console?" + (archived ? "archived=true&" : ""), offset, all.size());
        return Layout.page(r, "Sessions", "sessions", h.toString());
    }

    String timeline(ConsoleRequest r) {
        r.require(Scope.SESSIONS_READ);
        String id = r.ctx().pathParam("session_id");
        if (!SessionIds.valid(id)) {
            throw ApiProblem.badRequest("'" + SessionIds.printable(id) + "' is not a valid session id: " + SessionIds.RULE + ".",
                    List.of(new Problem.InvalidParam("session_id", SessionIds.RULE)));
        }
        Session s = sessions.load(id, r.caller());
        String type = r.query("type");
        List<RecordedEvent> events = sessions.events(id, null, r.caller());
        Timeline.Totals totals = Timeline.totals(events);
        Html h = new Html().raw("<h1>Session <code>").text(id).raw("</code></h1>");
        h.raw("<dl class=\"facts\">")
                .el("dt", "Agent").el("dd", s.agentId() == null ? "-" : s.agentId())
                .el("dt", "Owner").el("dd", s.owner() == null ? "-" : s.owner())
                .el("dt", "Status").el("dd", s.status().wireName() + " (last run: " + s.lastRun().wireName() + ")")
                .el("dt", "Started").el("dd", time(s.startedAt()))
                .el("dt", "Events").el("dd", events.size())
                .el("dt", "Model calls").el("dd", totals.modelCalls() + " (" + totals.inputTokens() + " in / "
                        + totals.outputTokens() + " out tokens, " + totals.modelMillis() + " ms)")
                .el("dt", "Tool calls").el("dd", totals.toolCalls() + (totals.toolErrors() > 0 ? " (" + totals.toolErrors() + " failed)" : ""))
                .el("dt", "Contract attempts").el("dd", totals.contractAttempts() + (totals.contractFailures() > 0
                        ? " (" + totals.contractFailures() + " failed validation)" : ""))
                .raw("</dl>");
        h.raw("<form method=\"get\" class=\"inline\" action=\"").text(Html.path("/console/sessions", id)).raw("\">")
                .raw("<label for=\"type\">Show</label><select id=\"type\" name=\"type\"><option value=\"\">all events</option>");
        for (String t : Timeline.types(events)) {
            h.raw("<option").raw(t.equals(type) ? " selected" : "").raw(" value=\"").text(t).raw("\">").text(t).raw("</option>");
        }
        h.raw("</select> <button type=\"submit\">Filter</button></form>");
        h.raw(Timeline.render(type == null ? events : events.stream().filter(e -> e.event().eventType().equals(type)).toList()));
        return Layout.page(r, "Session " + id, "sessions", h.toString());
    }

    static int offset(ConsoleRequest r) {
        String o = r.query("offset");
        if (o == null) return 0;
        try {
            int v = Integer.parseInt(o);
            if (v >= 0) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.badRequest("offset must be a whole number from 0; it was '" + Html.escape(o) + "'.",
                List.of(new Problem.InvalidParam("offset", "a whole number from 0")));
    }

    static void pager(Html h, String base, int offset, int total) {
        if (total <= PAGE) return;
        h.raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (offset > 0) h.link(base + "offset=" + Math.max(0, offset - PAGE), "Previous");
        h.raw(" <span>").text((offset + 1) + "-" + Math.min(total, offset + PAGE) + " of " + total).raw("</span> ");
        if (offset + PAGE < total) h.link(base + "offset=" + (offset + PAGE), "Next");
        h.raw("</nav>");
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }
}
