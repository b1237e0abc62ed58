package io.sigil.server.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigil.config.Settings;
import io.sigil.health.HealthCheck;
import io.sigil.tools.Tool;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

/**
 * A test tool with a side effect that can be counted from outside the process: {@code append_line} appends its
 * text as one line to the file named by {@value #FILE_ENV}. Attached only when that variable is set (the
 * {@code sigil serve} processes of {@link ApprovalCrashIT}), so no other test sees it.
 */
public final class AppendLineToolSource implements ToolSource {
    public static final String FILE_ENV = "SIGIL_TEST_APPEND_LINE_FILE";

    @Override
    public Attached attach(Settings settings, ToolRegistry tools, Clock clock) {
        String file = System.getenv(FILE_ENV);
        if (file != null && !file.isBlank()) tools.register(new AppendLine(Path.of(file)));
        return () -> List.<HealthCheck>of();
    }

    /** Appends a line; a side effect, so it needs approval by default. */
    public record AppendLine(Path file) implements Tool {
        public String name() { return "append_line"; }

        public String description() { return "Appends one line of text to the operator's log file."; }

        public JsonNode inputSchema() {
            var s = JsonNodeFactory.instance.objectNode().put("type", "object");
            s.putObject("properties").putObject("text").put("type", "string");
            s.putArray("required").add("text");
            return s;
        }

        public String execute(JsonNode arguments) {
            try {
                Files.writeString(file, arguments.path("text").asText() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
                return "appended line " + Files.readAllLines(file).size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean sideEffects() { return true; }

        public String source() { return "test:append_line"; }
    }
}
