package io.sigil.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.events.Event;
import io.sigil.events.RecordedEvent;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A session's events as a timeline: one entry per event with a summary written for its type (messages, model calls
 * with tokens and latency, tool calls with arguments and results, plans and steps, reasoning, contract attempts
 * with their errors, errors) and the full payload under a disclosure. All payload content is escaped.
 */
final class Timeline {
    /** Long texts (answers, tool results) are cut in the summary; the full payload stays in the disclosure. */
    static final int SUMMARY_CHARS = 2_000;
    private static final ObjectWriter PRETTY = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writerWithDefaultPrettyPrinter();
    private static final ObjectWriter COMPACT = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writer();

    private Timeline() { }

    record Totals(int modelCalls, long inputTokens, long outputTokens, long modelMillis, int toolCalls, int toolErrors,
                  int contractAttempts, int contractFailures) { }

    static Totals totals(List<RecordedEvent> events) {
        int calls = 0, tools = 0, toolErrors = 0, attempts = 0, failures = 0;
        long in = 0, out = 0, ms = 0;
        for (RecordedEvent r : events) {
            Map<String, Object> p = r.event().payload();
            switch (r.event().eventType()) {
                case "llm.called" -> {
                    calls++;
                    in += num(p, "input_tokens");
                    out += num(p, "output_tokens");
                    ms += num(p, "latency_ms");
                }
                case "tool.called" -> {
                    tools++;
                    if (p.get("error") != null) toolErrors++;
                }
                case "contract.validation_started" -> attempts++;
                case "contract.validation_failed" -> failures++;
                default -> { }
            }
        }
        return new Totals(calls, in, out, ms, tools, toolErrors, attempts, failures);
    }

    static List<String> types(List<RecordedEvent> events) {
        TreeSet<String> t = new TreeSet<>();
        events.forEach(e -> t.add(e.event().eventType()));
        return List.copyOf(t);
    }

    static String render(List<RecordedEvent> events) {
        Html h = new Html();
        if (events.isEmpty()) return h.raw("<p class=\"empty\">No events of this type.</p>").toString();
        h.raw("<ol class=\"timeline\">");
        for (RecordedEvent r : events) {
            Event e = r.event();
            String type = e.eventType();
            h.raw("<li class=\"ev ev-").text(type.replace('.', '-').replace('_', '-')).raw("\" id=\"ev-").text(r.version()).raw("\">")
                    .raw("<div class=\"ev-head\"><span class=\"seq\">#").text(r.version()).raw("</span> <time datetime=\"")
                    .text(e.timestamp()).raw("\">").text(SessionPages.time(e.timestamp()).substring(11))
                    .raw("</time> <span class=\"type\">").text(type).raw("</span>");
            if (e.correlationId() != null) h.raw(" <span class=\"corr\" title=\"request\">").text(e.correlationId()).raw("</span>");
            h.raw("</div><div class=\"ev-body\">");
            summary(h, type, e.payload());
            h.raw("<details><summary>Payload</summary><pre>").text(pretty(e.payload())).raw("</pre></details></div></li>");
        }
        return h.raw("</ol>").toString();
    }

    private static void summary(Html h, String type, Map<String, Object> p) {
        switch (type) {
            case "message.added" -> {
                h.raw("<p class=\"msg-meta\"><strong>").text(str(p, "role")).raw("</strong>");
                if (p.get("author") != null) h.text(" (" + str(p, "author") + ")");
                if (p.get("status") != null) h.text(", " + str(p, "status"));
                if (p.get("tokens") != null) h.text(", " + str(p, "tokens") + " tokens");
                h.raw("</p><div class=\"msg\">").text(cut(str(p, "content"))).raw("</div>");
            }
            case "llm.called" -> {
                h.raw("<p>Model <code>").text(str(p, "model")).raw("</code> (").text(str(p, "provider")).raw("): ")
                        .text(num(p, "input_tokens") + " in / " + num(p, "output_tokens") + " out tokens");
                if (num(p, "cache_read_tokens") > 0) h.text(", " + num(p, "cache_read_tokens") + " from cache");
                h.text(", " + num(p, "latency_ms") + " ms" + (Boolean.TRUE.equals(p.get("streamed")) ? ", streamed" : ""));
                h.raw("</p>");
                if (p.get("error") != null) h.raw("<p class=\"bad\">Error: ").text(str(p, "error")).raw("</p>");
            }
            case "tool.called" -> {
                h.raw("<p>Tool <code>").text(str(p, "tool")).raw("</code>");
                if (p.get("duration_ms") != null) h.text(" in " + num(p, "duration_ms") + " ms");
                h.raw("</p>");
                if (p.get("arguments") != null) h.raw("<p>Arguments: <code>").text(cut(compact(p.get("arguments")))).raw("</code></p>");
                if (p.get("error") != null) h.raw("<p class=\"bad\">Error: ").text(str(p, "error")).raw("</p>");
                else if (p.get("result") != null) h.raw("<p>Result: <code>").text(cut(compact(p.get("result")))).raw("</code></p>");
            }
            case "plan.created" -> {
                h.raw("<p>Plan <code>").text(str(p, "plan_id")).raw("</code>: ").text(str(p, "goal")).raw("</p><ol class=\"steps\">");
                if (p.get("steps") instanceof List<?> steps) {
                    for (Object o : steps) {
                        if (o instanceof Map<?, ?> m) {
                            h.raw("<li><code>").text(m.get("step_id") != null ? m.get("step_id") : m.get("id")).raw("</code> ")
                                    .text(m.get("description")).raw("</li>");
                        }
                    }
                }
                h.raw("</ol>");
            }
            case "step.started", "step.completed", "plan.step_completed", "plan.completed" -> {
                h.raw("<p>Step <code>").text(str(p, "step_id")).raw("</code>");
                if (p.get("status") != null) h.text(": " + str(p, "status"));
                h.raw("</p>");
                if (p.get("result") != null) h.raw("<p>Result: ").text(cut(compact(p.get("result")))).raw("</p>");
                if (p.get("error") != null) h.raw("<p class=\"bad\">Error: ").text(str(p, "error")).raw("</p>");
            }
            case "route.decided" -> {
                h.raw("<p>Route: <strong>").text(str(p, "intent")).raw("</strong>")
                        .text(" (confidence " + str(p, "confidence") + ", complexity " + str(p, "complexity")
                                + ", handler " + str(p, "handler") + ")");
                StringBuilder uses = new StringBuilder();
                for (String use : new String[] {"planning", "memory", "contracts"}) {
                    if (Boolean.TRUE.equals(p.get("use_" + use))) uses.append(uses.isEmpty() ? "" : ", ").append(use);
                }
                if (!uses.isEmpty()) h.text("; uses " + uses);
                h.raw("</p>");
                if (p.get("rule") != null) h.raw("<p class=\"meta\">").text(str(p, "router") + ": " + str(p, "rule")).raw("</p>");
            }
            case "reasoning.strategy_selected", "reasoning.fallback", "reasoning.completed" -> h.raw("<p>").text(fields(p)).raw("</p>");
            case "contract.validation_failed" -> {
                h.raw("<p class=\"bad\">Attempt ").text(num(p, "attempt")).raw(" failed validation: ")
                        .text(num(p, "error_count") + " error(s)").raw("</p><ul class=\"errors\">");
                if (p.get("errors") instanceof List<?> errors) {
                    for (Object o : errors) {
                        h.raw("<li>");
                        if (o instanceof Map<?, ?> m) {
                            h.raw("<code>").text(m.get("field")).raw("</code>: ").text(m.get("reason"));
                            if (m.get("expected") != null) h.text(" (expected " + m.get("expected") + ")");
                        } else {
                            h.text(o);
                        }
                        h.raw("</li>");
                    }
                }
                h.raw("</ul>");
            }
            case "error.occurred" -> h.raw("<p class=\"bad\"><code>").text(str(p, "code")).raw("</code> ")
                    .text(str(p, "message")).raw("</p>");
            default -> h.raw("<p>").text(fields(p)).raw("</p>");
        }
    }

    /** The payload's scalar fields as {@code key: value}, for types without their own summary. */
    private static String fields(Map<String, Object> p) {
        StringBuilder b = new StringBuilder();
        for (var e : p.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> || v instanceof List<?>) continue;
            if (!b.isEmpty()) b.append(", ");
            b.append(e.getKey()).append(": ").append(v);
        }
        return cut(b.toString());
    }

    static String cut(String s) {
        if (s == null) return "";
        return s.length() <= SUMMARY_CHARS ? s : s.substring(0, SUMMARY_CHARS) + " ... (" + (s.length() - SUMMARY_CHARS)
                + " more characters in the payload)";
    }

    private static String str(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static long num(Map<String, Object> p, String key) {
        return p.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static String pretty(Object o) {
        try {
            return PRETTY.writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }

    private static String compact(Object o) {
        if (o instanceof String s) return s;
        try {
            return COMPACT.writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }
}
