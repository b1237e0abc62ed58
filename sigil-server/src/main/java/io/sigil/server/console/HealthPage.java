package io.sigil.server.console;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.sigil.auth.Scope;
import io.sigil.health.HealthCheck;
import io.sigil.health.HealthReport;

import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Health (the same report as {@code /health}) for every logged-in user, and the key metrics - Sigil's own meters
 * (requests, latency, runs, model calls, tokens, memory) plus heap and uptime, read from the server's registry -
 * for administrators only, as {@code /metrics} is.
 */
final class HealthPage {
    private final Supplier<HealthReport> health;
    private final MeterRegistry registry;
    private final String version;

    HealthPage(Supplier<HealthReport> health, MeterRegistry registry, String version) {
        this.health = health;
        this.registry = registry;
        this.version = version;
    }

    String render(ConsoleRequest r) {
        HealthReport report = health.get();
        Html h = new Html().raw("<h1>Health</h1><p>Overall: <span class=\"badge status-")
                .text(report.status().name().toLowerCase(java.util.Locale.ROOT)).raw("\">")
                .text(report.status().name().toLowerCase(java.util.Locale.ROOT)).raw("</span> - Sigil ").text(version).raw("</p>");
        h.raw("<table><thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Status</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        for (Map.Entry<String, HealthCheck.Result> e : report.checks().entrySet()) {
            String status = e.getValue().status().name().toLowerCase(java.util.Locale.ROOT);
            h.raw("<tr>").el("th scope=\"row\"", e.getKey()).raw("<td><span class=\"badge status-").text(status).raw("\">")
                    .text(status).raw("</span></td>").el("td", e.getValue().detail()).raw("</tr>");
        }
        h.raw("</tbody></table>");
        h.raw("<h2>Key metrics</h2>");
        if (!r.principal().has(Scope.ADMIN)) {
            h.raw("<p class=\"empty\">Metrics are shown to administrators (the <code>admin</code> scope), as <code>/metrics</code> is.</p>");
        } else {
            metrics(h);
        }
        return Layout.page(r, "Health", "health", h.toString());
    }

    private void metrics(Html h) {
        h.raw("<div class=\"scroll\"><table class=\"metrics\"><thead><tr><th scope=\"col\">Meter</th><th scope=\"col\">Tags</th>")
                .raw("<th scope=\"col\">Values</th></tr></thead><tbody>");
        registry.getMeters().stream()
                .filter(m -> key(m.getId().getName()))
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .forEach(m -> h.raw("<tr>").el("td", m.getId().getName())
                        .el("td", m.getId().getTags().stream().map(Tag::getValue).collect(Collectors.joining(", ")))
                        .el("td", values(m)).raw("</tr>"));
        h.raw("</tbody></table></div>");
    }

    /** Sigil's own meters, and the few JVM ones an operator looks at first. */
    static boolean key(String name) {
        return name.startsWith("sigil.") || name.equals("jvm.memory.used") || name.equals("process.uptime")
                || name.equals("jvm.threads.live") || name.equals("process.cpu.usage");
    }

    private static String values(Meter m) {
        StringBuilder b = new StringBuilder();
        for (Measurement x : m.measure()) {
            if (!b.isEmpty()) b.append(", ");
            double v = x.getValue();
            b.append(x.getStatistic().getTagValueRepresentation()).append(' ')
                    .append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                            : String.format(java.util.Locale.ROOT, "%.4g", v));
        }
        return b.toString();
    }
}
