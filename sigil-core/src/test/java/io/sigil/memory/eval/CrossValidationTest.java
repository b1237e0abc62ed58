package io.sigil.memory.eval;

import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.RetrievalMode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CrossValidationTest {

    /** Four conversations (scopes), two queries each; the first two are "general", the others "temporal". */
    private static EvalSet set() {
        var corpus = new ArrayList<EvalSet.Doc>();
        var queries = new ArrayList<EvalSet.Query>();
        for (int c = 0; c < 4; c++) {
            Scope scope = Scope.parse("user:c" + c);
            for (int t = 0; t < 2; t++) {
                corpus.add(new EvalSet.Doc("c" + c + "-t" + t, "turn", scope, Instant.EPOCH, "c" + c));
                queries.add(new EvalSet.Query("q", scope, Set.of("c" + c + "-t" + t), c < 2 ? "general" : "temporal"));
            }
        }
        return new EvalSet(corpus, queries);
    }

    private static Evaluator.Scores scores(double... recall) {
        return new Evaluator.Scores(recall, recall.clone(), recall.clone(), new double[recall.length],
                Map.of(RetrievalMode.RAG, recall.length));
    }

    @Test
    void eachFoldIsScoredWithTheSettingChosenOnTheOtherFolds() {
        // A is perfect on conversations 0 and 1 and useless on 2 and 3; B the reverse, but weaker.
        var a = new CrossValidation.Candidate("A", scores(1, 1, 1, 1, 0, 0, 0, 0));
        var b = new CrossValidation.Candidate("B", scores(0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5));
        var result = CrossValidation.run(set(), List.of(a, b), 2);

        assertThat(result.groupedBy()).isEqualTo("scope");
        // Fold 1 holds conversations 0 and 2, fold 2 holds 1 and 3: A wins training in both (0.5 vs 0.25).
        assertThat(result.perFold()).extracting(CrossValidation.Fold::chosen).containsExactly("A", "A");
        assertThat(result.perFold().getFirst().test().queries()).isEqualTo(4);
        assertThat(result.perFold().getFirst().test().recall()).isEqualTo(0.5);
        assertThat(result.pooled().queries()).isEqualTo(8);
        assertThat(result.pooled().recall()).isEqualTo(0.5);
        assertThat(result.perCategory().get("general").recall()).isEqualTo(1.0);
        assertThat(result.perCategory().get("temporal").recall()).isEqualTo(0.0);
        assertThat(result.candidatesOnAll().get("B").recall()).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void aSettingThatOnlyWinsOnTheHeldOutFoldIsNotChosenForIt() {
        // C is best on conversation 3 only; with 4 folds, conversation 3's fold must not see it win.
        var c = new CrossValidation.Candidate("C", scores(0, 0, 0, 0, 0, 0, 1, 1));
        var d = new CrossValidation.Candidate("D", scores(0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.2, 0.2));
        var result = CrossValidation.run(set(), List.of(c, d), 4);
        assertThat(result.perFold().get(3).chosen()).isEqualTo("D");
        assertThat(result.perFold().get(3).test().recall()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void withFewerScopesThanFoldsItGroupsByConversation() {
        var global = new ArrayList<EvalSet.Query>();
        for (EvalSet.Query q : set().queries()) global.add(new EvalSet.Query(q.query(), Scope.GLOBAL, q.relevant(), q.category()));
        var set = new EvalSet(set().corpus(), global);
        var result = CrossValidation.run(set, List.of(new CrossValidation.Candidate("A", scores(1, 1, 1, 1, 0, 0, 0, 0))), 2);
        assertThat(result.groupedBy()).isEqualTo("conversation");
        assertThat(result.perFold()).allSatisfy(f -> assertThat(f.test().queries()).isEqualTo(4));
    }

    @Test
    void anIdWithoutConversationFallsBackToItsPrefix() {
        assertThat(CrossValidation.conversationOf("summit-dental-c1-t12")).isEqualTo("summit-dental-c1");
        assertThat(CrossValidation.conversationOf("doc7")).isEqualTo("doc7");
    }
}
