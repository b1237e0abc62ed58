package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.contracts.rules.Rule;
import io.sigil.llm.OutputSchema;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schema of a contract's output, handed to providers with a native structured-output mode. It is the one
 * description of the deliverables a model gets (no system prompt repeats it): the contract's description, types,
 * required fields, nested objects, enums and field descriptions. Simple rules become schema keywords
 * ({@code 0 <= value <= 100}: minimum and maximum; {@code len(value) > 0}: minLength or minItems); other rules are
 * spelled out in the description, with the deliverable's example next to them (the only place an example helps:
 * elsewhere the schema already says what an answer looks like). The validator still checks everything after the
 * model answered.
 */
public final class OutputSchemas {
    /** {@code a <= value <= b}, {@code value >= a}, {@code value <= b} (numbers). */
    private static final Pattern RANGE = Pattern.compile("(-?\\d+(?:\\.\\d+)?) <= value <= (-?\\d+(?:\\.\\d+)?)");
    private static final Pattern AT_LEAST = Pattern.compile("value >= (-?\\d+(?:\\.\\d+)?)");
    private static final Pattern AT_MOST = Pattern.compile("value <= (-?\\d+(?:\\.\\d+)?)");
    /** {@code len(value) > n} or {@code len(value) >= n}. */
    private static final Pattern MIN_LENGTH = Pattern.compile("len\\(value\\) (>=?) (\\d+)");

    private OutputSchemas() { }

    public static OutputSchema of(Contract c) {
        // A contract without deliverables asks for any JSON object (an OpenAI json_object request): no closed shape.
        ObjectNode schema = c.deliverables().isEmpty() ? Json.MAPPER.createObjectNode().put("type", "object")
                : objectSchema(c.deliverables());
        if (!c.description().isEmpty()) {
            ObjectNode described = Json.MAPPER.createObjectNode().put("description", c.description());
            described.setAll(schema);
            schema = described;
        }
        return new OutputSchema(c.name().replace('-', '_'), schema);
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

    /** Rules become keywords where one expresses them, else they go into the description. */
    private static JsonNode deliverableSchema(Deliverable d) {
        if (d.schema() != null && d.schema().json().isObject() && d.rules().isEmpty() && d.allowedValues().isEmpty()) {
            // The deliverable's own JSON Schema says more than its type (items, bounds, formats): the model gets it.
            ObjectNode own = d.schema().json().deepCopy();
            if (!d.description().isEmpty() && !own.has("description")) own.put("description", d.description());
            return own;
        }
        ObjectNode s = typeSchema(d.type(), d);
        List<String> spelledOut = d.rules().stream().map(Rule::source).filter(r -> !asKeyword(r, s)).toList();
        StringBuilder description = new StringBuilder(d.description());
        if (!spelledOut.isEmpty()) {
            if (!description.isEmpty()) description.append(". ");
            description.append("Rules: ").append(String.join("; ", spelledOut));
        }
        if (!description.isEmpty()) s.put("description", description.toString());
        if (!d.allowedValues().isEmpty()) d.allowedValues().forEach(s.withArray("enum")::add);
        // An example only where it helps: next to a rule that only prose states (the keywords say the rest).
        if (!spelledOut.isEmpty() && d.example() != null) s.putArray("examples").add(d.example());
        return s;
    }

    /** Puts a rule into {@code s} as a keyword when one says exactly the same; false when none does. */
    private static boolean asKeyword(String rule, ObjectNode s) {
        String type = s.path("type").asText("");
        boolean number = type.equals("integer") || type.equals("number");
        Matcher m;
        if (number && (m = RANGE.matcher(rule)).matches()) {
            s.set("minimum", number(m.group(1)));
            s.set("maximum", number(m.group(2)));
            return true;
        }
        if (number && (m = AT_LEAST.matcher(rule)).matches()) {
            s.set("minimum", number(m.group(1)));
            return true;
        }
        if (number && (m = AT_MOST.matcher(rule)).matches()) {
            s.set("maximum", number(m.group(1)));
            return true;
        }
        if ((type.equals("string") || type.equals("array")) && (m = MIN_LENGTH.matcher(rule)).matches()) {
            long min = Long.parseLong(m.group(2)) + (m.group(1).equals(">") ? 1 : 0);
            s.put(type.equals("string") ? "minLength" : "minItems", min);
            return true;
        }
        return false;
    }

    private static JsonNode number(String text) {
        return text.contains(".") ? Json.MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal(text))
                : Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(text));
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
