package io.sigil.memory.retrieval;

import java.util.Locale;
import java.util.Set;

/**
 * Drops the words of a question that say how it is asked rather than what it is about ("what", "did", "you",
 * "tell me about") before the query goes to BM25. Lucene's English stop words cover articles and prepositions but
 * not these, and in conversational memories they match small talk ("what's new with you?") instead of the answer.
 * Measured in docs/memory.md: recall@10 of BM25 rises by 0.02 to 0.03 on both development sets.
 */
public final class QuestionWords {
    private static final Set<String> WORDS = Set.of("what", "when", "where", "who", "whom", "whose", "why", "which",
            "how", "did", "does", "do", "done", "has", "have", "had", "was", "were", "is", "are", "am", "can", "could",
            "would", "should", "will", "you", "your", "yours", "i", "me", "my", "we", "us", "our", "tell", "told",
            "about", "any", "some", "kind", "sort", "there", "been", "being", "get", "got");

    private QuestionWords() { }

    /** The query without question words; the query itself when nothing else would be left. */
    public static String strip(String query) {
        var out = new StringBuilder();
        for (String word : query.trim().split("\\s+")) {
            String bare = word.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", "").replaceAll("'s$", "");
            if (!WORDS.contains(bare)) {
                if (!out.isEmpty()) out.append(' ');
                out.append(word);
            }
        }
        return out.toString().isBlank() ? query : out.toString();
    }
}
