package io.sigil.guard;

import io.sigil.memory.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A deterministic stand-in for MiniLM in unit tests: hashed bag of words, unit length; counts its calls. */
final class WordHashEmbedder implements Embedder {
    static final int DIMENSION = 16;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger texts = new AtomicInteger();
    volatile boolean broken;

    @Override
    public String model() { return "word-hash-16"; }

    @Override
    public int dimension() { return DIMENSION; }

    @Override
    public List<float[]> embed(List<String> batch) {
        if (broken) throw new IllegalStateException("model file damaged");
        calls.incrementAndGet();
        texts.addAndGet(batch.size());
        var out = new ArrayList<float[]>();
        for (String t : batch) {
            float[] v = new float[DIMENSION];
            for (String w : t.toLowerCase(Locale.ROOT).split("\\W+")) {
                if (!w.isEmpty()) v[Math.floorMod(w.hashCode(), DIMENSION)] += 1;
            }
            out.add(Embedder.normalize(v));
        }
        return out;
    }
}
