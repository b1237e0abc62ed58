package io.sigil.evolution;

import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import io.sigil.sessions.SessionManager;
import io.sigil.sessions.SessionSummary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an agent's recorded sessions into test cases: every user message it answered becomes a case judged by the
 * agent's contract, whether the run went well or not (a case that passes today guards against a rewrite that breaks
 * it). Identical inputs are kept once; evaluation runs are not in the user's sessions (see {@link PipelineCaseRunner}).
 */
public final class SessionCases {
    private SessionCases() { }

    /** The cases and how the recorded runs went. */
    public record Harvest(List<TestCase> cases, int passed, int failed, int unjudged, int sessions) {
        public Harvest { cases = List.copyOf(cases); }
    }

    /** At most {@code limit} cases from the most recent sessions of {@code agent}. */
    public static Harvest from(SessionManager sessions, String agent, int limit) {
        List<TestCase> out = new ArrayList<>();
        Set<String> inputs = new LinkedHashSet<>();
        int passed = 0, failed = 0, unjudged = 0, used = 0;
        for (SessionSummary s : sessions.list(true)) {
            if (out.size() >= limit) break;
            if (!agent.equals(s.agentId())) continue;
            List<RecordedEvent> events = sessions.events(s.id(), null);
            String input = null;
            int n = 0;
            boolean any = false;
            for (RecordedEvent e : events) {
                Map<String, Object> p = e.event().payload();
                if (e.eventType().equals(EventType.MESSAGE_ADDED.wireName()) && "user".equals(p.get("role"))) {
                    input = p.get("content") instanceof String c && !c.isBlank() ? c : null;
                    n++;
                    if (input != null && inputs.add(input) && out.size() < limit) {
                        out.add(TestCase.ofContract("session-" + s.id().substring(0, Math.min(8, s.id().length())) + "-" + n, input));
                        any = true;
                        unjudged++;
                    } else {
                        input = null;
                    }
                } else if (input != null && e.eventType().equals(EventType.CONTRACT_COMPLETED.wireName())) {
                    unjudged--;
                    if ("valid".equals(p.get("outcome"))) passed++;
                    else failed++;
                    input = null;
                }
            }
            if (any) used++;
        }
        return new Harvest(out, passed, failed, unjudged, used);
    }
}
