package io.sigil.guard;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.tools.Tool;

import java.time.Duration;
import java.util.Objects;

/**
 * A tool whose results reach the model wrapped as untrusted data ({@link UntrustedContent}). The tool registry
 * wraps every tool it hands to an agent with this, so no tool result is ever read as instructions.
 */
public final class UntrustedTool implements Tool {
    private final Tool delegate;
    private final UntrustedContent wrapper;

    public UntrustedTool(Tool delegate, UntrustedContent wrapper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.wrapper = Objects.requireNonNull(wrapper, "wrapper");
    }

    @Override public String name() { return delegate.name(); }

    @Override public String description() { return delegate.description(); }

    @Override public JsonNode inputSchema() { return delegate.inputSchema(); }

    @Override public Duration timeout() { return delegate.timeout(); }

    @Override public boolean sideEffects() { return delegate.sideEffects(); }

    @Override public String source() { return delegate.source(); }

    @Override
    public String execute(JsonNode arguments) {
        return wrapper.wrap(delegate.name(), delegate.execute(arguments));
    }

    /** The tool as written, for callers that need to know what is wrapped. */
    public Tool delegate() {
        return delegate;
    }
}
