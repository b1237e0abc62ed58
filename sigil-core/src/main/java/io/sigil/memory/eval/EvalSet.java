package io.sigil.memory.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.errors.InvalidInputError;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Scope;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A retrieval test set in the JSONL form of {@code sigil memory eval}: a corpus, one
 * {@code {"id", "text", "scope"?, "timestamp"?, "conversation"?}} a line, and queries, one
 * {@code {"query", "scope"?, "category"?, "asked_at"?, "relevant": [ids]}} a line. Corpus lines with the same conversation id are,
 * in file order, the consecutive turns of one conversation; a query's category (e.g. single-hop, temporal) groups
 * the figures.
 */
public record EvalSet(List<Doc> corpus, List<Query> queries) {

    /** @param conversation the conversation the turn belongs to, or null */
    public record Doc(String id, String text, Scope scope, Instant timestamp, String conversation) {
        public Doc(String id, String text, Scope scope, Instant timestamp) { this(id, text, scope, timestamp, null); }
    }

    /**
     * @param category the kind of question ({@link #UNCATEGORISED} when the file gives none)
     * @param askedAt  when the question is asked ("last week" is resolved against it); null: a minute after the
     *                 scope's last stored turn ({@link Evaluator})
     */
    public record Query(String query, Scope scope, Set<String> relevant, String category, Instant askedAt) {
        public Query(String query, Scope scope, Set<String> relevant, String category) {
            this(query, scope, relevant, category, null);
        }

        public Query(String query, Scope scope, Set<String> relevant) { this(query, scope, relevant, UNCATEGORISED); }
    }

    public static final String UNCATEGORISED = "all";

    public static EvalSet load(Path corpusFile, Path queriesFile) {
        var corpus = new ArrayList<Doc>();
        var ids = new HashSet<String>();
        forEachLine(corpusFile, (line, json) -> {
            String id = text(json, "id", corpusFile, line);
            if (!ids.add(id)) throw bad(corpusFile, line, "duplicate id '" + id + "'");
            Instant ts = json.hasNonNull("timestamp") ? parseInstant(json.get("timestamp").asText(), corpusFile, line) : null;
            String conversation = json.hasNonNull("conversation") ? json.get("conversation").asText() : null;
            corpus.add(new Doc(id, text(json, "text", corpusFile, line), Scope.parse(json.path("scope").asText(null)), ts,
                    conversation == null || conversation.isBlank() ? null : conversation));
        });
        var queries = new ArrayList<Query>();
        forEachLine(queriesFile, (line, json) -> {
            var relevant = new HashSet<String>();
            for (JsonNode r : json.path("relevant")) relevant.add(r.asText());
            if (relevant.isEmpty()) throw bad(queriesFile, line, "'relevant' must list at least one corpus id");
            String category = json.hasNonNull("category") && !json.get("category").asText().isBlank()
                    ? json.get("category").asText().strip() : UNCATEGORISED;
            Instant askedAt = json.hasNonNull("asked_at") ? askedAt(json.get("asked_at").asText(), queriesFile, line) : null;
            queries.add(new Query(text(json, "query", queriesFile, line), Scope.parse(json.path("scope").asText(null)),
                    Set.copyOf(relevant), category, askedAt));
        });
        if (corpus.isEmpty()) throw new InvalidInputError("The corpus " + corpusFile + " is empty", "one JSON object a line");
        if (queries.isEmpty()) throw new InvalidInputError("The query file " + queriesFile + " is empty", "one JSON object a line");
        return new EvalSet(List.copyOf(corpus), List.copyOf(queries));
    }

    private interface LineHandler { void accept(int line, JsonNode json); }

    private static void forEachLine(Path file, LineHandler handler) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new InvalidInputError("Cannot read " + file + ": it is not UTF-8 text", "pass a JSONL file");
        } catch (IOException e) {
            throw new InvalidInputError("Cannot read " + file + ": " + e.getMessage(), "check the path",
                    Map.of("file", file.toString()), false, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode json;
            try {
                json = MemoryJson.MAPPER.readTree(lines.get(i));
            } catch (IOException e) {
                throw bad(file, i + 1, "not valid JSON");
            }
            if (!json.isObject()) throw bad(file, i + 1, "expected a JSON object");
            handler.accept(i + 1, json);
        }
    }

    private static String text(JsonNode json, String field, Path file, int line) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) throw bad(file, line, "missing '" + field + "'");
        return v.asText();
    }

    private static Instant parseInstant(String s, Path file, int line) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw bad(file, line, "timestamp '" + s + "' is not ISO-8601 (e.g. 2026-01-10T10:00:00Z)");
        }
    }

    private static Instant askedAt(String s, Path file, int line) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw bad(file, line, "asked_at '" + s + "' is not an ISO-8601 date-time in UTC (e.g. 2026-01-17T09:30:00Z)");
        }
    }

    private static InvalidInputError bad(Path file, int line, String what) {
        return new InvalidInputError(file + ":" + line + ": " + what,
                "corpus lines are {\"id\", \"text\", \"scope\"?, \"timestamp\"?, \"conversation\"?}; query lines are "
                        + "{\"query\", \"scope\"?, \"category\"?, \"asked_at\"?, \"relevant\": [ids]}");
    }
}
