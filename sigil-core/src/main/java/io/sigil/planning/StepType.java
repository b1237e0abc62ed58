package io.sigil.planning;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a plan step does (sigil-design.md section 7). */
public enum StepType {
    /** Call one tool with fixed arguments. */
    TOOL_CALL,
    /** Think with a reasoning strategy. */
    REASONING,
    /** A grouping step whose dependents may run in parallel; it completes when its dependencies do. */
    PARALLEL_GROUP,
    /** Reason about whether a condition holds; its answer is passed to dependents. */
    CONDITIONAL,
    /** Recall memories relevant to the step description. */
    MEMORY_QUERY;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static StepType fromWireName(String name) {
        for (StepType t : values()) if (t.wireName().equals(name)) return t;
        throw new IllegalArgumentException("unknown step type '" + name + "' (allowed: " + allowed() + ")");
    }

    public static String allowed() {
        return Arrays.stream(values()).map(StepType::wireName).collect(Collectors.joining(", "));
    }
}
