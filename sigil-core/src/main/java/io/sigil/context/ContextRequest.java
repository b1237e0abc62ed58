package io.sigil.context;

import io.sigil.llm.Message;

import java.util.List;
import java.util.Objects;

/**
 * Everything that could go into one prompt, before budgeting.
 *
 * @param workingMemory route decision, plan steps, step results of this run (most important first)
 * @param memories      recalled long-term memories, best first
 * @param history       earlier turns of the session, oldest first (user and assistant messages)
 * @param toolResults   tool outputs for this step, oldest first; untrusted data
 */
public record ContextRequest(String system, String task, List<String> workingMemory, List<String> memories,
                             List<Message> history, List<String> toolResults) {
    public ContextRequest {
        system = system == null ? "" : system;
        Objects.requireNonNull(task, "task");
        workingMemory = List.copyOf(workingMemory);
        memories = List.copyOf(memories);
        history = List.copyOf(history);
        toolResults = List.copyOf(toolResults);
    }

    public static ContextRequest of(String system, String task) {
        return new ContextRequest(system, task, List.of(), List.of(), List.of(), List.of());
    }
}
