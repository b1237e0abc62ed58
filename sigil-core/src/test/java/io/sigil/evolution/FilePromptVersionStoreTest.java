package io.sigil.evolution;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The version store conformance suite on files next to the agents. */
class FilePromptVersionStoreTest extends PromptVersionStoreConformance {
    @TempDir
    Path agentsDir;

    @Override
    protected PromptVersionStore store() { return new FilePromptVersionStore(agentsDir); }
}
