package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sigil.contracts.rules.Rule;

import java.util.List;

/** Writes a contract in the same YAML/JSON shape {@link ContractLoader} reads (round-trips). */
public final class ContractWriter {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private ContractWriter() { }

    public static ObjectNode toTree(Contract c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", c.name());
        o.put("version", c.version());
        if (!c.description().isEmpty()) o.put("description", c.description());
        o.set("deliverables", deliverables(c.deliverables()));
        Constraints k = c.constraints();
        ObjectNode constraints = Json.MAPPER.createObjectNode();
        if (k.maxInputTokens() > 0) constraints.put("max_input_tokens", k.maxInputTokens());
        if (k.maxOutputTokens() > 0) constraints.put("max_output_tokens", k.maxOutputTokens());
        if (k.maxTotalTokens() > 0) constraints.put("max_total_tokens", k.maxTotalTokens());
        if (k.maxToolCalls() > 0) constraints.put("max_tool_calls", k.maxToolCalls());
        if (k.timeoutSeconds() > 0) constraints.put("timeout_seconds", k.timeoutSeconds());
        constraints.put("warn_threshold", k.warnThreshold());
        o.set("constraints", constraints);
        o.put("failure_strategy", c.failureStrategy().label());
        o.put("max_retries", c.maxRetries());
        if (!c.metadata().isEmpty()) o.set("metadata", c.metadataJson());
        return o;
    }

    private static ArrayNode deliverables(List<Deliverable> ds) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Deliverable d : ds) {
            ObjectNode n = a.addObject();
            n.put("name", d.name());
            n.put("type", d.type().toString());
            n.put("required", d.required());
            if (!d.description().isEmpty()) n.put("description", d.description());
            if (!d.rules().isEmpty()) d.rules().stream().map(Rule::source).forEach(n.putArray("rules")::add);
            if (!d.allowedValues().isEmpty()) d.allowedValues().forEach(n.putArray("enum")::add);
            if (d.schema() != null) n.set("json_schema", d.schema().json());
            if (!d.fields().isEmpty()) n.set("fields", deliverables(d.fields()));
            if (d.example() != null) n.set("example", d.example());
        }
        return a;
    }

    public static String toYaml(Contract c) {
        try {
            return YAML.writeValueAsString(toTree(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write contract " + c.name(), e);
        }
    }
}
