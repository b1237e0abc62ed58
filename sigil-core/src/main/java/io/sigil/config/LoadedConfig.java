package io.sigil.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The result of loading: the effective {@link Settings}, every key's value with the source that gave it, the
 * warnings (unknown keys, conflicting names) that did not stop loading, and the files that were read, in the
 * order of the search (for {@code sigil config show --sources}).
 */
public record LoadedConfig(Settings settings, List<ResolvedValue> values, List<ConfigIssue> warnings,
                           List<String> filesRead) {

    /** A key's effective value (typed as {@link ValueType#parse} returns it) and where it came from. */
    public record ResolvedValue(ConfigKey key, Object value, ValueSource source) {
        /** The value as shown to people: secrets masked, unset as "". */
        public String shown() { return key.show(value); }
    }

    public LoadedConfig {
        values = List.copyOf(values);
        warnings = List.copyOf(warnings);
        filesRead = List.copyOf(filesRead);
    }

    public LoadedConfig(Settings settings, List<ResolvedValue> values, List<ConfigIssue> warnings) {
        this(settings, values, warnings, List.of());
    }

    public Map<String, ResolvedValue> byKey() {
        return values.stream().collect(Collectors.toMap(v -> v.key().key(), Function.identity()));
    }

    public ResolvedValue value(String key) {
        return values.stream().filter(v -> v.key().key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown key " + key));
    }
}
