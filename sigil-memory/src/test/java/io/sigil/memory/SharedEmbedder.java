package io.sigil.memory;

import io.sigil.memory.embed.OnnxEmbedder;

/**
 * One quantized MiniLM for all tests of a JVM: loading the ONNX model costs about a second, so tests share it.
 * Never closed (daemon threads), which is harmless in a test JVM.
 */
public final class SharedEmbedder {
    private static volatile Embedder instance;

    private SharedEmbedder() { }

    public static Embedder get() {
        Embedder e = instance;
        if (e == null) {
            synchronized (SharedEmbedder.class) {
                if (instance == null) instance = OnnxEmbedder.miniLmQuantized();
                e = instance;
            }
        }
        return e;
    }
}
