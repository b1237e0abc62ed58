package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sigil.contracts.rules.Rule;
import io.sigil.contracts.rules.RuleSyntaxError;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads contract definitions from YAML or JSON (by extension; YAML is a superset, so other names are read as
 * YAML). Every problem of a file is reported at once with its {@code file:line} and path: unknown keys, bad
 * types, rules that do not parse, wrong value kinds. The definition is then linted by {@link ContractChecks}.
 */
public final class ContractLoader {
    private static final Set<String> CONTRACT_KEYS = Set.of("name", "description", "deliverables", "constraints",
            "failure_strategy", "max_retries", "version", "metadata");
    private static final Set<String> DELIVERABLE_KEYS = Set.of("name", "type", "description", "required", "rules",
            "example", "enum", "json_schema", "fields");
    private static final Set<String> CONSTRAINT_KEYS = Set.of("max_input_tokens", "max_output_tokens",
            "max_total_tokens", "max_tool_calls", "timeout_seconds", "warn_threshold");

    private final int defaultMaxRetries;
    private final FailureStrategy defaultStrategy;

    /** Defaults for contracts that leave max_retries or failure_strategy out (settings contracts.*). */
    public ContractLoader(int defaultMaxRetries, FailureStrategy defaultStrategy) {
        this.defaultMaxRetries = defaultMaxRetries;
        this.defaultStrategy = defaultStrategy;
    }

    public ContractLoader() { this(Contract.DEFAULT_MAX_RETRIES, FailureStrategy.RETRY); }

    /** Reads and lints a file; definition errors are in the result's issues (not thrown) so they can be listed. */
    public LoadedContract read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NotFoundError("Contract file " + file + " does not exist", "Check the path.");
        } catch (IOException e) {
            throw new InvalidInputError("Cannot read contract file " + file + ": " + e.getMessage(), "Check the file's permissions.");
        }
        return read(text, file.toString());
    }

    /** Reads and lints a definition; throws {@link InvalidInputError} listing every problem when it is not usable. */
    public LoadedContract load(Path file) { return requireUsable(read(file)); }

    public LoadedContract load(String text, String sourceName) { return requireUsable(read(text, sourceName)); }

    private static LoadedContract requireUsable(LoadedContract c) {
        if (!c.hasErrors()) return c;
        throw new InvalidInputError("Contract definition " + c.source().file() + " is invalid:\n  "
                + String.join("\n  ", c.describeIssues()), "Fix the listed lines; 'sigil contracts check <file>' lints a file.");
    }

    public LoadedContract read(String text, String sourceName) {
        JsonFactory factory = sourceName.endsWith(".json") ? Json.MAPPER.getFactory() : new YAMLFactory();
        LocatedTree tree;
        try {
            tree = LocatedTree.read(factory, text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputError(sourceName + ":" + e.getLocation().getLineNr() + ": malformed "
                    + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": " + e.getOriginalMessage(),
                    "Fix the syntax at that line (indentation, quotes, colons).");
        } catch (IOException e) {
            throw new InvalidInputError("Cannot read " + sourceName + ": " + e.getMessage());
        }
        ContractSource source = new ContractSource(sourceName, tree.lines);
        if (!tree.root.isObject()) {
            throw new InvalidInputError(sourceName + ": a contract definition must be a mapping with name and deliverables",
                    "Start the file with 'name: my_contract' and a 'deliverables:' list.");
        }
        Reader r = new Reader(source);
        Contract contract = r.contract(tree.root);
        if (!r.problems.isEmpty()) {
            throw new ContractDefinitionError("Contract definition " + sourceName + " is invalid:\n  "
                    + String.join("\n  ", r.problems), "Fix the listed lines; see docs/contracts.md for the format.",
                    r.issues);
        }
        return new LoadedContract(contract, source, ContractChecks.check(contract));
    }

    /** Turns the tree into a contract, collecting problems instead of stopping at the first. */
    private final class Reader {
        private final ContractSource source;
        private final List<String> problems = new ArrayList<>();
        private final List<ContractIssue> issues = new ArrayList<>();

        Reader(ContractSource source) { this.source = source; }

        Contract contract(JsonNode root) {
            unknownKeys(root, "", CONTRACT_KEYS);
            String name = text(root, "name", "", null);
            if (name == null) problem("name", "missing 'name'");
            List<Deliverable> deliverables = deliverables(root.get("deliverables"), "deliverables");
            Constraints constraints = constraints(root.get("constraints"));
            FailureStrategy strategy = defaultStrategy;
            String s = text(root, "failure_strategy", "", null);
            if (s != null) {
                try {
                    strategy = FailureStrategy.parse(s);
                } catch (IllegalArgumentException e) {
                    problem("failure_strategy", e.getMessage());
                }
            }
            int retries = (int) number(root, "max_retries", "", defaultMaxRetries, true);
            JsonNode v = root.get("version");
            String version = v == null || v.isNull() ? Contract.DEFAULT_VERSION : v.asText();
            Map<String, Object> metadata = new LinkedHashMap<>();
            JsonNode md = root.get("metadata");
            if (md != null && !md.isNull()) {
                if (!md.isObject()) problem("metadata", "metadata must be a mapping");
                else md.properties().forEach(e -> metadata.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class)));
            }
            return new Contract(name == null ? "" : name, text(root, "description", "", ""), deliverables, constraints,
                    strategy, retries, version, metadata);
        }

        private List<Deliverable> deliverables(JsonNode node, String path) {
            List<Deliverable> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                if (path.equals("deliverables")) problem(path, "missing 'deliverables' (a list of fields the output must have)");
                return out;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Deliverable d = deliverable(node.get(i), null, path + "[" + i + "]");
                    if (d != null) out.add(d);
                }
            } else if (node.isObject()) {
                // Mapping form: {score: {type: int, ...}, ...}
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    Deliverable d = deliverable(e.getValue(), e.getKey(), path + "." + e.getKey());
                    if (d != null) out.add(d);
                }
            } else {
                problem(path, "must be a list of deliverables");
            }
            return out;
        }

        private Deliverable deliverable(JsonNode node, String key, String path) {
            if (node == null || !node.isObject()) {
                problem(path, "a deliverable must be a mapping with name and type");
                return null;
            }
            unknownKeys(node, path, DELIVERABLE_KEYS);
            String name = key != null ? key : text(node, "name", path, null);
            if (name == null) {
                problem(path, "deliverable without 'name'");
                name = "";
            }
            String typeText = text(node, "type", path, "any");
            TypeSpec type = TypeSpec.ANY;
            try {
                type = TypeSpec.parse(typeText);
            } catch (IllegalArgumentException e) {
                problem(at(path, "type"), e.getMessage());
            }
            JsonNode req = node.get("required");
            boolean required = true;
            if (req != null && !req.isNull()) {
                if (!req.isBoolean()) problem(at(path, "required"), "required must be true or false, got " + req);
                else required = req.booleanValue();
            }
            List<Rule> rules = new ArrayList<>();
            JsonNode rs = node.get("rules");
            if (rs != null && !rs.isNull()) {
                if (rs.isTextual()) rs = Json.MAPPER.createArrayNode().add(rs);
                if (!rs.isArray()) {
                    problem(at(path, "rules"), "rules must be a list of expressions");
                } else {
                    for (int i = 0; i < rs.size(); i++) {
                        String rp = at(path, "rules") + "[" + i + "]";
                        if (!rs.get(i).isTextual()) {
                            problem(rp, "a rule must be a string expression, got " + rs.get(i));
                            continue;
                        }
                        try {
                            rules.add(Rule.parse(rs.get(i).textValue()));
                        } catch (RuleSyntaxError e) {
                            problem(rp, e.getMessage().replace("\n", "\n      "));
                        }
                    }
                }
            }
            List<JsonNode> allowed = new ArrayList<>();
            JsonNode en = node.get("enum");
            if (en != null && !en.isNull()) {
                if (!en.isArray() || en.isEmpty()) problem(at(path, "enum"), "enum must be a non-empty list of allowed values");
                else en.forEach(allowed::add);
            }
            DeliverableSchema schema = null;
            JsonNode js = node.get("json_schema");
            if (js != null && !js.isNull()) {
                try {
                    schema = DeliverableSchema.of(js);
                } catch (RuntimeException e) {
                    problem(at(path, "json_schema"), "invalid JSON Schema: " + e.getMessage());
                }
            }
            List<Deliverable> fields = node.has("fields") ? deliverables(node.get("fields"), at(path, "fields")) : List.of();
            JsonNode example = node.get("example");
            return new Deliverable(name, type, text(node, "description", path, ""), required, rules, allowed, schema,
                    example == null || example.isNull() ? null : example, fields);
        }

        private Constraints constraints(JsonNode node) {
            if (node == null || node.isNull()) return Constraints.NONE;
            if (!node.isObject()) {
                problem("constraints", "constraints must be a mapping");
                return Constraints.NONE;
            }
            unknownKeys(node, "constraints", CONSTRAINT_KEYS);
            long in = (long) number(node, "max_input_tokens", "constraints", 0, true);
            long out = (long) number(node, "max_output_tokens", "constraints", 0, true);
            long total = (long) number(node, "max_total_tokens", "constraints", 0, true);
            int tools = (int) number(node, "max_tool_calls", "constraints", 0, true);
            double timeout = number(node, "timeout_seconds", "constraints", 0, false);
            double warn = number(node, "warn_threshold", "constraints", 0.8, false);
            try {
                return new Constraints(in, out, total, tools, timeout, warn);
            } catch (IllegalArgumentException e) {
                problem("constraints", e.getMessage());
                return Constraints.NONE;
            }
        }

        private double number(JsonNode node, String key, String path, double dflt, boolean integral) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) return dflt;
            if (!v.isNumber() || (integral && !v.isIntegralNumber())) {
                problem(at(path, key), key + " must be " + (integral ? "an integer" : "a number") + ", got " + v);
                return dflt;
            }
            return v.doubleValue();
        }

        private String text(JsonNode node, String key, String path, String dflt) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) return dflt;
            if (!v.isValueNode() || v.isBoolean()) {
                problem(at(path, key), key + " must be a string, got " + v);
                return dflt;
            }
            return v.asText();
        }

        private void unknownKeys(JsonNode node, String path, Set<String> known) {
            node.fieldNames().forEachRemaining(k -> {
                if (!known.contains(k)) {
                    problem(at(path, k), "unknown key '" + k + "'; known keys: " + known.stream().sorted().toList());
                }
            });
        }

        private void problem(String path, String message) {
            problems.add(source.locate(path) + ": " + path + ": " + message);
            issues.add(new ContractIssue(ContractIssue.Severity.ERROR, path, message));
        }

        private static String at(String path, String key) { return path.isEmpty() ? key : path + "." + key; }
    }
}
