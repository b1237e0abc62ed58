package io.sigil.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.llm.OutputSchema;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model-given scores (ToT 0-10, MCTS 0-100). Scores are asked for as JSON {@code {"score": n}} through an output
 * schema, and read leniently: the JSON field, else a number after the word "score", else a reply that is just a
 * number, else "n/max" or "n out of max". A score outside 0..max or not found is unparseable: the caller uses
 * the neutral middle value and notes it in the trace.
 */
final class Scores {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AFTER_WORD = Pattern.compile("(?i)score\\W{0,10}?(\\d{1,3}(?:\\.\\d+)?)");
    private static final Pattern ONLY_NUMBER = Pattern.compile("^\\s*(\\d{1,3}(?:\\.\\d+)?)\\s*\\.?\\s*$");
    private static final Pattern OUT_OF = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*(?:/|out of)\\s*(\\d{1,3})");

    private Scores() { }

    static OutputSchema schema(int max) {
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        s.putObject("properties").putObject("score").put("type", "integer").put("minimum", 0).put("maximum", max);
        s.putArray("required").add("score");
        s.put("additionalProperties", false);
        return new OutputSchema("score_0_" + max, s);
    }

    static OptionalDouble parse(String reply, int max) {
        String text = reply == null ? "" : reply.strip();
        OptionalDouble json = fromJson(text);
        if (json.isPresent()) return inRange(json.getAsDouble(), max);
        Matcher m = AFTER_WORD.matcher(text);
        if (m.find()) return inRange(Double.parseDouble(m.group(1)), max);
        m = ONLY_NUMBER.matcher(text);
        if (m.find()) return inRange(Double.parseDouble(m.group(1)), max);
        m = OUT_OF.matcher(text);
        if (m.find() && Integer.parseInt(m.group(2)) == max) return inRange(Double.parseDouble(m.group(1)), max);
        return OptionalDouble.empty();
    }

    private static OptionalDouble fromJson(String text) {
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open < 0 || close <= open) return OptionalDouble.empty();
        try {
            JsonNode score = JSON.readTree(text.substring(open, close + 1)).path("score");
            return score.isNumber() ? OptionalDouble.of(score.asDouble()) : OptionalDouble.empty();
        } catch (java.io.IOException e) {
            return OptionalDouble.empty();
        }
    }

    private static OptionalDouble inRange(double v, int max) {
        return v >= 0 && v <= max ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
