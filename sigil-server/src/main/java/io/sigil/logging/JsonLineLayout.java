package io.sigil.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601 UTC), {@code level}, {@code logger}, {@code message},
 * {@code thread}, {@code trace_id} and {@code span_id} inside a recorded trace, the event's key-value pairs as fields of
 * their own (numbers and booleans typed), then every MDC entry ({@code session_id}, {@code agent_id}, {@code correlation_id}, ...),
 * {@code error_type} (a Sigil error code or the exception's class) and {@code exception} with the stack trace when
 * there is one. The field names are the deployment guide's (9.1).
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", event.getInstant().toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("message", event.getFormattedMessage());
            g.writeStringField("thread", event.getThreadName());
            TraceIds.addTo(event); // written on the logging thread (no-op when BackgroundAppender added them)
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair kv : pairs) {
                    if (isReserved(kv.key)) continue;
                    g.writeFieldName(kv.key);
                    switch (kv.value) {
                        case null -> g.writeNull();
                        case Integer i -> g.writeNumber(i);
                        case Long l -> g.writeNumber(l);
                        case Double d -> g.writeNumber(d);
                        case Boolean b -> g.writeBoolean(b);
                        default -> g.writeString(kv.value.toString());
                    }
                }
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (var e : new java.util.TreeMap<>(mdc).entrySet()) {
                    // a key-value pair of the same name was written already: a JSON object has each name once
                    if (!isReserved(e.getKey()) && !hasPair(pairs, e.getKey())) g.writeStringField(e.getKey(), e.getValue());
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                if (!hasPair(pairs, "error_type") && (mdc == null || !mdc.containsKey("error_type"))) g.writeStringField("error_type", errorType(thrown));
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    /**
     * What went wrong, for counting ({@code jq -r .error_type | sort | uniq -c}, guide 12.3): a Sigil error's code
     * ({@code LLM_ERROR}, {@code STATE_ERROR}, ...), otherwise the exception's simple class name.
     */
    static String errorType(IThrowableProxy thrown) {
        if (thrown instanceof ch.qos.logback.classic.spi.ThrowableProxy p && p.getThrowable() instanceof io.sigil.errors.SigilError e) {
            return e.code().name();
        }
        String name = thrown.getClassName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static boolean hasPair(List<KeyValuePair> pairs, String key) {
        if (pairs == null) return false;
        for (KeyValuePair kv : pairs) {
            if (kv.key.equals(key)) return true;
        }
        return false;
    }

    private static boolean isReserved(String key) {
        return switch (key) {
            case "timestamp", "level", "logger", "message", "thread", "exception" -> true;
            default -> false;
        };
    }
}
