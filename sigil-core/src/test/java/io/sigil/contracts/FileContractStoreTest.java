package io.sigil.contracts;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract store conformance suite on the file store (one YAML file per version). */
class FileContractStoreTest extends ContractStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected ContractStore store() { return new FileContractRegistry(dir, loader, new ContractTemplates(loader)); }
}
