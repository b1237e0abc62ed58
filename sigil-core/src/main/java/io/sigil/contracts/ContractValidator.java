package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import io.sigil.contracts.ValidationError.Reasons;
import io.sigil.contracts.ValidationError.Severity;
import io.sigil.contracts.rules.Rule;
import io.sigil.llm.Usage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an output against a contract and reports every problem at once, each with its field path: missing
 * required deliverables, type mismatches (element by element for {@code list[T]} and {@code dict[K,V]}, member by
 * member for nested fields), enum values, JSON Schema violations and failed rules. Rules of a value whose type is
 * already wrong are not run (their failure would only repeat the type error). Stateless and thread-safe.
 */
public final class ContractValidator {
    private final boolean strict;

    public ContractValidator() { this(false); }

    /** @param strict whether warnings (unexpected fields, coerced numbers) fail validation */
    public ContractValidator(boolean strict) { this.strict = strict; }

    public boolean strict() { return strict; }

    /** Extracts the JSON object from model text (see {@link JsonExtractor}) and validates it. */
    public ValidationResult validateText(Contract contract, String text) {
        JsonExtractor.Extraction x = JsonExtractor.extract(text);
        if (x.value() == null) {
            ValidationError e = new ValidationError("(output)", Reasons.NOT_JSON, "a JSON object with "
                    + names(contract.required()), x.problem(), Severity.ERROR,
                    "Reply with only a JSON object, no prose or code around it.");
            return new ValidationResult(false, List.of(e), List.of(), Set.of(), null);
        }
        return validate(contract, x.value());
    }

    public ValidationResult validate(Contract contract, JsonNode output) { return validate(contract, output, null); }

    /** Validates the output; with usage, a response over {@code max_output_tokens} is an error too. */
    public ValidationResult validate(Contract contract, JsonNode output, Usage usage) {
        List<ValidationError> found = new ArrayList<>();
        Set<String> valid = new LinkedHashSet<>();
        if (output == null || !output.isObject()) {
            found.add(new ValidationError("(output)", Reasons.NOT_JSON, "a JSON object with " + names(contract.required()),
                    describe(output), Severity.ERROR, "Reply with one JSON object whose keys are the deliverables."));
        } else {
            for (Deliverable d : contract.deliverables()) {
                JsonNode value = output.get(d.name());
                if (value == null || value.isNull()) {
                    if (d.required()) found.add(missing(d, d.name()));
                    continue;
                }
                int sizeBefore = found.size();
                int errorsBefore = countErrors(found);
                check(d, value, d.name(), found);
                if (countErrors(found) == errorsBefore && (!strict || found.size() == sizeBefore)) valid.add(d.name());
            }
            // Without deliverables the contract asks only for an object: its members are all the caller's.
            for (Iterator<String> it = output.fieldNames(); !contract.deliverables().isEmpty() && it.hasNext(); ) {
                String key = it.next();
                if (contract.deliverable(key).isEmpty()) {
                    found.add(new ValidationError(key, Reasons.UNEXPECTED, "one of " + names(contract.deliverables()),
                            describe(output.get(key)), Severity.WARNING, "Remove '" + key + "': the contract does not define it."));
                }
            }
        }
        if (usage != null && contract.constraints().maxOutputTokens() > 0
                && usage.outputTokens() > contract.constraints().maxOutputTokens()) {
            found.add(new ValidationError("(tokens)", Reasons.TOKEN_LIMIT,
                    "at most " + contract.constraints().maxOutputTokens() + " output tokens",
                    usage.outputTokens() + " output tokens", Severity.ERROR, "Answer more briefly."));
        }
        List<ValidationError> errors = new ArrayList<>();
        List<ValidationError> warnings = new ArrayList<>();
        for (ValidationError e : found) {
            if (e.isError()) errors.add(e);
            else if (strict) errors.add(e.asError());
            else warnings.add(e);
        }
        return new ValidationResult(errors.isEmpty(), errors, warnings, valid, output);
    }

    /** The problems of one value against one deliverable (used to lint examples). */
    public List<ValidationError> validateDeliverable(Deliverable d, JsonNode value) {
        List<ValidationError> found = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (d.required()) found.add(missing(d, d.name()));
        } else {
            check(d, value, d.name(), found);
        }
        return strict ? found.stream().map(ValidationError::asError).toList()
                : found.stream().filter(ValidationError::isError).toList();
    }

    private static int countErrors(List<ValidationError> found) {
        int n = 0;
        for (ValidationError e : found) if (e.isError()) n++;
        return n;
    }

    private void check(Deliverable d, JsonNode value, String path, List<ValidationError> out) {
        int before = out.size();
        checkType(d, d.type(), value, path, out);
        // The value itself has the wrong type: its enum, schema and rules would only repeat that.
        for (int k = before; k < out.size(); k++) {
            ValidationError e = out.get(k);
            if (e.isError() && e.reason().equals(Reasons.TYPE_MISMATCH) && e.field().equals(path)) return;
        }
        if (!d.allowedValues().isEmpty() && d.allowedValues().stream().noneMatch(a -> sameValue(a, value))) {
            out.add(new ValidationError(path, Reasons.NOT_ALLOWED, "one of " + d.allowedValues(), describe(value),
                    Severity.ERROR, "Use one of " + d.allowedValues() + " for " + path + "."));
        }
        if (d.schema() != null) {
            for (ValidationMessage m : d.schema().compiled().validate(value)) {
                String loc = m.getInstanceLocation().toString();
                out.add(new ValidationError(path + (loc.length() > 1 ? loc.substring(1) : ""), Reasons.SCHEMA,
                        "valid against the deliverable's JSON Schema", m.getMessage(), Severity.ERROR,
                        "Fix " + path + " to satisfy its JSON Schema."));
            }
        }
        for (Rule r : d.rules()) {
            Rule.Outcome o = r.test(value);
            if (!o.passed()) {
                out.add(new ValidationError(path, Reasons.RULE_FAILED + r.source(), r.source(),
                        describe(value) + (o.problem() == null ? "" : " (" + o.problem() + ")"), Severity.ERROR,
                        "Change " + path + " so that " + r.source() + " holds" + exampleHint(d)));
            }
        }
    }

    /** 85.0 equals 85 for enums, as JSON makes no difference between them. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private void checkType(Deliverable d, TypeSpec type, JsonNode value, String path, List<ValidationError> out) {
        switch (type) {
            case TypeSpec.Simple s -> {
                boolean ok = switch (s.base()) {
                    case INT -> value.isIntegralNumber();
                    case FLOAT -> value.isNumber();
                    case STR -> value.isTextual();
                    case BOOL -> value.isBoolean();
                    case DICT -> value.isObject();
                    case LIST -> value.isArray();
                    case ANY -> true;
                };
                if (!ok && s.base() == TypeSpec.Base.INT && value.isFloatingPointNumber()
                        && value.doubleValue() == Math.rint(value.doubleValue())) {
                    out.add(new ValidationError(path, Reasons.COERCED, "int", describe(value), Severity.WARNING,
                            "Write " + path + " as an integer without a fraction."));
                    return;
                }
                if (!ok) {
                    out.add(mismatch(d, type, value, path));
                    return;
                }
                if (s.base() == TypeSpec.Base.DICT) checkFields(d, value, path, out);
            }
            case TypeSpec.ListOf l -> {
                if (!value.isArray()) {
                    out.add(mismatch(d, type, value, path));
                    return;
                }
                for (int i = 0; i < value.size(); i++) checkType(d, l.element(), value.get(i), path + "[" + i + "]", out);
            }
            case TypeSpec.DictOf m -> {
                if (!value.isObject()) {
                    out.add(mismatch(d, type, value, path));
                    return;
                }
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    String at = path + "." + e.getKey();
                    if (m.key().equals(TypeSpec.INT) && !isInteger(e.getKey())) {
                        out.add(new ValidationError(at, Reasons.TYPE_MISMATCH, "int key", "key '" + e.getKey() + "'",
                                Severity.ERROR, "Use integer keys in " + path + "."));
                    }
                    checkType(d, m.value(), e.getValue(), at, out);
                }
                if (!m.value().isObject()) checkFields(d, value, path, out);
            }
        }
    }

    private void checkFields(Deliverable d, JsonNode object, String path, List<ValidationError> out) {
        for (Deliverable f : d.fields()) {
            JsonNode child = object.get(f.name());
            String at = path + "." + f.name();
            if (child == null || child.isNull()) {
                if (f.required()) out.add(missing(f, at));
            } else {
                check(f, child, at, out);
            }
        }
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ValidationError missing(Deliverable d, String path) {
        return new ValidationError(path, Reasons.MISSING, d.type().toString(), "missing", Severity.ERROR,
                "Add '" + path + "' (" + d.type() + ")" + (d.description().isEmpty() ? "" : ": " + d.description())
                        + exampleHint(d));
    }

    private static ValidationError mismatch(Deliverable d, TypeSpec expected, JsonNode value, String path) {
        return new ValidationError(path, Reasons.TYPE_MISMATCH, expected.toString(), describe(value), Severity.ERROR,
                "Give " + path + " as " + expected + exampleHint(d));
    }

    private static String exampleHint(Deliverable d) {
        if (d.example() == null) return ".";
        String ex = d.example().toString();
        return ex.length() > 80 ? "." : ", e.g. " + ex + ".";
    }

    private static String names(List<Deliverable> ds) {
        return ds.stream().map(Deliverable::name).toList().toString();
    }

    /** A short description of a JSON value: its type and (abridged) content, e.g. {@code str 'high'}. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        if (v.isBoolean()) return "bool " + v.booleanValue();
        if (v.isIntegralNumber()) return "int " + v.asText();
        if (v.isNumber()) return "float " + v.asText();
        if (v.isTextual()) {
            String s = v.textValue();
            return "str '" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'";
        }
        if (v.isArray()) return "list of " + v.size();
        return "dict with keys " + abridgedKeys(v);
    }

    private static String abridgedKeys(JsonNode v) {
        List<String> keys = new ArrayList<>();
        v.fieldNames().forEachRemaining(k -> { if (keys.size() < 6) keys.add(k); });
        return keys + (v.size() > 6 ? " (+" + (v.size() - 6) + ")" : "");
    }
}
