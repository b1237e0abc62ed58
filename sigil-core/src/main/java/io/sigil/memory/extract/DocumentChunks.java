package io.sigil.memory.extract;

import io.sigil.memory.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document's chunks, each with what the chunk alone lacks for keyword search, as conversation turns get their
 * preceding turns: the document's title, the heading of the section the chunk falls under and the end of the chunk
 * before it. That context goes to the chunk's keyword text only ({@code KeywordText.CONTEXT}); its vector and what
 * search returns and cites stay the chunk itself.
 */
public final class DocumentChunks {
    /** How much of the previous chunk is kept: its last characters, which lead into this chunk. */
    public static final int PREVIOUS_CHARS = 300;

    /** A markdown heading ("# Title", "## Pricing") on its own line. */
    private static final Pattern HEADING = Pattern.compile("(?m)^\\s{0,3}#{1,6}\\s+(\\S.*?)\\s*#*\\s*$");
    /** A file name's extension, dropped from a title taken from the file name. */
    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,5}$");

    /** One chunk and its keyword context (title, section, previous chunk's end; lines, each only when known). */
    public record Chunk(String text, String context) { }

    private DocumentChunks() { }

    public static List<Chunk> of(Resource document, int maxChars) {
        String content = document.content();
        List<String> texts = Chunker.chunk(content, maxChars);
        List<int[]> headings = headings(content);
        String title = title(document, headings, content);
        var out = new ArrayList<Chunk>(texts.size());
        int from = 0;
        String previous = null;
        for (String text : texts) {
            int at = locate(content, text, from);
            // The chunker only ever shortens whitespace, so the next chunk starts at or after this.
            if (at >= 0) from = at + text.length();
            String section = section(content, headings, at >= 0 ? at : from);
            var context = new ArrayList<String>(3);
            if (title != null && !text.startsWith(title)) context.add(title);
            if (section != null && !text.startsWith(section) && !section.equals(title)) context.add(section);
            if (previous != null) context.add(tail(previous));
            out.add(new Chunk(text, String.join("\n", context)));
            previous = text;
        }
        return out;
    }

    /** Metadata {@code title}, else the file name without its extension, else the first heading; null if none. */
    static String title(Resource document, List<int[]> headings, String content) {
        String t = document.metadata().get("title");
        if (t != null && !t.isBlank()) return t.strip();
        String file = document.metadata().get("file");
        if (file != null && !file.isBlank()) {
            String name = file.replace('\\', '/');
            name = name.substring(name.lastIndexOf('/') + 1);
            name = EXTENSION.matcher(name).replaceFirst("").replace('_', ' ').replace('-', ' ').strip();
            if (!name.isEmpty()) return name;
        }
        return headings.isEmpty() ? null : text(content, headings.getFirst());
    }

    /** The last heading before {@code at} (one the chunk starts with is in its text already); null if none. */
    private static String section(String content, List<int[]> headings, int at) {
        String found = null;
        for (int[] h : headings) {
            if (h[0] >= at) break;
            found = text(content, h);
        }
        return found;
    }

    /** Start of the heading line and its text's bounds, in document order. */
    private static List<int[]> headings(String content) {
        var out = new ArrayList<int[]>();
        Matcher m = HEADING.matcher(content);
        while (m.find()) out.add(new int[] {m.start(), m.start(1), m.end(1)});
        return out;
    }

    private static String text(String content, int[] heading) {
        return content.substring(heading[1], heading[2]).strip();
    }

    /**
     * Where a chunk starts in the document, searching from {@code from}: by its first line (the chunker may have
     * re-joined the rest with other whitespace); -1 when not found.
     */
    private static int locate(String content, String chunk, int from) {
        int nl = chunk.indexOf('\n');
        String probe = chunk.substring(0, Math.min(nl < 0 ? chunk.length() : nl, 60));
        int at = content.indexOf(probe, from);
        return at >= 0 ? at : content.indexOf(probe);
    }

    private static String tail(String text) {
        if (text.length() <= PREVIOUS_CHARS) return text;
        int cut = text.indexOf(' ', text.length() - PREVIOUS_CHARS);
        return text.substring(cut < 0 || cut >= text.length() - 1 ? text.length() - PREVIOUS_CHARS : cut + 1);
    }
}
