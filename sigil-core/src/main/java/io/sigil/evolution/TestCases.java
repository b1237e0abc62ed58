package io.sigil.evolution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes an agent's test cases: {@code cases.yaml} (a list, or a mapping with {@code cases:}) or
 * {@code cases.jsonl} (one case a line) in the agent's evolution directory {@code <agents_dir>/<agent>.evolution/}.
 * Every problem of a file is reported at once with the case it concerns.
 *
 * <pre>
 * - input: "Acme, 200 staff, VP Sales, 50k budget approved, wants it live next quarter"
 *   expected: {json_subset: {bant_assessment: {budget: "..."}}}   # or exact / contains / judge
 *   weight: 2
 *   contract: false        # judge by expected only (default: the agent's contract judges too)
 * </pre>
 */
public final class TestCases {
    public static final String YAML_FILE = "cases.yaml";
    public static final String JSONL_FILE = "cases.jsonl";
    private static final Set<String> FIELDS = Set.of("id", "input", "expected", "weight", "contract");
    private static final Set<String> KINDS = Set.of("exact", "contains", "json_subset", "judge");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestCases() { }

    /** The evolution directory of an agent: its cases and (file store) versions. */
    public static Path dir(Path agentsDir, String agent) { return agentsDir.resolve(agent + ".evolution"); }

    /** The cases of {@code agent}: both files when both exist (YAML first). */
    public static List<TestCase> load(Path agentsDir, String agent) {
        Path dir = dir(agentsDir, agent);
        List<TestCase> out = new ArrayList<>();
        Path yaml = dir.resolve(YAML_FILE);
        Path jsonl = dir.resolve(JSONL_FILE);
        if (Files.isRegularFile(yaml)) out.addAll(parseYaml(read(yaml), yaml.toString()));
        if (Files.isRegularFile(jsonl)) out.addAll(parseJsonl(read(jsonl), jsonl.toString()));
        if (out.isEmpty()) {
            throw new NotFoundError("Agent '" + agent + "' has no test cases (looked for " + yaml + " and " + jsonl + ")",
                    "Write cases there (see docs/evolution.md), or make them from recorded sessions:"
                            + " sigil evolve cases " + agent + " --from-sessions");
        }
        checkUniqueIds(out);
        return List.copyOf(out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Cases of a YAML (or JSON) document: a list of cases, or {@code {cases: [...]}}. */
    public static List<TestCase> parseYaml(String text, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidInputError(origin + " is not valid YAML" + (loc == null ? "" : " (line " + loc.getLineNr()
                    + ")") + ": " + e.getOriginalMessage(), "Fix the syntax; see docs/evolution.md for the format.");
        }
        if (root != null && root.isObject() && root.has("cases")) root = root.get("cases");
        if (root == null || !root.isArray()) {
            throw new InvalidInputError(origin + " must be a list of cases (or a mapping with 'cases:')",
                    "Each case needs at least 'input'; see docs/evolution.md.");
        }
        List<String> problems = new ArrayList<>();
        List<TestCase> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            TestCase c = fromTree(root.get(i), "case " + (i + 1), problems);
            if (c != null) out.add(c);
        }
        failOn(problems, origin);
        return out;
    }

    /** Cases of a JSONL document: one JSON object a line; blank lines and lines starting with # are skipped. */
    public static List<TestCase> parseJsonl(String text, String origin) {
        List<String> problems = new ArrayList<>();
        List<TestCase> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = "line " + (i + 1);
            try {
                TestCase c = fromTree(JSON.readTree(line), where, problems);
                if (c != null) out.add(c);
            } catch (JsonProcessingException e) {
                problems.add(where + ": not valid JSON: " + e.getOriginalMessage());
            }
        }
        failOn(problems, origin);
        return out;
    }

    private static void failOn(List<String> problems, String origin) {
        if (!problems.isEmpty()) {
            throw new InvalidInputError("Test cases in " + origin + " are invalid: " + String.join("; ", problems),
                    "Each case is {input, expected?, weight?, contract?}; see docs/evolution.md.");
        }
    }

    private static TestCase fromTree(JsonNode node, String where, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(where + ": must be a mapping with at least 'input'");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) problems.add(where + ": unknown field '" + f + "' (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
        }
        JsonNode input = node.get("input");
        if (input == null || !input.isTextual() || input.asText().isBlank()) problems.add(where + ": 'input' must be a non-empty text");
        double weight = 1.0;
        JsonNode w = node.get("weight");
        if (w != null && (!w.isNumber() || !(w.asDouble() > 0))) problems.add(where + ": 'weight' must be a positive number");
        else if (w != null) weight = w.asDouble();
        String contract = null;
        boolean useContract = true;
        JsonNode c = node.get("contract");
        if (c != null) {
            if (c.isBoolean()) useContract = c.asBoolean();
            else if (c.isTextual() && !c.asText().isBlank()) contract = c.asText();
            else problems.add(where + ": 'contract' must be a contract name, or false to judge by 'expected' only");
        }
        Expected expected = expected(node.get("expected"), where, problems);
        if (expected == null && !useContract && problems.size() == before) {
            problems.add(where + ": has neither 'expected' nor a contract to judge it");
        }
        if (problems.size() > before) return null;
        String id = node.hasNonNull("id") ? node.get("id").asText() : where.replace(' ', '-');
        return new TestCase(id, input.asText(), expected, weight, contract, useContract);
    }

    private static Expected expected(JsonNode e, String where, List<String> problems) {
        if (e == null || e.isNull()) return null;
        if (e.isTextual()) return new Expected.Exact(e.asText());
        if (!e.isObject() || e.size() != 1 || !KINDS.contains(e.fieldNames().next())) {
            problems.add(where + ": 'expected' must be a text or a mapping with one of exact, contains, json_subset, judge");
            return null;
        }
        String kind = e.fieldNames().next();
        JsonNode v = e.get(kind);
        switch (kind) {
            case "exact" -> {
                if (v.isValueNode()) return new Expected.Exact(v.asText());
            }
            case "contains" -> {
                List<String> needles = new ArrayList<>();
                if (v.isTextual()) needles.add(v.asText());
                else if (v.isArray()) v.forEach(n -> needles.add(n.asText()));
                if (!needles.isEmpty() && needles.stream().noneMatch(String::isBlank)) return new Expected.Contains(needles);
            }
            case "json_subset" -> {
                if (v.isContainerNode() && !v.isEmpty()) return new Expected.JsonSubset(v);
            }
            default -> {
                if (v.isTextual() && !v.asText().isBlank()) return new Expected.Judge(v.asText());
            }
        }
        problems.add(where + ": expected." + kind + " is " + switch (kind) {
            case "exact" -> "not a text";
            case "contains" -> "not a non-empty text or list of texts";
            case "json_subset" -> "not a non-empty mapping or list";
            default -> "not a non-empty rubric text";
        });
        return null;
    }

    private static void checkUniqueIds(List<TestCase> cases) {
        Set<String> seen = new HashSet<>();
        for (TestCase c : cases) {
            if (!seen.add(c.id())) {
                throw new InvalidInputError("Two test cases have the id '" + c.id() + "'",
                        "Give each case a unique 'id' (cases.yaml and cases.jsonl share one id space).");
            }
        }
    }

    /** One case as a JSON object, the form {@link #parseJsonl} reads. */
    public static ObjectNode toTree(TestCase c) {
        ObjectNode n = JSON.createObjectNode().put("id", c.id()).put("input", c.input());
        if (c.expected() != null) {
            ObjectNode e = n.putObject("expected");
            switch (c.expected()) {
                case Expected.Exact x -> e.put("exact", x.text());
                case Expected.Contains x -> {
                    ArrayNode a = e.putArray("contains");
                    x.needles().forEach(a::add);
                }
                case Expected.JsonSubset x -> e.set("json_subset", x.subset());
                case Expected.Judge x -> e.put("judge", x.rubric());
            }
        }
        if (c.weight() != 1.0) n.put("weight", c.weight());
        if (c.contract() != null) n.put("contract", c.contract());
        else if (!c.useContract()) n.put("contract", false);
        return n;
    }

    /** The cases as JSONL text. */
    public static String toJsonl(List<TestCase> cases) {
        StringBuilder sb = new StringBuilder();
        for (TestCase c : cases) sb.append(toTree(c)).append('\n');
        return sb.toString();
    }
}
