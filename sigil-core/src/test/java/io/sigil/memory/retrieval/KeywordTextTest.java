package io.sigil.memory.retrieval;

import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeywordTextTest {

    private static MemoryItem item(String content, Map<String, String> metadata, Instant at) {
        return new MemoryItem("i1", null, content, "general", 1, metadata, Scope.GLOBAL, at);
    }

    @Test
    void holdsTheContentTheDateInWordsTheSpeakerAndTheContext() {
        var at = Instant.parse("2023-03-15T18:00:00Z");
        String text = KeywordText.of(item("Yes, we named her Pixel.",
                Map.of(KeywordText.SPEAKER, "Maya", KeywordText.CONTEXT, "Sam: Did you adopt the corgi?"), at));
        assertThat(text.lines().toList()).containsExactly("Yes, we named her Pixel.", "Maya",
                "Wednesday 15 March 2023", "Sam: Did you adopt the corgi?");
    }

    @Test
    void aSpeakerAlreadyInTheContentAndAnItemWithoutTimeAddNothing() {
        assertThat(KeywordText.of(item("Maya: hi", Map.of(KeywordText.SPEAKER, "Maya"), Instant.EPOCH)))
                .isEqualTo("Maya: hi");
    }

    @Test
    void theContextIsTheLastTurnsOfTheWindowEachCut() {
        var turns = List.of("one", "two", "three", "a very long fourth turn");
        assertThat(KeywordText.context(turns, 2, 10)).isEqualTo("three\na very lon");
        assertThat(KeywordText.context(turns, 9, 100)).isEqualTo("one\ntwo\nthree\na very long fourth turn");
        assertThat(KeywordText.context(turns, 0, 100)).isEmpty();
        assertThat(KeywordText.context(List.of(), 3, 100)).isEmpty();
    }
}
