package io.sigil.tools;


/**
 * Tool output is data from outside Sigil (web pages, files, other systems) and may contain text written to
 * steer the model. Before it goes back to a model it is capped and wrapped by the injection guard's
 * {@link io.sigil.guard.UntrustedContent}: a labelled block that cannot be closed from inside, introduced by
 * a reminder that it is data, not instructions.
 */
public final class UntrustedContent {
    /** sigil-design.md section 11: tool results longer than 4000 chars are cut. */
    public static final int DEFAULT_MAX_CHARS = 4000;

    /**
     * The guard's wrapper: every {@code <}/{@code >} look-alike inside the data is escaped, the end marker carries
     * an id derived from the content, and data that itself looks like an injection is flagged in the header.
     * Immutable, so one serves every call.
     */
    private static final io.sigil.guard.UntrustedContent WRAPPER =
            new io.sigil.guard.UntrustedContent(new io.sigil.guard.RuleBasedDetector());

    private UntrustedContent() { }

    /** The first {@code maxChars} characters of {@code text}, never splitting a surrogate pair. */
    public static String cap(String text, int maxChars) {
        if (text.length() <= maxChars) return text;
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end);
    }

    static String wrap(String tool, String output, boolean isError, boolean truncated, int originalLength) {
        String data = truncated ? output + "\n[truncated: first " + output.length() + " of " + originalLength
                + " characters]" : output;
        return WRAPPER.wrap(tool, isError ? "[the tool reported an error]\n" + data : data);
    }
}
