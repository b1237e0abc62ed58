package io.sigil.context;

/**
 * Estimates tokens before a call, and learns from the provider's real counts after it. Starts at 4 characters
 * a token (sigil-design.md section 11) and moves toward the observed ratio, so budgets track the real
 * tokenizer of whichever model is in use. Thread-safe.
 */
public final class TokenCounter {
    private static final double DEFAULT_CHARS_PER_TOKEN = 4.0;
    private static final double LEARNING_RATE = 0.2;

    private double charsPerToken = DEFAULT_CHARS_PER_TOKEN;

    public synchronized int estimate(String text) {
        if (text == null || text.isEmpty()) return 0;
        return (int) Math.max(1, Math.ceil(text.length() / charsPerToken));
    }

    /** Feeds back the provider's input token count for a prompt of {@code promptChars} characters. */
    public synchronized void observe(long promptChars, long actualInputTokens) {
        if (promptChars < 200 || actualInputTokens <= 0) return; // too small to say anything about the ratio
        double observed = (double) promptChars / actualInputTokens;
        observed = Math.max(1.0, Math.min(8.0, observed));
        charsPerToken += LEARNING_RATE * (observed - charsPerToken);
    }

    public synchronized double charsPerToken() { return charsPerToken; }

    /** The longest prefix of {@code text} that fits {@code tokens}, cut at a word boundary where possible. */
    public synchronized String cut(String text, int tokens) {
        int chars = (int) Math.floor(tokens * charsPerToken);
        if (text.length() <= chars) return text;
        if (chars <= 0) return "";
        int space = text.lastIndexOf(' ', chars);
        return text.substring(0, space > chars / 2 ? space : chars);
    }
}
