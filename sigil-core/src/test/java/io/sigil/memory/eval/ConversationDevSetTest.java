package io.sigil.memory.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationDevSetTest {
    @Test
    void sameSeedSameSetAndEveryAnswerIsACorpusTurn(@TempDir Path dir) throws Exception {
        EvalSet set = ConversationDevSet.generate(7, 5);
        assertThat(ConversationDevSet.generate(7, 5)).isEqualTo(set);
        var ids = set.corpus().stream().map(EvalSet.Doc::id).collect(Collectors.toSet());
        assertThat(set.queries()).hasSize(5 * 8).allSatisfy(q -> assertThat(ids).containsAll(q.relevant()));

        ConversationDevSet.write(set, dir);
        EvalSet read = EvalSet.load(dir.resolve("corpus.jsonl"), dir.resolve("queries.jsonl"));
        assertThat(read.corpus()).hasSameSizeAs(set.corpus());
        assertThat(read.queries()).isEqualTo(set.queries());
    }
}
