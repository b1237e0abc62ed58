package io.sigil.context;

/** Shortens text to about {@code maxTokens} while keeping what matters. */
@FunctionalInterface
public interface Summarizer {
    String summarize(String text, int maxTokens);
}
