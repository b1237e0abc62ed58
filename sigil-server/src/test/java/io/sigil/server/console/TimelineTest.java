package io.sigil.server.console;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeline's rendering of every summarised event type, with hostile content in every field it shows. */
class TimelineTest {
    static final String EVIL = "<script>x()</script><img src=1 onerror=y()>\"'";

    static List<RecordedEvent> events(Object... typeAndPayload) {
        List<RecordedEvent> out = new ArrayList<>();
        for (int i = 0; i < typeAndPayload.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) typeAndPayload[i + 1];
            out.add(new RecordedEvent(Event.of((String) typeAndPayload[i], "s-1", p), out.size() + 1, out.size() + 1));
        }
        return out;
    }

    @Test
    void noFieldOfAnyEventTypeBecomesMarkup() {
        List<RecordedEvent> events = events(
                EventType.MESSAGE_ADDED.wireName(), Map.of("role", EVIL, "content", EVIL, "author", EVIL, "status", EVIL),
                EventType.LLM_CALLED.wireName(), Map.of("provider", EVIL, "model", EVIL, "input_tokens", 5, "error", EVIL),
                EventType.TOOL_CALLED.wireName(), Map.of("tool", EVIL, "arguments", Map.of(EVIL, EVIL), "error", EVIL),
                EventType.PLAN_CREATED.wireName(), Map.of("plan_id", EVIL, "goal", EVIL,
                        "steps", List.of(Map.of("step_id", EVIL, "description", EVIL))),
                EventType.STEP_COMPLETED.wireName(), Map.of("step_id", EVIL, "status", EVIL, "result", EVIL),
                EventType.CONTRACT_VALIDATION_FAILED.wireName(), Map.of("attempt", 2, "error_count", 1,
                        "errors", List.of(Map.of("field", EVIL, "reason", EVIL, "expected", EVIL), EVIL)),
                EventType.ERROR_OCCURRED.wireName(), Map.of("code", EVIL, "message", EVIL),
                EventType.ROUTE_DECIDED.wireName(), Map.of("intent", EVIL, "handler", EVIL, "router", EVIL, "rule", EVIL,
                        "use_memory", true),
                "custom.type", Map.of(EVIL, EVIL));
        String html = Timeline.render(events);
        assertThat(html).doesNotContain("<script", "<img", "\"'").contains("&lt;script&gt;x()&lt;/script&gt;");
        // Every element is one of the timeline's own.
        assertThat(Pattern.compile("<([a-z0-9]+)").matcher(html).results().map(m -> m.group(1)).distinct())
                .allMatch(t -> List.of("ol", "li", "div", "span", "time", "p", "strong", "code", "details", "summary", "pre", "ul")
                        .contains(t));
    }

    @Test
    void modelCallsToolCallsAndContractAttemptsAreSummedForTheHeader() {
        List<RecordedEvent> events = events(
                "llm.called", Map.of("input_tokens", 100, "output_tokens", 20, "latency_ms", 300),
                "llm.called", Map.of("input_tokens", 50, "output_tokens", 10, "latency_ms", 200),
                "tool.called", Map.of("tool", "a", "error", "boom"),
                "tool.called", Map.of("tool", "b", "result", "ok"),
                "contract.validation_started", Map.of("attempt", 1),
                "contract.validation_failed", Map.of("attempt", 1),
                "contract.validation_started", Map.of("attempt", 2));
        assertThat(Timeline.totals(events)).isEqualTo(new Timeline.Totals(2, 150, 30, 500, 2, 1, 2, 1));
        assertThat(Timeline.types(events)).containsExactly("contract.validation_failed", "contract.validation_started",
                "llm.called", "tool.called");
    }

    @Test
    void longTextsAreCutInTheSummaryButKeptInThePayload() {
        String longText = "x".repeat(Timeline.SUMMARY_CHARS + 500);
        String html = Timeline.render(events("message.added", Map.of("role", "assistant", "content", longText)));
        assertThat(html).contains("500 more characters in the payload").contains(longText);
    }
}
