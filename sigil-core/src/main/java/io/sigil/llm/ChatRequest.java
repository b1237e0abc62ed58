package io.sigil.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model call. {@code model} is the provider's model name without the provider prefix (the router of model
 * strings {@code provider:model} strips it); null means the provider's configured default. Null temperature or
 * maxTokens mean the configured defaults. Metadata carries ids (session, agent, correlation) for events and logs,
 * never for the model.
 */
public record ChatRequest(String model, String system, List<Message> messages, List<ToolSpec> tools,
                          ToolChoice toolChoice, OutputSchema outputSchema, Double temperature, Integer maxTokens,
                          List<String> stopSequences, Map<String, String> metadata) {

    public static final String SESSION_ID = "session_id";
    public static final String AGENT_ID = "agent_id";
    public static final String CORRELATION_ID = "correlation_id";

    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
        tools = List.copyOf(tools);
        toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
        stopSequences = List.copyOf(stopSequences);
        metadata = Map.copyOf(metadata);
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be within 0..2, got " + temperature);
        }
        if (maxTokens != null && maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1");
    }

    public static Builder builder() { return new Builder(); }

    /** A single user message with no system prompt. */
    public static ChatRequest of(String userText) { return builder().user(userText).build(); }

    public Builder toBuilder() {
        Builder b = new Builder().model(model).system(system).toolChoice(toolChoice).outputSchema(outputSchema)
                .temperature(temperature).maxTokens(maxTokens);
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.stopSequences.addAll(stopSequences);
        b.metadata.putAll(metadata);
        return b;
    }

    public static final class Builder {
        private String model;
        private String system;
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolSpec> tools = new ArrayList<>();
        private ToolChoice toolChoice = ToolChoice.AUTO;
        private OutputSchema outputSchema;
        private Double temperature;
        private Integer maxTokens;
        private final List<String> stopSequences = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() { }

        public Builder model(String model) { this.model = model; return this; }

        public Builder system(String system) { this.system = system; return this; }

        public Builder user(String text) { return message(Message.user(text)); }

        public Builder assistant(String text) { return message(Message.assistant(text)); }

        public Builder message(Message message) { messages.add(Objects.requireNonNull(message)); return this; }

        public Builder messages(List<? extends Message> all) { messages.addAll(all); return this; }

        public Builder tool(ToolSpec tool) { tools.add(Objects.requireNonNull(tool)); return this; }

        public Builder tools(List<ToolSpec> all) { tools.addAll(all); return this; }

        public Builder toolChoice(ToolChoice choice) { this.toolChoice = choice; return this; }

        public Builder outputSchema(OutputSchema schema) { this.outputSchema = schema; return this; }

        public Builder temperature(Double temperature) { this.temperature = temperature; return this; }

        public Builder maxTokens(Integer maxTokens) { this.maxTokens = maxTokens; return this; }

        public Builder stopSequence(String stop) { stopSequences.add(stop); return this; }

        public Builder metadata(String key, String value) { if (value != null) metadata.put(key, value); return this; }

        public ChatRequest build() {
            return new ChatRequest(model, system, messages, tools, toolChoice, outputSchema, temperature, maxTokens,
                    stopSequences, metadata);
        }
    }
}
