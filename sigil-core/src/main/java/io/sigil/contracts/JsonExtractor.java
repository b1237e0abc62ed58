package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the JSON object in a model's text: the whole text, else the body of a code fence, else the first balanced
 * {@code {...}} (skipping prose before and after). When that does not parse, one repair pass removes trailing
 * commas and turns single-quoted strings into double-quoted ones. The text is only ever parsed as JSON, never run.
 */
public final class JsonExtractor {
    private JsonExtractor() { }

    /** The object found, or null with the reason it could not be found. */
    public record Extraction(JsonNode value, boolean repaired, String problem) { }

    public static Extraction extract(String text) {
        if (text == null || text.isBlank()) return new Extraction(null, false, "empty response");
        String t = text.strip();
        JsonNode direct = parse(t);
        if (direct != null && direct.isObject()) return new Extraction(direct, false, null);

        String candidate = fenced(t);
        if (candidate == null) candidate = t;
        String object = balancedObject(candidate);
        if (object == null) {
            return new Extraction(null, false, "no JSON object in the response (starts: " + abridge(t) + ")");
        }
        JsonNode found = parse(object);
        if (found != null && found.isObject()) return new Extraction(found, false, null);
        JsonNode repaired = parse(repair(object));
        if (repaired != null && repaired.isObject()) return new Extraction(repaired, true, null);
        return new Extraction(null, false, "malformed JSON object: " + parseProblem(object));
    }

    private static JsonNode parse(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String parseProblem(String s) {
        try {
            Json.MAPPER.readTree(s);
            return "not an object";
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
    }

    /** The body of the first ``` fence (with or without a language tag), or null. */
    static String fenced(String t) {
        int open = t.indexOf("```");
        if (open < 0) return null;
        int bodyStart = t.indexOf('\n', open);
        if (bodyStart < 0) return null;
        int close = t.indexOf("```", bodyStart);
        return close < 0 ? t.substring(bodyStart + 1) : t.substring(bodyStart + 1, close);
    }

    /** The first {...} whose braces balance, ignoring braces inside strings (either quote), or null. */
    static String balancedObject(String t) {
        int start = t.indexOf('{');
        while (start >= 0) {
            int depth = 0;
            char quote = 0;
            for (int i = start; i < t.length(); i++) {
                char c = t.charAt(i);
                if (quote != 0) {
                    if (c == '\\') i++;
                    else if (c == quote) quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return t.substring(start, i + 1);
                }
            }
            start = t.indexOf('{', start + 1);
        }
        return null;
    }

    /** One repair pass: trailing commas dropped, 'single' quoted strings made "double" quoted. */
    static String repair(String s) {
        StringBuilder out = new StringBuilder(s.length());
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    if (quote == '\'' && n == '\'') out.append('\'');
                    else out.append(c).append(n);
                } else if (c == quote) {
                    out.append('"');
                    quote = 0;
                } else if (c == '"' && quote == '\'') {
                    out.append("\\\"");
                } else {
                    out.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                out.append('"');
            } else if (c == ',') {
                int j = i + 1;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                if (j < s.length() && (s.charAt(j) == '}' || s.charAt(j) == ']')) continue;
                out.append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String abridge(String t) {
        String one = t.replace('\n', ' ');
        return "'" + (one.length() > 60 ? one.substring(0, 57) + "..." : one) + "'";
    }
}
