package io.sigil.memory.retrieval;

import io.sigil.errors.InvalidInputError;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

class FusionTest {
    private static Hit hit(String id, double score) {
        return new Hit(new MemoryItem(id, null, id, "general", 1, Map.of(), Scope.GLOBAL, Instant.EPOCH), score);
    }

    @Test
    void reciprocalRankSumsWeightedInverseRanksAndScalesTheBestPossibleToOne() {
        var fused = new Fusion.ReciprocalRank(60, 1, 1).fuse(
                List.of(hit("a", 9), hit("b", 5)), List.of(hit("b", 0.8), hit("c", 0.7)));

        assertThat(fused).extracting(h -> h.item().id()).containsExactly("b", "a", "c");
        double max = 2 / 61.0;
        assertThat(fused.get(0).score()).isCloseTo((1 / 62.0 + 1 / 61.0) / max, within(1e-9));
        assertThat(fused.get(1).score()).isCloseTo((1 / 61.0) / max, within(1e-9));
    }

    @Test
    void weightedScoreNormalisesEachListAndMissingCountsAsTheFloor() {
        var fusion = new Fusion.WeightedScore(0.5, Fusion.Normalization.MAX, Fusion.Normalization.MIN_MAX);
        var fused = fusion.fuse(
                List.of(hit("a", 10), hit("b", 5)),
                List.of(hit("b", 0.9), hit("c", 0.5), hit("a", 0.7)));

        // a: 0.5*1 + 0.5*0.5 = 0.75; b: 0.5*0.5 + 0.5*1 = 0.75; c: 0 + 0 = 0
        assertThat(fused).hasSize(3);
        assertThat(fused.get(2).item().id()).isEqualTo("c");
        assertThat(fused.get(2).score()).isCloseTo(0, within(1e-9));
        assertThat(fused.get(0).score()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void normalisationsMapToTheUnitInterval() {
        double[] s = {2, 4, 6};
        assertThat(Fusion.Normalization.MAX.apply(s)).containsExactly(2 / 6.0, 4 / 6.0, 1.0);
        assertThat(Fusion.Normalization.MIN_MAX.apply(s)).containsExactly(0.0, 0.5, 1.0);
        assertThat(Fusion.Normalization.Z_SCORE.apply(s)[1]).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void parsesTheFusionsNamedOnTheCommandLine() {
        assertThat(Fusion.parse("rrf", null)).isEqualTo(new Fusion.ReciprocalRank(60, 1, 1));
        assertThat(Fusion.parse("rrf:20", null)).isEqualTo(new Fusion.ReciprocalRank(20, 1, 1));
        assertThat(Fusion.parse(" RRF:60:2:1 ", null)).isEqualTo(new Fusion.ReciprocalRank(60, 2, 1));
        assertThat(Fusion.parse("weighted:0.7", null)).isEqualTo(new Fusion.WeightedScore(0.7));
        assertThat(Fusion.parse("weighted:0.6:z_score:minmax", null)).isEqualTo(
                new Fusion.WeightedScore(0.6, Fusion.Normalization.Z_SCORE, Fusion.Normalization.MIN_MAX));
        assertThat(Fusion.parse("default", Retriever.DEFAULT_FUSION)).isSameAs(Retriever.DEFAULT_FUSION);
    }

    @Test
    void theDefaultFusionFollowsTheEmbeddingModel() {
        // e5's vectors beat BM25 alone: BM25 gets a small fixed share; MiniLM and unknown models keep the adaptive one.
        assertThat(Retriever.defaultFusion("e5-small-v2-q")).isSameAs(Retriever.E5_FUSION);
        assertThat(Retriever.defaultFusion(" E5-small-v2 ")).isSameAs(Retriever.E5_FUSION);
        assertThat(Retriever.defaultFusion("all-minilm-l6-v2-q")).isSameAs(Retriever.DEFAULT_FUSION);
        assertThat(Retriever.defaultFusion("text-embedding-3-small")).isSameAs(Retriever.DEFAULT_FUSION);
        assertThat(Retriever.defaultFusion(null)).isSameAs(Retriever.DEFAULT_FUSION);
    }

    @Test
    void badFusionsAreClearErrorsThatListTheForms() {
        assertThatThrownBy(() -> Fusion.parse("borda", null)).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("unknown fusion 'borda'");
        assertThatThrownBy(() -> Fusion.parse("weighted:1.5", null)).hasMessageContaining("alpha must be between 0 and 1");
        assertThatThrownBy(() -> Fusion.parse("weighted:abc", null)).hasMessageContaining("alpha must be a number");
        assertThatThrownBy(() -> Fusion.parse("rrf:0", null)).hasMessageContaining("k must be a whole number >= 1");
        assertThatThrownBy(() -> Fusion.parse("rrf:60:1", null)).hasMessageContaining("rrf takes k, or k and two weights");
        assertThatThrownBy(() -> Fusion.parse("rrf:60:-1:1", null)).hasMessageContaining("weights must be >= 0");
        assertThatThrownBy(() -> Fusion.parse("weighted:0.5:max:median", null))
                .hasMessageContaining("unknown normalisation 'median'");
        assertThatThrownBy(() -> Fusion.parse("", null)).isInstanceOf(InvalidInputError.class);
        var error = (InvalidInputError) catchThrowable(() -> Fusion.parse("rrf:x", null));
        assertThat(error.hint()).contains("rrf[:k").contains("weighted[:alpha");
    }

    @Test
    void adaptiveFusionLeansTowardsTheListWhoseBestStandsOut() {
        // BM25 8, 2, 2: mean 4, sd sqrt(8), z of the best 4 / 2.8284 = 1.41421.
        // cosine 0.5, 0.7, 0.6: mean 0.6, sd 0.08165, z of the best 0.1 / 0.08165 = 1.22474.
        // alpha = 0.5 + 0.3 x (1.41421 - 1.22474) / (1.41421 + 1.22474) = 0.521539.
        // BM25 / max: a 1, b 0.25, c 0.25; min-max cosine: a 0, b 1, c 0.5.
        var fused = new Fusion.AdaptiveWeighted(0.5, 0.3).fuse(
                List.of(hit("a", 8), hit("b", 2), hit("c", 2)),
                List.of(hit("a", 0.5), hit("b", 0.7), hit("c", 0.6)));

        assertThat(fused).extracting(h -> h.item().id()).containsExactly("b", "a", "c");
        double alpha = 0.521539;
        assertThat(fused.get(0).score()).isCloseTo(alpha * 0.25 + (1 - alpha), within(1e-5));
        assertThat(fused.get(1).score()).isCloseTo(alpha, within(1e-5));
        assertThat(fused.get(2).score()).isCloseTo(alpha * 0.25 + (1 - alpha) * 0.5, within(1e-5));
    }

    @Test
    void aFlatBm25ListHandsTheDecisionToVectorsAndTheShareStaysWithinBounds() {
        // every BM25 score equal (only the speaker's name matched): z 0, so alpha = 0.5 - 0.3 = 0.2
        var flat = new Fusion.AdaptiveWeighted(0.5, 0.3).fuse(
                List.of(hit("a", 3), hit("b", 3), hit("c", 3)),
                List.of(hit("a", 0.2), hit("b", 0.6), hit("c", 0.4)));
        assertThat(flat).extracting(h -> h.item().id()).containsExactly("b", "c", "a");
        assertThat(flat.get(0).score()).isCloseTo(0.2 * 1 + 0.8 * 1, within(1e-9));
        assertThat(flat.get(1).score()).isCloseTo(0.2 * 1 + 0.8 * 0.5, within(1e-9));

        // flat cosine and gain 1: 0.5 + 1 would exceed the bound, so BM25 gets 0.9
        var clamped = new Fusion.AdaptiveWeighted(0.5, 1).fuse(
                List.of(hit("a", 4), hit("b", 1)), List.of(hit("a", 0.3), hit("b", 0.3)));
        assertThat(clamped.get(0).item().id()).isEqualTo("a");
        assertThat(clamped.get(0).score()).isCloseTo(0.9 * 1 + 0.1 * 1, within(1e-9));
        assertThat(clamped.get(1).score()).isCloseTo(0.9 * 0.25 + 0.1 * 1, within(1e-9));

        assertThat(new Fusion.AdaptiveWeighted(0.5, 0.3).fuse(List.of(), List.of())).isEmpty();
        assertThat(Fusion.parse("adaptive", null)).isEqualTo(new Fusion.AdaptiveWeighted(0.5, 0.3));
        assertThat(Fusion.parse("adaptive:0.6:0.2", null)).isEqualTo(new Fusion.AdaptiveWeighted(0.6, 0.2));
        assertThatThrownBy(() -> Fusion.parse("adaptive:0.5:2", null)).hasMessageContaining("gain must be between 0 and 1");
    }

    @Test
    void questionWordsLeaveWhatTheQuestionIsAbout() {
        assertThat(QuestionWords.strip("What did Caroline name the corgi puppy?")).isEqualTo("Caroline name the corgi puppy?");
        assertThat(QuestionWords.strip("How has Rosa's career progressed?")).isEqualTo("Rosa's career progressed?");
        assertThat(QuestionWords.strip("Who's moving in with you?")).isEqualTo("moving in with");
        assertThat(QuestionWords.strip("what did you do?")).isEqualTo("what did you do?");
        assertThat(QuestionWords.strip("Acme budget")).isEqualTo("Acme budget");
    }
}
