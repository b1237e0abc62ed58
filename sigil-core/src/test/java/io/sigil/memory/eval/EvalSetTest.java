package io.sigil.memory.eval;

import io.sigil.errors.InvalidInputError;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.KeywordText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalSetTest {

    @Test
    void conversationsAreIngestedAsConsecutiveTurnsWithTheirPrecedingTurnsAsContext(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("c.jsonl"), queries = dir.resolve("q.jsonl");
        Files.writeString(corpus, """
                {"id":"a1","text":"Sam: Did you get the corgi?","conversation":"a","timestamp":"2023-03-15T18:00:00Z"}
                {"id":"b1","text":"Other chat","conversation":"b"}
                {"id":"a2","text":"Maya: Yes, named her Pixel.","conversation":"a"}
                {"id":"a3","text":"Sam: Cute!","conversation":"a"}
                {"id":"x","text":"No conversation"}
                """);
        Files.writeString(queries, """
                {"query":"What is the corgi called?","category":"single-hop","relevant":["a2"]}
                {"query":"Anything?","relevant":["x"]}
                """);
        EvalSet set = EvalSet.load(corpus, queries);
        assertThat(set.corpus()).extracting(EvalSet.Doc::conversation).containsExactly("a", "b", "a", "a", null);
        assertThat(set.queries()).extracting(EvalSet.Query::category).containsExactly("single-hop", EvalSet.UNCATEGORISED);

        List<MemoryItem> one = Evaluator.items(set, 1);
        assertThat(one.get(2).metadata()).containsEntry(KeywordText.CONTEXT, "Sam: Did you get the corgi?")
                .containsEntry(KeywordText.CONVERSATION, "a");
        assertThat(one.get(3).metadata()).containsEntry(KeywordText.CONTEXT, "Maya: Yes, named her Pixel.");
        assertThat(one.get(1).metadata()).doesNotContainKey(KeywordText.CONTEXT); // first turn of b: nothing before
        assertThat(one.get(4).metadata()).isEmpty();
        assertThat(one.get(2).content()).isEqualTo("Maya: Yes, named her Pixel."); // the item is still the turn itself

        assertThat(Evaluator.items(set, 2).get(3).metadata().get(KeywordText.CONTEXT))
                .isEqualTo("Sam: Did you get the corgi?\nMaya: Yes, named her Pixel.");
        assertThat(Evaluator.items(set, 0).get(2).metadata()).doesNotContainKey(KeywordText.CONTEXT);
    }

    @Test
    void aQuestionMayCarryWhenItIsAskedOtherwiseItIsAskedAfterTheScopesLastTurn(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("c.jsonl"), queries = dir.resolve("q.jsonl");
        Files.writeString(corpus, """
                {"id":"a1","text":"Sam: Back from Porto!","scope":"user:sam","timestamp":"2025-03-15T18:00:00Z"}
                {"id":"a2","text":"Sam: Got a kitten.","scope":"user:sam","timestamp":"2025-04-02T18:00:00Z"}
                """);
        Files.writeString(queries, """
                {"query":"What did Sam say last week?","scope":"user:sam","asked_at":"2025-03-19T09:30:00Z","relevant":["a1"]}
                {"query":"What did Sam get?","scope":"user:sam","relevant":["a2"]}
                """);
        EvalSet set = EvalSet.load(corpus, queries);
        assertThat(set.queries()).extracting(EvalSet.Query::askedAt)
                .containsExactly(Instant.parse("2025-03-19T09:30:00Z"), null);
        assertThat(Evaluator.askedAt(set)).containsEntry(Scope.user("sam"), Instant.parse("2025-04-02T18:01:00Z"));

        Files.writeString(queries, "{\"query\":\"q\",\"asked_at\":\"last Tuesday\",\"relevant\":[\"a1\"]}\n");
        assertThatThrownBy(() -> EvalSet.load(corpus, queries)).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("q.jsonl:1").hasMessageContaining("asked_at 'last Tuesday'")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void aBadLineNamesTheFileTheLineAndTheFormat(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("c.jsonl"), queries = dir.resolve("q.jsonl");
        Files.writeString(corpus, "{\"id\":\"a\",\"text\":\"t\"}\n");
        Files.writeString(queries, "{\"query\":\"q\",\"category\":\"temporal\",\"relevant\":[]}\n");
        assertThatThrownBy(() -> EvalSet.load(corpus, queries)).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("q.jsonl:1").hasMessageContaining("'relevant'");
    }
}
