package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.contracts.rules.Rule;
import io.sigil.llm.OutputSchema;

import java.util.List;

/**
 * The JSON Schema of a contract's output, handed to providers with a native structured-output mode: types,
 * required fields, nested objects, enums, descriptions (with the rules spelled out) and the examples. Rules cannot
 * be expressed as schema keywords; the validator still checks everything after the model answered.
 */
public final class OutputSchemas {
    private OutputSchemas() { }

    public static OutputSchema of(Contract c) {
        return new OutputSchema(c.name().replace('-', '_'), objectSchema(c.deliverables()));
    }

    static ObjectNode objectSchema(List<Deliverable> fields) {
        ObjectNode s = Json.MAPPER.createObjectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        for (Deliverable d : fields) {
            props.set(d.name(), deliverableSchema(d));
            if (d.required()) required.add(d.name());
        }
        s.put("additionalProperties", false);
        return s;
    }

    /** Rules go into the description (no schema keyword expresses them); the example into {@code examples}. */
    private static JsonNode deliverableSchema(Deliverable d) {
        ObjectNode s = typeSchema(d.type(), d);
        StringBuilder description = new StringBuilder(d.description());
        if (!d.rules().isEmpty()) {
            if (!description.isEmpty()) description.append(". ");
            description.append("Rules: ").append(String.join("; ", d.rules().stream().map(Rule::source).toList()));
        }
        if (!description.isEmpty()) s.put("description", description.toString());
        if (!d.allowedValues().isEmpty()) d.allowedValues().forEach(s.withArray("enum")::add);
        if (d.example() != null) s.putArray("examples").add(d.example());
        return s;
    }

    private static ObjectNode typeSchema(TypeSpec t, Deliverable d) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        switch (t) {
            case TypeSpec.Simple x -> {
                switch (x.base()) {
                    case INT -> s.put("type", "integer");
                    case FLOAT -> s.put("type", "number");
                    case STR -> s.put("type", "string");
                    case BOOL -> s.put("type", "boolean");
                    case LIST -> s.put("type", "array");
                    case ANY -> { }
                    case DICT -> {
                        if (d.fields().isEmpty()) s.put("type", "object");
                        else return objectSchema(d.fields());
                    }
                }
            }
            case TypeSpec.ListOf l -> {
                s.put("type", "array");
                s.set("items", typeSchema(l.element(), d));
            }
            case TypeSpec.DictOf m -> {
                if (!m.value().isObject() && !d.fields().isEmpty()) return objectSchema(d.fields());
                s.put("type", "object");
                s.set("additionalProperties", typeSchema(m.value(), d));
            }
        }
        return s;
    }
}
