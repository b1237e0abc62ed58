package io.sigil.contracts;

import io.sigil.errors.NotFoundError;

import java.util.List;
import java.util.Optional;

/** Where contracts are looked up by name (and optionally version). */
public interface ContractRegistry {

    /** One entry per contract name: its latest version, where it comes from and all known versions. */
    record Entry(String name, String latestVersion, List<String> versions, String source, String description,
                 boolean template) { }

    List<Entry> list();

    /** The latest version of a contract. */
    Optional<Contract> find(String name);

    Optional<Contract> find(String name, String version);

    /** The latest version, or {@link NotFoundError} naming the known contracts. */
    default Contract get(String name) {
        return find(name).orElseThrow(() -> notFound(name, null));
    }

    default Contract get(String name, String version) {
        return find(name, version).orElseThrow(() -> notFound(name, version));
    }

    private NotFoundError notFound(String name, String version) {
        List<String> known = list().stream().map(Entry::name).toList();
        return new NotFoundError("Contract '" + name + "'" + (version == null ? "" : " version " + version)
                + " not found", "Known contracts: " + String.join(", ", known)
                + ". Add a YAML file to the contracts directory (SIGIL_CONTRACTS__DIR) or run 'sigil contracts list'.");
    }
}
