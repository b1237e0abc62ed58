package io.sigil.memory.retrieval;

import io.sigil.memory.MemoryItem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text an item is found by in keyword (BM25) search, as opposed to the text its vector is made of (the item's
 * content alone: embedding the context too made vectors worse). Besides the content it holds the speaker, the date
 * the item was said in words ("Wednesday 15 March 2023") so that "what did Maya say in March" matches, and the
 * preceding turns of its conversation that the ingester attached ({@link #CONTEXT}), so that a reply ("Yes, it was
 * Pixel!") is found by the words of the question it answers. Search results still return the item itself.
 */
public final class KeywordText {
    /** Metadata key of the speaker of a turn, when the content does not start with it. */
    public static final String SPEAKER = "speaker";
    /** Metadata key of the preceding turns of the same conversation (bounded by the ingester). */
    public static final String CONTEXT = "context";
    /** Metadata key of a conversation's id; turns with the same id were ingested in order. */
    public static final String CONVERSATION = "conversation";

    private static final DateTimeFormatter DATE_WORDS =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private KeywordText() { }

    /** Content, speaker, date in words and context, one per line; the content alone when there is nothing else. */
    public static String of(MemoryItem item) {
        var parts = new ArrayList<String>(4);
        parts.add(item.content());
        String speaker = item.metadata().get(SPEAKER);
        if (speaker != null && !speaker.isBlank() && !item.content().startsWith(speaker)) parts.add(speaker);
        String date = dateWords(item.createdAt());
        if (date != null) parts.add(date);
        String context = item.metadata().get(CONTEXT);
        if (context != null && !context.isBlank()) parts.add(context);
        return String.join("\n", parts);
    }

    /** The day in words, or null for the epoch (an item that came without a time). */
    public static String dateWords(Instant at) {
        if (at == null || at.equals(Instant.EPOCH)) return null;
        return DATE_WORDS.format(at);
    }

    /**
     * The context text for a turn: the last {@code window} turns before it, oldest first, each cut to
     * {@code maxChars} characters so one long turn cannot flood the field.
     */
    public static String context(List<String> precedingTurns, int window, int maxChars) {
        if (window <= 0 || precedingTurns.isEmpty()) return "";
        int from = Math.max(0, precedingTurns.size() - window);
        var out = new StringBuilder();
        for (String t : precedingTurns.subList(from, precedingTurns.size())) {
            if (!out.isEmpty()) out.append('\n');
            out.append(t.length() > maxChars ? t.substring(0, maxChars) : t);
        }
        return out.toString();
    }
}
