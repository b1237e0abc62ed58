package io.sigil.postgres;

import io.sigil.memory.Embedder;

import java.util.List;
import java.util.Locale;

/**
 * A small deterministic embedder for tests that exercise the projection, not retrieval quality: each word adds one
 * to the dimension its hash picks. Cheap enough for child processes that must start quickly.
 */
final class HashEmbedder implements Embedder {
    static final int DIMENSION = 32;

    @Override
    public String model() { return "test-word-hash-32"; }

    @Override
    public int dimension() { return DIMENSION; }

    @Override
    public List<float[]> embed(List<String> texts) {
        return texts.stream().map(HashEmbedder::vector).toList();
    }

    private static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!w.isEmpty()) v[Math.floorMod(w.hashCode(), DIMENSION)] += 1;
        }
        v[0] += 0.01f; // never the zero vector
        return v;
    }
}
