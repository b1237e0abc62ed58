package io.sigil.memory;

/** One item a search found, with the score of the search that found it (BM25, cosine or fused). */
public record Hit(MemoryItem item, double score) { }
