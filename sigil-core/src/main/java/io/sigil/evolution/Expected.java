package io.sigil.evolution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/** What a test case expects of the output besides the contract: one of four closed kinds. */
public sealed interface Expected {

    /** The kind as written in case files: {@code exact}, {@code contains}, {@code json_subset}, {@code judge}. */
    String kind();

    /** The answer text (or the output's JSON) equals {@code text}, ignoring surrounding whitespace. */
    record Exact(String text) implements Expected {
        public Exact { Objects.requireNonNull(text, "text"); }
        public String kind() { return "exact"; }
    }

    /** The output contains every one of {@code needles} (case-insensitive); scored by the share found. */
    record Contains(List<String> needles) implements Expected {
        public Contains { needles = List.copyOf(needles); }
        public String kind() { return "contains"; }
    }

    /** Every field of {@code subset} appears in the output with the same value; scored by the share of leaves matched. */
    record JsonSubset(JsonNode subset) implements Expected {
        public JsonSubset { Objects.requireNonNull(subset, "subset"); }
        public String kind() { return "json_subset"; }
    }

    /** A model grades the output against {@code rubric} from 0 to 1; passes at {@link #PASS} or more. */
    record Judge(String rubric) implements Expected {
        public static final double PASS = 0.7;
        public Judge { Objects.requireNonNull(rubric, "rubric"); }
        public String kind() { return "judge"; }
    }
}
