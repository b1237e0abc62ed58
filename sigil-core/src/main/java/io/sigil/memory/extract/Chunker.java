package io.sigil.memory.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long text into chunks of at most {@code maxChars}, on paragraph, then line, then sentence, then word
 * boundaries, so a huge document becomes many model-sized pieces instead of one request that cannot fit.
 */
public final class Chunker {
    public static final int DEFAULT_MAX_CHARS = 1500;

    private Chunker() { }

    public static List<String> chunk(String text, int maxChars) {
        var out = new ArrayList<String>();
        split(text.strip(), maxChars, 0, out);
        return out;
    }

    private static final String[] SEPARATORS = {"\n\\s*\n", "\n", "(?<=[.!?])\\s+", "\\s+"};

    private static void split(String text, int max, int level, List<String> out) {
        if (text.isBlank()) return;
        if (text.length() <= max) {
            out.add(text.strip());
            return;
        }
        if (level == SEPARATORS.length) {
            for (int i = 0; i < text.length(); i += max) out.add(text.substring(i, Math.min(text.length(), i + max)));
            return;
        }
        var current = new StringBuilder();
        String joiner = level == 0 ? "\n\n" : level == 1 ? "\n" : " ";
        for (String part : text.split(SEPARATORS[level])) {
            if (part.isBlank()) continue;
            if (part.length() > max) {
                flush(current, out);
                split(part, max, level + 1, out);
            } else if (current.length() + joiner.length() + part.length() > max) {
                flush(current, out);
                current.append(part);
            } else {
                if (!current.isEmpty()) current.append(joiner);
                current.append(part);
            }
        }
        flush(current, out);
    }

    private static void flush(StringBuilder current, List<String> out) {
        if (!current.isEmpty()) out.add(current.toString().strip());
        current.setLength(0);
    }
}
