package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.contracts.rules.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field the output must (or may) contain. {@code fields} describe the members of an object value (of a
 * {@code dict} deliverable, or of each element of a {@code list[dict]} one) and are checked recursively with paths
 * like {@code bant_assessment.budget}. {@code allowedValues} is an enum; {@code schema} an optional JSON Schema.
 * Rules are parsed when the deliverable is built, never at validation time.
 */
public record Deliverable(String name, TypeSpec type, String description, boolean required, List<Rule> rules,
                          List<JsonNode> allowedValues, DeliverableSchema schema, JsonNode example,
                          List<Deliverable> fields) {

    public Deliverable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        rules = List.copyOf(rules);
        allowedValues = List.copyOf(allowedValues);
        fields = List.copyOf(fields);
    }

    /** The innermost object type the nested {@code fields} apply to exists (dict, list[dict], dict[str,dict]...). */
    public boolean acceptsFields() {
        TypeSpec t = type;
        while (true) {
            if (t.isObject() && !(t instanceof TypeSpec.DictOf d && d.value().isObject())) return true;
            if (t instanceof TypeSpec.ListOf l) t = l.element();
            else if (t instanceof TypeSpec.DictOf d) t = d.value();
            else return false;
        }
    }

    public static Builder builder(String name, String type) { return new Builder(name, TypeSpec.parse(type)); }

    public static Builder builder(String name, TypeSpec type) { return new Builder(name, type); }

    public static final class Builder {
        private final String name;
        private final TypeSpec type;
        private String description = "";
        private boolean required = true;
        private final List<Rule> rules = new ArrayList<>();
        private final List<JsonNode> allowed = new ArrayList<>();
        private DeliverableSchema schema;
        private JsonNode example;
        private final List<Deliverable> fields = new ArrayList<>();

        private Builder(String name, TypeSpec type) {
            this.name = name;
            this.type = type;
        }

        public Builder description(String d) { this.description = d; return this; }

        public Builder required(boolean r) { this.required = r; return this; }

        public Builder optional() { return required(false); }

        /** Adds a rule, parsed now (a {@link io.sigil.contracts.rules.RuleSyntaxError} if malformed). */
        public Builder rule(String rule) { rules.add(Rule.parse(rule)); return this; }

        public Builder allowedValues(Object... values) {
            for (Object v : values) allowed.add(Json.node(v));
            return this;
        }

        public Builder jsonSchema(JsonNode schema) { this.schema = DeliverableSchema.of(schema); return this; }

        public Builder example(Object example) { this.example = Json.node(example); return this; }

        public Builder field(Deliverable field) { fields.add(field); return this; }

        public Builder field(Builder field) { return field(field.build()); }

        public Deliverable build() {
            return new Deliverable(name, type, description, required, rules, allowed, schema, example, fields);
        }
    }
}
