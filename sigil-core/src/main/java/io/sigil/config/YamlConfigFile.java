package io.sigil.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML configuration file into dotted keys with the line each value is on. Nested mappings become dotted
 * keys ({@code llm: model:} is {@code llm.model}); the guide's top-level {@code sigil:} root is optional;
 * sequences of scalars become lists, sequences of mappings JSON text. The streaming parser is used so every value keeps its line number.
 */
public final class YamlConfigFile {

    /** One value: its dotted key (without the {@code sigil.} root) and where it is. */
    public record Entry(String key, String value, int line) { }

    public record Result(List<Entry> entries, List<ConfigIssue> problems) { }

    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final ObjectMapper TREES = new ObjectMapper(YAML);
    private static final String ROOT = "sigil";

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<ConfigIssue> problems = new ArrayList<>();

    private YamlConfigFile(Path file) {
        this.file = file;
    }

    public static Result read(Path file, Path shownAs) throws IOException {
        var reader = new YamlConfigFile(shownAs);
        try (JsonParser p = YAML.createParser(Files.newBufferedReader(file))) {
            JsonToken first = p.nextToken();
            if (first != null && first != JsonToken.VALUE_NULL) {
                if (first != JsonToken.START_OBJECT) {
                    reader.problem(p.currentTokenLocation(), "the file must be a mapping of keys (llm: model: ...)");
                } else {
                    reader.readMapping(p, "");
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            reader.problem(at, "not valid YAML: " + e.getOriginalMessage());
        }
        return new Result(List.copyOf(reader.entries.values()), List.copyOf(reader.problems));
    }

    private void readMapping(JsonParser p, String prefix) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String path = prefix.isEmpty() && name.equals(ROOT) ? "" : prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                readMapping(p, path);
            } else if (t == JsonToken.START_ARRAY) {
                readList(p, path);
            } else {
                put(path, scalar(p), p.currentTokenLocation());
            }
        }
    }

    private void readList(JsonParser p, String path) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        var items = new ArrayList<String>();
        var tree = JsonNodeFactory.instance.arrayNode();
        boolean nested = false;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                nested = true;
                tree.add((com.fasterxml.jackson.databind.JsonNode) TREES.readTree(p));
            } else {
                items.add("\"" + scalar(p) + "\"");
                tree.add(scalar(p));
            }
        }
        // A list of mappings (mcp.servers) reaches the key's type as JSON; plain lists keep the ["a", "b"] form.
        put(path, nested ? tree.toString() : "[" + String.join(", ", items) + "]", at);
    }

    private static String scalar(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? "" : p.getText();
    }

    private void put(String key, String value, JsonLocation at) {
        Entry before = entries.put(key, new Entry(key, value, at.getLineNr()));
        if (before != null) {
            problems.add(ConfigIssue.warning(key, new ValueSource.YamlFile(file, at.getLineNr()), null,
                    "set twice (also on line " + before.line() + "); the later value wins"));
        }
    }

    private void problem(JsonLocation at, String message) {
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        problems.add(ConfigIssue.error(null, new ValueSource.YamlFile(file, line), null, message));
    }
}
