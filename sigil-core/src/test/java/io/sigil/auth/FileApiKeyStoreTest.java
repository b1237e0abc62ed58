package io.sigil.auth;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The API key store conformance suite on the file store (a store per call, as separate processes would have). */
class FileApiKeyStoreTest extends ApiKeyStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected ApiKeyStore store() { return new FileApiKeyStore(dir); }
}
