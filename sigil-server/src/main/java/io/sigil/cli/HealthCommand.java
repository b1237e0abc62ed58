package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.health.HealthCheck;
import io.sigil.health.HealthChecks;
import io.sigil.health.HealthReport;
import io.sigil.health.HealthStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sigil health}: checks what the configuration depends on; exit 0 when healthy, 1 otherwise. */
@Command(name = "health", mixinStandardHelpOptions = true, description = {
        "Check data directories, the LLM key of the configured provider and configured services.",
        "Prints healthy, degraded or unhealthy; exits 0 only when healthy."})
final class HealthCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON: {status, checks: {name: {status, detail}}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var settings = SigilCommand.root(spec).settings();
        List<HealthCheck> all = new ArrayList<>(HealthChecks.forSettings(settings, Duration.ofSeconds(2)));
        HealthReport report;
        // The services' state and each MCP server's, connected now (a server that is down is reported, not fatal).
        try (var catalog = new ToolCatalog(settings)) {
            all.add(catalog.services.healthCheck());
            all.addAll(catalog.mcp.healthChecks());
            report = HealthReport.of(all);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> checks = new LinkedHashMap<>();
            report.checks().forEach((name, r) -> checks.put(name, Map.of("status", r.status().wire(), "detail", r.detail())));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.status().wire());
            body.put("checks", checks);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(body));
        } else {
            int width = report.checks().keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, HealthCheck.Result> c : report.checks().entrySet()) {
                out.printf("%-" + width + "s  %-9s  %s%n", c.getKey(), c.getValue().status().wire(), c.getValue().detail());
            }
            out.println(report.status().wire());
        }
        out.flush();
        return report.status() == HealthStatus.HEALTHY ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
