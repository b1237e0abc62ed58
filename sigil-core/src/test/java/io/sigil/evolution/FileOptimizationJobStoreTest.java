package io.sigil.evolution;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The optimisation job store conformance suite on files. */
class FileOptimizationJobStoreTest extends OptimizationJobStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected OptimizationJobStore store() { return new FileOptimizationJobStore(dir); }
}
