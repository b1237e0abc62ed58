package io.sigil.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A labelled evaluation set read from JSON Lines: one {@code {"text": string, "label": 0|1}} a line, 1 meaning
 * injection. Bad lines are collected with their line numbers and skipped, never fatal.
 *
 * @param examples the usable lines
 * @param problems the skipped lines, with the reason
 */
public record LabelledSet(List<Example> examples, List<Problem> problems) {

    public record Example(int line, String text, boolean injection) { }

    public record Problem(int line, String reason) { }

    public LabelledSet {
        examples = List.copyOf(examples);
        problems = List.copyOf(problems);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static LabelledSet read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundError("Labelled file not found: " + file,
                    "pass a JSON Lines file with one {\"text\": ..., \"label\": 0|1} object a line",
                    Map.of("path", file.toString()), false, null);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in.lines().toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputError("Cannot read " + file + " as UTF-8 text: " + e.getMessage(),
                    "check the file is readable UTF-8 JSON Lines", Map.of("path", file.toString()), false, e);
        }
    }

    public static LabelledSet parse(List<String> lines) {
        var examples = new ArrayList<Example>();
        var problems = new ArrayList<Problem>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                problems.add(new Problem(lineNo, "not valid JSON"));
                continue;
            }
            if (node == null || !node.isObject()) { problems.add(new Problem(lineNo, "not a JSON object")); continue; }
            JsonNode text = node.get("text");
            JsonNode label = node.get("label");
            if (text == null || !text.isTextual()) { problems.add(new Problem(lineNo, "\"text\" missing or not a string")); continue; }
            if (label == null || !label.isIntegralNumber() || (label.asInt() != 0 && label.asInt() != 1)) {
                problems.add(new Problem(lineNo, "\"label\" missing or not 0 or 1"));
                continue;
            }
            examples.add(new Example(lineNo, text.asText(), label.asInt() == 1));
        }
        return new LabelledSet(examples, problems);
    }
}
