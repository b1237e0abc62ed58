package io.sigil.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The result of loading: the effective {@link Settings}, every key's value with the source that gave it, and the
 * warnings (unknown keys, conflicting names) that did not stop loading.
 */
public record LoadedConfig(Settings settings, List<ResolvedValue> values, List<ConfigIssue> warnings) {

    /** A key's effective value (typed as {@link ValueType#parse} returns it) and where it came from. */
    public record ResolvedValue(ConfigKey key, Object value, ValueSource source) {
        /** The value as shown to people: secrets masked, unset as "". */
        public String shown() { return key.show(value); }
    }

    public LoadedConfig {
        values = List.copyOf(values);
        warnings = List.copyOf(warnings);
    }

    public Map<String, ResolvedValue> byKey() {
        return values.stream().collect(Collectors.toMap(v -> v.key().key(), Function.identity()));
    }

    public ResolvedValue value(String key) {
        return values.stream().filter(v -> v.key().key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown key " + key));
    }
}
