package io.sigil.tools;

import com.networknt.schema.ValidationMessage;
import io.sigil.errors.SigilError;
import io.sigil.llm.ToolCall;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs tool calls from a model: looks the tool up, validates the arguments against its schema, runs it on a
 * virtual thread under its timeout (interrupting it when time is up), and caps the output. Every failure
 * (unknown tool, invalid arguments, timeout, the tool's own error) becomes an error result the model can read
 * and react to; nothing a tool does escapes as an exception, except the caller's own interruption.
 */
public final class ToolExecutor {
    private final ToolRegistry registry;
    private final int maxResultChars;
    private final ToolObserver observer;

    public ToolExecutor(ToolRegistry registry) { this(registry, UntrustedContent.DEFAULT_MAX_CHARS); }

    public ToolExecutor(ToolRegistry registry, int maxResultChars) {
        this(registry, maxResultChars, ToolObserver.NONE);
    }

    private ToolExecutor(ToolRegistry registry, int maxResultChars, ToolObserver observer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (maxResultChars < 1) throw new IllegalArgumentException("maxResultChars must be >= 1");
        this.maxResultChars = maxResultChars;
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** The same executor, reporting every call and result to {@code observer}. */
    public ToolExecutor observed(ToolObserver observer) {
        return new ToolExecutor(registry, maxResultChars, observer);
    }

    public ToolRegistry registry() { return registry; }

    /** Runs the call and reports it and its result to the observer (a cancelled call has no result). */
    public ToolResult execute(ToolCall call) {
        observer.called(call);
        io.opentelemetry.api.trace.Span span = io.sigil.telemetry.Tracing.tracer()
                .spanBuilder(io.sigil.telemetry.GenAi.EXECUTE_TOOL + " " + call.name())
                .setAttribute(io.sigil.telemetry.GenAi.OPERATION_NAME, io.sigil.telemetry.GenAi.EXECUTE_TOOL)
                .setAttribute(io.sigil.telemetry.GenAi.TOOL_NAME, call.name())
                .setAttribute(io.sigil.telemetry.GenAi.TOOL_CALL_ID, call.id()).startSpan();
        ToolResult result;
        try (var ignored = span.makeCurrent()) {
            result = run(call);
            if (result.isError()) span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "tool error");
        } finally {
            span.end();
        }
        observer.returned(call, result);
        return result;
    }

    private ToolResult run(ToolCall call) {
        long start = System.nanoTime();
        var entry = registry.entry(call.name());
        if (entry.isEmpty()) {
            return error(call, "unknown tool '" + call.name() + "'; available tools: "
                    + (registry.isEmpty() ? "none" : String.join(", ", registry.names())), start);
        }
        Set<ValidationMessage> problems = entry.get().schema().validate(call.arguments());
        if (!problems.isEmpty()) {
            return error(call, "invalid arguments for '" + call.name() + "': " + problems.stream()
                    .map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "))
                    + ". Call the tool again with arguments that match its input schema.", start);
        }
        Tool tool = entry.get().tool();
        FutureTask<String> task = new FutureTask<>(() -> tool.execute(call.arguments()));
        Thread.ofVirtual().name("tool-" + call.name()).start(task);
        Duration timeout = tool.timeout();
        try {
            String out = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return result(call, out == null ? "" : out, false, start);
        } catch (TimeoutException e) {
            task.cancel(true);
            return error(call, "tool '" + call.name() + "' timed out after " + timeout.toMillis() + " ms", start);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new ToolCancelled(call.name());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof SigilError s ? s.getMessage()
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return error(call, "tool '" + call.name() + "' failed: " + message, start);
        }
    }

    private ToolResult error(ToolCall call, String message, long start) {
        return result(call, message, true, start);
    }

    private ToolResult result(ToolCall call, String output, boolean isError, long start) {
        String capped = UntrustedContent.cap(output, maxResultChars);
        return new ToolResult(call.id(), call.name(), capped, isError, capped.length() < output.length(),
                output.length(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** The caller's thread was interrupted while a tool ran: the run is being cancelled, not the tool failing. */
    public static final class ToolCancelled extends io.sigil.errors.ToolError {
        ToolCancelled(String tool) {
            super("cancelled while tool '" + tool + "' was running");
        }
    }
}
