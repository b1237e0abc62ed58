package io.sigil.sessions;

/** Tokens a session spent, summed from its llm.called events. */
public record TokenUsage(long inputTokens, long outputTokens, int calls) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public long total() { return inputTokens + outputTokens; }

    public TokenUsage plus(long input, long output) { return new TokenUsage(inputTokens + input, outputTokens + output, calls + 1); }
}
