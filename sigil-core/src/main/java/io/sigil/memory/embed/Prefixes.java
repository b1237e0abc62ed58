package io.sigil.memory.embed;

import java.util.Locale;
import java.util.Objects;

/**
 * What an asymmetric embedding model expects before a query and before a stored text. e5 models were trained on
 * {@code "query: "} / {@code "passage: "} pairs (without them e5 retrieves clearly worse); bge English v1.5 models
 * take an instruction before short queries and nothing before passages; MiniLM and most others take neither.
 */
public record Prefixes(String query, String passage) {
    public static final Prefixes NONE = new Prefixes("", "");
    public static final Prefixes E5 = new Prefixes("query: ", "passage: ");
    public static final Prefixes BGE_EN = new Prefixes("Represent this sentence for searching relevant passages: ", "");

    public Prefixes {
        query = Objects.requireNonNullElse(query, "");
        passage = Objects.requireNonNullElse(passage, "");
    }

    /** The prefixes a model of this name was trained with, guessed from the name (e5, bge-*-en); none otherwise. */
    public static Prefixes forModel(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (m.matches(".*(^|[^a-z0-9])e5([^0-9].*|$)")) return E5;
        if (m.contains("bge") && m.contains("en")) return BGE_EN;
        return NONE;
    }
}
