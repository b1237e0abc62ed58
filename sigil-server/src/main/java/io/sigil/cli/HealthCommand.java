package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.health.HealthChecks;
import io.sigil.health.HealthReport;
import io.sigil.health.HealthStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
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
        HealthReport report = new HealthChecks(SigilCommand.root(spec).settings(), Duration.ofSeconds(2)).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> checks = new LinkedHashMap<>();
            for (HealthReport.Check c : report.checks()) {
                checks.put(c.name(), Map.of("status", c.status().label(), "detail", c.detail()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.status().label());
            body.put("checks", checks);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(body));
        } else {
            int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (HealthReport.Check c : report.checks()) {
                out.printf("%-" + width + "s  %-9s  %s%n", c.name(), c.status().label(), c.detail());
            }
            out.println(report.status().label());
        }
        out.flush();
        return report.status() == HealthStatus.HEALTHY ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
