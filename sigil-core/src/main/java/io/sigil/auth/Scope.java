package io.sigil.auth;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a credential may do. {@link #ADMIN} satisfies every other scope. */
public enum Scope {
    AGENTS_READ("agents:read"),
    AGENTS_WRITE("agents:write"),
    RUNS_EXECUTE("runs:execute"),
    SESSIONS_READ("sessions:read"),
    MEMORY_READ("memory:read"),
    MEMORY_WRITE("memory:write"),
    CONTRACTS_READ("contracts:read"),
    CONTRACTS_WRITE("contracts:write"),
    ADMIN("admin");

    private final String wire;

    Scope(String wire) { this.wire = wire; }

    /** The name used in tokens, keys, the CLI and error messages, e.g. {@code agents:read}. */
    @JsonValue
    public String wire() { return wire; }

    @Override
    public String toString() { return wire; }

    public static Optional<Scope> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    public static String allWireNames() {
        return Arrays.stream(values()).map(Scope::wire).collect(Collectors.joining(", "));
    }

    /**
     * Parses a comma- or space-separated list typed by a person (CLI); an unknown name is an error there.
     *
     * @throws IllegalArgumentException naming the unknown scope
     */
    public static Set<Scope> parseList(String list) {
        Set<Scope> scopes = new LinkedHashSet<>();
        for (String part : list.split("[,\\s]+")) {
            if (part.isBlank()) continue;
            scopes.add(fromWire(part.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown scope '" + part.trim() + "' (known: " + allWireNames() + ")")));
        }
        return Set.copyOf(scopes);
    }

    public static List<String> wireNames(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wire).toList();
    }
}
