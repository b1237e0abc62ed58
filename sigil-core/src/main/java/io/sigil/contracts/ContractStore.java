package io.sigil.contracts;

import java.util.List;

/**
 * Contracts that can be written, over the bundled templates: the embedded adapter is {@link FileContractRegistry}
 * (one YAML file per version in {@code contracts.dir}); sigil-postgres keeps them in its {@code contracts} table.
 * Both pass {@code ContractStoreConformance}.
 *
 * <p>Rules every adapter keeps: a stored contract of a template's name overrides the template; a version, once
 * stored, is never overwritten (store a higher one); the latest version is the highest in dotted-number order
 * ({@link #VERSION_ORDER}, 1.10.0 after 1.9.2).
 */
public interface ContractStore extends ContractRegistry {

    /** Dotted versions compared part by part, numerically where both parts are numbers. */
    java.util.Comparator<String> VERSION_ORDER = FileContractRegistry.VERSION_ORDER;

    /**
     * Stores a new version of a contract; an invalid contract, or a version that is already stored, is an
     * {@link io.sigil.errors.InvalidInputError}.
     */
    void add(Contract contract);

    /**
     * Removes every stored version of {@code name}, or only {@code version} when given, and returns the versions
     * removed: none when nothing of that name is stored (a bundled template is never stored, so it stays).
     */
    List<String> remove(String name, String version);

    /** All versions of a name, ascending: the stored ones, else the template's. */
    List<String> versions(String name);

    /** Every stored contract version (templates excluded), by name, then version ascending. */
    List<Contract> stored();
}
