package io.sigil.memory;

import io.sigil.errors.InvalidInputError;

import java.util.Arrays;
import java.util.Locale;

/** What a resource (memory layer 1) is: the raw material items are extracted from. */
public enum ResourceType {
    CONVERSATION, DOCUMENT, CONFIG, FEEDBACK;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static ResourceType parse(String text) {
        for (ResourceType t : values()) if (t.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) return t;
        throw new InvalidInputError("Unknown resource type '" + text + "'",
                "use one of " + Arrays.stream(values()).map(ResourceType::wireName).toList());
    }
}
