package io.sigil.memory;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. The default is the local
 * all-MiniLM-L6-v2 model ({@code OnnxEmbedder} in sigil-memory); an OpenAI-compatible endpoint is the
 * alternative ({@link io.sigil.memory.embed.HttpEmbedder}).
 */
public interface Embedder extends AutoCloseable {

    /** The model name recorded in an index; vectors of different models never mix. */
    String model();

    int dimension();

    /**
     * Embeds many stored texts (items, chunks) at once (implementations batch and parallelise), in order. Models
     * trained with a passage prefix (e5's {@code passage: }) get it here.
     */
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) { return embed(List.of(text)).getFirst(); }

    /**
     * Embeds a search query. Asymmetric models mark queries differently from stored texts (e5 {@code query: },
     * bge's search instruction); symmetric ones embed both alike, which is the default.
     */
    default float[] embedQuery(String query) { return embed(query); }

    /** Whether {@link #embedQuery} differs from {@link #embed} (a prefix or instruction for one side). */
    default boolean asymmetric() { return false; }

    @Override
    default void close() { }

    /** Scales a vector to unit length in place (zero vectors stay zero) and returns it. */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) sum += x * x;
        if (sum == 0) return v;
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }
}
