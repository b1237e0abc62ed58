package io.sigil.memory.embed;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.memory.Embedder;

/** Picks the embedder the memory settings name. */
public final class Embedders {
    private Embedders() { }

    /**
     * {@code all-minilm-l6-v2}, {@code all-minilm-l6-v2-q}, {@code e5-small-v2-q} and {@code bge-small-en-v1.5-q}
     * run locally; any other model name needs {@code embedding_base_url} (an OpenAI-compatible endpoint),
     * authenticated with the OpenAI API key if set, with the query/passage prefixes its name implies
     * ({@link Prefixes#forModel}).
     */
    public static Embedder fromSettings(Settings.Memory memory, Settings.Llm llm) {
        String model = memory.embeddingModelName();
        if (memory.embeddingBaseUrl() == null || memory.embeddingBaseUrl().isBlank()) {
            if (OnnxEmbedder.supports(model)) return OnnxEmbedder.of(model);
            throw new ConfigError("Embedding model '" + model + "' is not available locally",
                    "use one of " + String.join(", ", OnnxEmbedder.NAMES) + ", or set memory.embedding_base_url to "
                            + "an OpenAI-compatible embeddings endpoint that serves it");
        }
        return new HttpEmbedder(memory.embeddingBaseUrl(), model, llm.openaiApiKey(), llm.timeout());
    }
}
