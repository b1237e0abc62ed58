package io.sigil.routing;

import io.sigil.errors.InvalidInputError;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a request asks for (sigil-design.md section 5), with the handler that serves it. */
public enum Intent {
    CREATE_AGENT("create_agent", "builder"),
    RUN_AGENT("run_agent", "executor"),
    QUERY_MEMORY("query_memory", "memory_query"),
    MODIFY_AGENT("modify_agent", "agent_modifier"),
    SYSTEM_COMMAND("system_command", "system_command"),
    GENERAL_CHAT("general_chat", "chat");

    private final String wireName;
    private final String handler;

    Intent(String wireName, String handler) {
        this.wireName = wireName;
        this.handler = handler;
    }

    /** The name used in events, JSON and prompts, e.g. {@code create_agent}. */
    public String wireName() { return wireName; }

    public String handler() { return handler; }

    /** Agent and memory intents recall memories; system commands and chat do not. */
    public boolean needsMemory() {
        return this == CREATE_AGENT || this == RUN_AGENT || this == QUERY_MEMORY || this == MODIFY_AGENT;
    }

    public static Intent fromWireName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Intent i : values()) if (i.wireName.equals(wanted)) return i;
        throw new InvalidInputError("unknown intent '" + name + "'",
                "use one of: " + Arrays.stream(values()).map(Intent::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() { return wireName; }
}
