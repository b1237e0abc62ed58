package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.fakes.FakeReply;
import io.sigil.server.deploy.DeployFiles;
import io.sigil.server.deploy.ProcessRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * prometheus/alerts.yml and the Grafana dashboard against what Sigil really exposes: {@code promtool check rules},
 * {@code promtool test rules} (prometheus/alerts.test.yml), {@code promtool check config}, and a scrape of a running
 * server (a run through a fake provider, a failing one, a contract-checked one) in which every metric an alert, a rule
 * test or a dashboard panel uses must exist with exactly the labels the test series give it.
 */
class PrometheusRulesIT {
    /** Series Prometheus itself adds or owns, not Sigil. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");
    static final Set<String> ADDED_LABELS = Set.of("job", "instance");
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    @TempDir
    static Path dir;
    static Map<String, Set<Set<String>>> scraped;

    @BeforeAll
    static void scrapeARunningServer() {
        try (FakeProviderServer sigil = new FakeProviderServer(dir, s -> s)) {
            sigil.anthropic.enqueue(FakeReply.text("It is noon.", 120, 30));
            HttpResponse<String> ok = sigil.run("What time is it?");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            sigil.anthropic.enqueue(FakeReply.serverError(), FakeReply.serverError());
            sigil.run("And now?");
            // A contract-checked run (the bundled lead_qualifier) on the offline model: contract validation counts.
            HttpResponse<String> qualified = sigil.runAgent("lead_qualifier", "{\"message\": \"Qualify ACME: 50k budget "
                    + "approved, the CFO decides, live next quarter\", \"model\": \"test\"}");
            assertThat(qualified.statusCode()).as(qualified.body()).isEqualTo(200);
            HttpResponse<String> metrics = sigil.server.getWithBearer("/metrics", sigil.server.token(Scope.ADMIN));
            assertThat(metrics.statusCode()).isEqualTo(200);
            scraped = parse(metrics.body());
        }
    }

    static Map<String, Set<Set<String>>> parse(String exposition) {
        Map<String, Set<Set<String>>> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) continue;
            Set<String> labels = new TreeSet<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) labels.add(l.group(1));
            }
            out.computeIfAbsent(m.group(1), k -> new java.util.HashSet<>()).add(labels);
        }
        return out;
    }

    @Test
    void promtoolChecksTheRulesAndRunsTheirUnitTests() {
        String promtool = ProcessRunner.require("promtool", "prometheus");
        Path prom = DeployFiles.file("prometheus");
        assertThat(ProcessRunner.run(prom, 120, List.of(promtool, "check", "rules", "alerts.yml")).ok("promtool check rules").output())
                .contains("SUCCESS");
        assertThat(ProcessRunner.run(prom, 300, List.of(promtool, "test", "rules", "alerts.test.yml")).ok("promtool test rules").output())
                .contains("SUCCESS");
    }

    @Test
    void promtoolAcceptsTheScrapeConfiguration() throws Exception {
        String promtool = ProcessRunner.require("promtool", "prometheus");
        Path conf = dir.resolve("prometheus-config");
        Files.createDirectories(conf);
        Files.copy(DeployFiles.file("prometheus/alerts.yml"), conf.resolve("alerts.yml"));
        Files.writeString(conf.resolve("sigil-admin-key"), "sk-sigil-test");
        String config = DeployFiles.read("prometheus/prometheus.yml");
        assertThat(config).contains("/etc/prometheus/sigil-admin-key");
        Files.writeString(conf.resolve("prometheus.yml"), config.replace("/etc/prometheus/sigil-admin-key", conf.resolve("sigil-admin-key").toString()));
        ProcessRunner.run(conf, 120, List.of(promtool, "check", "config", "prometheus.yml")).ok("promtool check config");
    }

    @Test
    void everyRuleTestSeriesIsOneSigilEmitsWithTheSameLabels() {
        JsonNode tests = DeployFiles.yaml("prometheus/alerts.test.yml").path("tests");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (JsonNode t : tests) {
            for (JsonNode s : t.path("input_series")) {
                String series = s.path("series").asText();
                Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)}$").matcher(series);
                assertThat(m.matches()).as(series).isTrue();
                if (PROMETHEUS_OWN.contains(m.group(1))) continue;
                Set<String> labels = new TreeSet<>();
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.add(l.group(1));
                labels.removeAll(ADDED_LABELS);
                Set<Set<String>> real = scraped.get(m.group(1));
                if (real == null) {
                    problems.add(series + ": Sigil exposes no " + m.group(1));
                } else if (!real.contains(labels)) {
                    problems.add(series + ": Sigil's " + m.group(1) + " has labels " + real + ", the test uses " + labels);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExposed() {
        List<String> expressions = new ArrayList<>();
        DeployFiles.yaml("prometheus/alerts.yml").path("groups").forEach(g ->
                g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
        JsonNode dashboard;
        try {
            dashboard = DeployFiles.JSON.readTree(DeployFiles.read("grafana/sigil-dashboard.json"));
        } catch (java.io.IOException e) {
            throw new AssertionError("grafana/sigil-dashboard.json is not JSON: " + e.getMessage(), e);
        }
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        Pattern metric = Pattern.compile("\\b((?:sigil|disk|jvm|process)_[a-z0-9_]+)");
        Set<String> missing = new TreeSet<>();
        int names = 0;
        for (String e : expressions) {
            Matcher m = metric.matcher(e);
            while (m.find()) {
                names++;
                if (!scraped.containsKey(m.group(1))) missing.add(m.group(1));
            }
        }
        assertThat(names).isGreaterThan(20);
        assertThat(missing).as("metrics used by alerts.yml or the dashboard that a running Sigil does not expose").isEmpty();
    }
}
