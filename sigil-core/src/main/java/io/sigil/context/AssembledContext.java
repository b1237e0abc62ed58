package io.sigil.context;

import io.sigil.llm.Message;

import java.util.List;
import java.util.Map;

/**
 * A prompt that fits its budget, with a report of what each section used and what was done to make it fit.
 * {@code recalled} is the long-term memory that fit, as one untrusted-data block ("" when none); it is also in
 * the last user message, never in {@code system}.
 */
public record AssembledContext(String system, List<Message> messages, Map<ContextSection, SectionUsage> usage,
                               String recalled) {
    public AssembledContext(String system, List<Message> messages, Map<ContextSection, SectionUsage> usage) {
        this(system, messages, usage, "");
    }


    /** How one section fared. {@code before} and {@code after} are estimated tokens. */
    public record SectionUsage(int budget, int before, int after, Action action) { }

    /** What was done to a section (sigil-design.md section 11: truncate <= 1.2x, summarize < 2x, else prioritize). */
    public enum Action { KEPT, TRUNCATED, SUMMARIZED, PRIORITIZED }

    public AssembledContext {
        messages = List.copyOf(messages);
        usage = Map.copyOf(usage);
    }

    public int estimatedTokens() { return usage.values().stream().mapToInt(SectionUsage::after).sum(); }
}
