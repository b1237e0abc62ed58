package io.sigil.memory.extract;

/** One item an extractor found in a resource, before it is stored. */
public record Extracted(String content, String category, double confidence) { }
