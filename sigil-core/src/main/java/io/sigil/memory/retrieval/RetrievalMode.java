package io.sigil.memory.retrieval;

import io.sigil.errors.InvalidInputError;

import java.util.Arrays;
import java.util.Locale;

/**
 * How memories are found. {@code rag}, {@code llm} and {@code hybrid} are the modes of sigil-design.md section 9;
 * {@code keyword} (BM25 only) and {@code vector} (embeddings only) are the two halves of rag, exposed for
 * evaluation and diagnosis.
 */
public enum RetrievalMode {
    KEYWORD, VECTOR, RAG, LLM, HYBRID;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static RetrievalMode parse(String text) {
        for (RetrievalMode m : values()) if (m.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) return m;
        throw new InvalidInputError("Unknown retrieval mode '" + text + "'",
                "use one of " + Arrays.stream(values()).map(RetrievalMode::wireName).toList());
    }

    @Override
    public String toString() { return wireName(); }
}
