package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A contract (sigil-design.md section 8): what an agent's output must contain, the budgets it must be produced
 * within, and what happens when it is not valid. Immutable; {@link ContractChecks#check(Contract)} lints it.
 */
public record Contract(String name, String description, List<Deliverable> deliverables, Constraints constraints,
                       FailureStrategy failureStrategy, int maxRetries, String version, Map<String, Object> metadata) {

    /** Contract names (deployment guide 10.3): letter first, then letters, digits, '_' or '-', at most 64. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$");
    /**
     * Contract versions: dotted numbers with an optional pre-release or build suffix ({@code 1.0.0},
     * {@code 2.1}, {@code 1.0.0-rc.1}); a version is part of a file name, so nothing else is accepted.
     */
    public static final Pattern VERSION = Pattern.compile("^[0-9]{1,9}(\\.[0-9]{1,9}){0,3}([-+][0-9A-Za-z]{1,20}(\\.[0-9A-Za-z]{1,20}){0,3})?$");
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final String DEFAULT_VERSION = "1.0.0";

    public Contract {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        deliverables = List.copyOf(deliverables);
        constraints = constraints == null ? Constraints.NONE : constraints;
        failureStrategy = failureStrategy == null ? FailureStrategy.RETRY : failureStrategy;
        version = version == null ? DEFAULT_VERSION : version;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static boolean isValidName(String name) { return name != null && NAME.matcher(name).matches(); }

    public static boolean isValidVersion(String version) { return version != null && VERSION.matcher(version).matches(); }

    public Optional<Deliverable> deliverable(String name) {
        for (Deliverable d : deliverables) if (d.name().equals(name)) return Optional.of(d); // on every validation
        return Optional.empty();
    }

    public List<Deliverable> required() { return deliverables.stream().filter(Deliverable::required).toList(); }

    /** The output assembled from every deliverable's example (deliverables without one are left out). */
    public ObjectNode example() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Deliverable d : deliverables) if (d.example() != null) out.set(d.name(), d.example());
        return out;
    }

    public Contract withConstraints(Constraints c) {
        return new Contract(name, description, deliverables, c, failureStrategy, maxRetries, version, metadata);
    }

    public Contract withFailureStrategy(FailureStrategy s, int retries) {
        return new Contract(name, description, deliverables, constraints, s, retries, version, metadata);
    }

    public static Builder builder(String name) { return new Builder(name); }

    /**
     * The contract a record describes: its snake_case name, one deliverable per component (snake_case), types from
     * the Java types (nested records become objects with fields, enums closed value sets), rules from Jakarta Bean
     * Validation annotations ({@code @Min}, {@code @Max}, {@code @Size}, {@code @NotBlank}, {@code @Pattern}...,
     * read by name: no dependency on the API) and from {@link Describe}. Bind the output back with
     * {@link ContractResult#as}. Adjust the rest (budgets, retries) with {@link #withConstraints} and friends.
     */
    public static Contract fromRecord(Class<? extends Record> type) { return RecordContracts.fromRecord(type); }

    /** Java construction of a contract, the same shape as the YAML form. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final List<Deliverable> deliverables = new ArrayList<>();
        private Constraints constraints = Constraints.NONE;
        private FailureStrategy strategy = FailureStrategy.RETRY;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private String version = DEFAULT_VERSION;
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder(String name) { this.name = name; }

        public Builder description(String d) { this.description = d; return this; }

        public Builder deliverable(Deliverable d) { deliverables.add(d); return this; }

        public Builder deliverable(Deliverable.Builder d) { return deliverable(d.build()); }

        public Builder constraints(Constraints c) { this.constraints = c; return this; }

        public Builder maxTotalTokens(long tokens) { constraints = constraints.withMaxTotalTokens(tokens); return this; }

        public Builder timeoutSeconds(double seconds) { constraints = constraints.withTimeoutSeconds(seconds); return this; }

        public Builder maxToolCalls(int calls) { constraints = constraints.withMaxToolCalls(calls); return this; }

        public Builder failureStrategy(FailureStrategy s) { this.strategy = s; return this; }

        public Builder maxRetries(int r) { this.maxRetries = r; return this; }

        public Builder version(String v) { this.version = v; return this; }

        public Builder metadata(String key, Object value) { metadata.put(key, value); return this; }

        public Contract build() {
            return new Contract(name, description, deliverables, constraints, strategy, maxRetries, version, metadata);
        }
    }

    /** The metadata value as JSON (for writing contracts back out). */
    JsonNode metadataJson() { return Json.node(metadata); }
}
