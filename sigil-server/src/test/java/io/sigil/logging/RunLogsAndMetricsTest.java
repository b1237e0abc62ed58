package io.sigil.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.config.ConfigInputs;
import io.sigil.config.ConfigLoader;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import io.sigil.memory.MemoryMetrics;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.Sigil;
import io.sigil.telemetry.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's logs and metrics (issue 16, point 10): {@code sigil_memory_items{category}} registered, the run's
 * session and agent ids on its log lines (also on the threads working for it), {@code error_type}, and the
 * slow-retrieval warning with its configurable threshold.
 */
class RunLogsAndMetricsTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        LogSetup.apply(io.sigil.config.Settings.defaults());
        MDC.clear();
    }

    private io.sigil.config.Settings settings(Map<String, String> extra) {
        var env = new java.util.HashMap<>(Map.of(
                "SIGIL_STATE_DATA_DIR", dir.resolve("state").toString(),
                "SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString(),
                "SIGIL_AGENTS_DIR", dir.resolve("agents").toString(),
                "SIGIL_USE_MEMORY", "true",
                "SIGIL_LLM__MODEL", "test",
                "SIGIL_LOG_FILE", dir.resolve("sigil.log").toString(),
                "SIGIL_LOG_FORMAT", "json"));
        env.putAll(extra);
        return ConfigLoader.load(ConfigInputs.of(env, dir)).settings();
    }

    private List<JsonNode> logLines() throws Exception {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("ROOT").detachAndStopAllAppenders();
        var json = new ObjectMapper();
        var out = new java.util.ArrayList<JsonNode>();
        for (String line : Files.readAllLines(dir.resolve("sigil.log"))) out.add(json.readTree(line));
        return out;
    }

    @Test
    void aSlowRecallIsWarnedAboutWithTheRunsSessionAndAgent() throws Exception {
        var settings = settings(Map.of("SIGIL_MEMORY_SLOW_RETRIEVAL_MS", "0"));
        LogSetup.apply(settings);
        String session;
        try (var rt = Sigil.builder().settings(settings).meters(new SimpleMeterRegistry()).build()) {
            session = rt.orchestrator().handle(RunRequest.builder("What do you remember about Acme?")
                    .agent("research_assistant").build(), RunListener.NONE).sessionId();
        }
        List<JsonNode> lines = logLines();
        assertThat(lines).filteredOn(l -> l.path("message").asText().startsWith("Memory retrieval took"))
                .singleElement().satisfies(l -> {
                    assertThat(l.path("level").asText()).isEqualTo("WARN");
                    assertThat(l.path("message").asText()).matches("Memory retrieval took \\d+ms \\(threshold: 0ms\\)");
                    assertThat(l.path("session_id").asText()).isEqualTo(session);
                    assertThat(l.path("agent_id").asText()).isEqualTo("research_assistant");
                });
    }

    @Test
    void theDefaultThresholdIsTwoSeconds() {
        assertThat(settings(Map.of()).memory().slowRetrievalMs()).isEqualTo(2000);
    }

    @Test
    void theRunsLogContextFollowsItToOtherThreads() throws Exception {
        var before = LogContext.enter("s-1", "agent-a", "r-1");
        try (var pool = Executors.newSingleThreadExecutor()) {
            Map<String, String> seen = pool.submit(LogContext.carry(MDC::getCopyOfContextMap)).get();
            assertThat(seen).containsEntry("session_id", "s-1").containsEntry("agent_id", "agent-a");
            assertThat(pool.submit(MDC::getCopyOfContextMap).get()).as("not left behind on the pool's thread")
                    .isNullOrEmpty();
        } finally {
            LogContext.restore(before);
        }
    }

    @Test
    void errorTypeIsTheSigilCodeOrTheExceptionClass() throws Exception {
        var layout = new JsonLineLayout();
        var json = new ObjectMapper();
        var logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("t");
        var sigil = new LoggingEvent("t", logger, Level.ERROR, "failed", new SigilError(ErrorCode.LLM_ERROR, "down", null), null);
        var plain = new LoggingEvent("t", logger, Level.ERROR, "failed", new IllegalStateException("x"), null);
        assertThat(json.readTree(layout.doLayout(sigil)).path("error_type").asText()).isEqualTo("LLM_ERROR");
        assertThat(json.readTree(layout.doLayout(plain)).path("error_type").asText()).isEqualTo("IllegalStateException");
        assertThat(JsonLineLayout.errorType(new ThrowableProxy(new java.io.IOException()))).isEqualTo("IOException");
    }

    @Test
    void memoryItemsPerCategoryAreAGauge() {
        var meters = new SimpleMeterRegistry();
        try (var rt = Sigil.builder().settings(settings(Map.of())).meters(meters).build()) {
            rt.memory().ingest(Resource.of(ResourceType.CONVERSATION,
                    "user: Acme's budget is 50k and the CFO decides. We prefer email.", Scope.GLOBAL));
            var gauges = meters.find(MemoryMetrics.ITEMS).gauges();
            assertThat(gauges).isNotEmpty();
            assertThat(gauges).allSatisfy(g -> assertThat(g.getId().getTag("category")).isNotBlank());
            assertThat(gauges.stream().mapToDouble(g -> g.value()).sum()).isPositive();
        }
    }
}
