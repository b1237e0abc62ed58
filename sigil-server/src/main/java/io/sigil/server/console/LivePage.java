package io.sigil.server.console;

import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentRegistry;
import io.sigil.auth.Scope;

/**
 * A live run: the operator picks an agent and sends a message; the page's script opens the server's own run
 * WebSocket ({@code /ws/agents/{name}/run}, authenticated by the login cookie at the handshake) and shows every
 * typed message as it arrives - status, route, plan, tool calls and results, tokens of the answer, warnings,
 * errors and the completion - then links to the session's timeline. Needs JavaScript (the page says so without it).
 */
final class LivePage {
    private final AgentRegistry agents;

    LivePage(AgentRegistry agents) {
        this.agents = agents;
    }

    String render(ConsoleRequest r) {
        r.require(Scope.RUNS_EXECUTE);
        String chosen = r.query("agent");
        String session = r.query("session_id");
        Html h = new Html().raw("<h1>Live run</h1>")
                .raw("<noscript><p class=\"bad\">Watching a run live needs JavaScript. Every finished run is in its")
                .raw(" session's timeline under <a href=\"/console\">Sessions</a>.</p></noscript>")
                .raw("<form id=\"live-form\" class=\"stack\" data-ws=\"/ws/agents/\">")
                .raw("<label for=\"agent\">Agent</label><select id=\"agent\" name=\"agent\" required>");
        for (AgentDefinition a : agents.list()) {
            h.raw("<option value=\"").text(a.name()).raw("\"").raw(a.name().equals(chosen) ? " selected" : "").raw(">")
                    .text(a.name() + " - " + a.description()).raw("</option>");
        }
        h.raw("</select><label for=\"session\">Session id (optional: continue one of yours)</label>")
                .raw("<input id=\"session\" name=\"session_id\" value=\"").text(session).raw("\">")
                .raw("<label for=\"message\">Message</label><textarea id=\"message\" name=\"message\" rows=\"4\" required></textarea>")
                .raw("<button type=\"submit\" id=\"live-start\">Run</button></form>")
                .raw("<p id=\"live-state\" role=\"status\" aria-live=\"polite\"></p>")
                .raw("<section aria-labelledby=\"answer-h\"><h2 id=\"answer-h\">Answer</h2><div id=\"live-answer\" class=\"msg\"></div></section>")
                .raw("<section aria-labelledby=\"stream-h\"><h2 id=\"stream-h\">Stream</h2><ol id=\"live-stream\" class=\"timeline\"></ol></section>");
        return Layout.page(r, "Live run", "live", h.toString(), "console.js", "live.js");
    }
}
