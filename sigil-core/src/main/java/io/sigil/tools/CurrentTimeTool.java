package io.sigil.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.ToolError;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;

/** Built-in {@code current_time}: the current date and time, in UTC or a named IANA time zone. */
public final class CurrentTimeTool implements Tool {
    public static final String NAME = "current_time";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final JsonNode schema;

    public CurrentTimeTool(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        s.putObject("properties").putObject("timezone").put("type", "string")
                .put("description", "IANA time zone such as Europe/Paris or America/New_York; default UTC");
        s.put("additionalProperties", false);
        this.schema = s;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public String description() {
        return "Returns the current date and time (ISO 8601, day of week, epoch seconds). Use it whenever the "
                + "answer depends on today's date or the time.";
    }

    @Override
    public JsonNode inputSchema() { return schema; }

    @Override
    public String execute(JsonNode arguments) {
        String zoneName = arguments.path("timezone").asText("UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName.isBlank() ? "UTC" : zoneName);
        } catch (DateTimeException e) {
            throw new ToolError("unknown time zone '" + zoneName + "'",
                    "use an IANA zone id such as UTC, Europe/Paris or America/New_York");
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        ObjectNode out = JSON.createObjectNode()
                .put("iso", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timezone", zone.getId())
                .put("day_of_week", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                .put("epoch_seconds", now.toEpochSecond());
        return out.toString();
    }

    @Override
    public Duration timeout() { return Duration.ofSeconds(2); }
}
