package io.sigil.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        LogSetup.apply(Settings.defaults());
        MDC.clear();
    }

    private static Settings with(Settings.Logging logging, boolean debug) {
        Settings d = Settings.defaults();
        return new Settings(d.environment(), debug, d.features(), d.llm(), d.memory(), d.contracts(), d.state(), d.api(),
                d.security(), logging, d.telemetry(), d.routing(), d.agents(), d.tools(), d.services());
    }

    /** The server's setup: JSON lines to a file (stderr detached to keep the test quiet), written in the background. */
    private Path backgroundFileLog() {
        Path file = dir.resolve("logs/server.log");
        LogSetup.apply(with(new Settings.Logging("INFO", "json", file), false));
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("ROOT").detachAppender("stderr");
        LogSetup.writeInBackground();
        return file;
    }

    @Test
    void backgroundWritingKeepsEveryLineInOrderWithItsMdc() throws IOException {
        Path file = backgroundFileLog();
        var log = LoggerFactory.getLogger("io.sigil.server.access");
        for (int i = 0; i < 20_000; i++) { // more than the queue holds: callers wait, nothing is dropped
            MDC.put("session_id", "s-" + i);
            log.info("line {}", i);
        }
        MDC.clear();
        LogSetup.stop();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(20_000);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(lines.get(0)).get("message").asText()).isEqualTo("line 0");
        JsonNode last = json.readTree(lines.get(19_999));
        assertThat(last.get("message").asText()).isEqualTo("line 19999");
        assertThat(last.get("session_id").asText()).as("MDC captured on the caller's thread").isEqualTo("s-19999");
    }

    // Repeated: from the second time on, the logging context has been stopped and reset before, and stop() must
    // still write everything queued (LoggerContext.stop() alone did nothing then, and the file came out short).
    @org.junit.jupiter.api.RepeatedTest(3)
    void backgroundLinesReachTheFileWithoutAStopAndConcurrentCallersLoseNothing() throws Exception {
        Path file = backgroundFileLog();
        var log = LoggerFactory.getLogger("io.sigil.server.access");

        log.info("first");
        // Each batch ends with a flush: the line is in the file while the server keeps running.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(file) && Files.readString(file).contains("\"first\"")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Files.readString(file)).contains("\"message\":\"first\"");

        int threads = 8, each = 5_000;
        var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) log.info("t{} line {}", thread, i);
                }));
            }
        }
        for (var f : futures) f.get();
        LogSetup.stop();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1 + threads * each);
        ObjectMapper json = new ObjectMapper();
        int[] next = new int[threads];
        for (String line : lines.subList(1, lines.size())) {
            String[] words = json.readTree(line).get("message").asText().split(" ");
            int thread = Integer.parseInt(words[0].substring(1));
            assertThat(Integer.parseInt(words[2])).as("each caller's lines in its order").isEqualTo(next[thread]++);
        }
    }

    @Test
    void aKeyValuePairAndAnMdcEntryOfTheSameNameGiveOneField() throws IOException {
        Path file = dir.resolve("logs/sigil.log");
        LogSetup.apply(with(new Settings.Logging("INFO", "json", file), false));
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("ROOT").detachAppender("stderr");

        MDC.put("request_id", "r-1");
        LoggerFactory.getLogger("io.sigil.server.access").atInfo().addKeyValue("request_id", "r-1")
                .addKeyValue("status", 200).log("GET /health 200");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();

        String line = Files.readAllLines(file).getFirst();
        assertThat(line.split("\"request_id\"", -1)).as("request_id appears once").hasSize(2);
        assertThat(new ObjectMapper().readTree(line).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void theLogFileGetsJsonLinesWithMdcAndException() throws IOException {
        Path file = dir.resolve("logs/sigil.log");
        LogSetup.apply(with(new Settings.Logging("INFO", "pretty", file), false));

        MDC.put("session_id", "s-1");
        MDC.put("agent_id", "lead_qualifier");
        LoggerFactory.getLogger("io.sigil.test").info("hello {}", "world");
        LoggerFactory.getLogger("io.sigil.test").error("failed", new IllegalStateException("boom"));
        LoggerFactory.getLogger("io.sigil.test").debug("not at INFO");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo("io.sigil.test");
        assertThat(first.get("message").asText()).isEqualTo("hello world");
        assertThat(first.get("session_id").asText()).isEqualTo("s-1");
        assertThat(first.get("agent_id").asText()).isEqualTo("lead_qualifier");
        assertThat(first.has("exception")).isFalse();
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom")
                .contains("at io.sigil.logging.LogSetupTest");
    }

    @Test
    void librariesStayAtWarnUnlessDebug() {
        LogSetup.apply(with(new Settings.Logging("DEBUG", "json", null), false));
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(ctx.getLogger("io.sigil.x").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(ctx.getLogger("org.eclipse.jetty.server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(ctx.getLogger("okhttp3.OkHttpClient").getEffectiveLevel()).isEqualTo(Level.WARN);

        LogSetup.apply(with(new Settings.Logging("INFO", "json", null), true));
        assertThat(ctx.getLogger("org.eclipse.jetty.server").getEffectiveLevel()).isEqualTo(Level.DEBUG);

        LogSetup.apply(with(new Settings.Logging("ERROR", "pretty", null), false));
        assertThat(ctx.getLogger("okhttp3").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }
}
