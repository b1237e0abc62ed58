package io.sigil.memory.eval;

import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FriendsChatDevSetTest {
    @Test
    void sameSeedSameSetOtherSeedOtherSet() {
        EvalSet set = FriendsChatDevSet.generate(3, 2);
        assertThat(FriendsChatDevSet.generate(3, 2)).isEqualTo(set);
        assertThat(FriendsChatDevSet.generate(4, 2)).isNotEqualTo(set);
    }

    @Test
    void everyAnswerIsATurnOfTheQuestionsOwnConversation() {
        EvalSet set = FriendsChatDevSet.generate(11, 3);
        Map<String, EvalSet.Doc> byId = set.corpus().stream()
                .collect(Collectors.toMap(EvalSet.Doc::id, Function.identity()));
        // 2 friends x 4 threads x 3 events, plus some whole-thread questions, per conversation
        assertThat(set.queries().size()).isBetween(3 * 24, 3 * 32);
        for (EvalSet.Query q : set.queries()) {
            assertThat(q.relevant().size()).isIn(1, 3);
            for (String id : q.relevant()) {
                EvalSet.Doc turn = byId.get(id);
                assertThat(turn).as(id).isNotNull();
                assertThat(turn.scope()).isEqualTo(q.scope()).isNotEqualTo(Scope.GLOBAL);
                // an answer is an event a friend told, never a greeting or small talk
                assertThat(turn.text().length()).as(turn.text()).isGreaterThan(30);
            }
        }
        assertThat(set.corpus()).allSatisfy(d -> assertThat(d.text()).matches("[A-Z][a-z]+: .+"));
    }

    @Test
    void writtenFilesLoadBackWithScopes(@TempDir Path dir) throws Exception {
        EvalSet set = FriendsChatDevSet.generate(5, 2);
        ConversationDevSet.write(set, dir);
        EvalSet read = EvalSet.load(dir.resolve("corpus.jsonl"), dir.resolve("queries.jsonl"));
        assertThat(read.corpus()).isEqualTo(set.corpus());
        assertThat(read.queries()).isEqualTo(set.queries());
    }
}
