package io.sigil.memory.embed;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.memory.Embedder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxEmbedderTest {

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void e5EmbedsQueriesAndPassagesWithTheirPrefixesAndRanksTheAnswerFirst() {
        try (Embedder e5 = Embedders.fromSettings(Settings.Memory.DEFAULTS.withEmbeddingModel("e5-small-v2-q"),
                Settings.Llm.DEFAULTS)) {
            assertThat(e5.model()).isEqualTo(OnnxEmbedder.E5_SMALL_QUANTIZED);
            assertThat(e5.asymmetric()).isTrue();
            List<float[]> passages = e5.embed(List.of("We adopted a tabby kitten from the shelter, called Pepper.",
                    "Traffic was awful this morning."));
            float[] query = e5.embedQuery("What is the name of the new cat?");
            assertThat(passages).allSatisfy(v -> assertThat(v).hasSize(384));
            assertThat(dot(query, query)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(dot(query, passages.get(0))).isGreaterThan(dot(query, passages.get(1)));
            // the same text as a query and as a passage gives different vectors: the prefixes are applied
            assertThat(dot(e5.embedQuery("Traffic was awful this morning."), passages.get(1))).isLessThan(0.999);
        }
    }

    @Test
    void miniLmIsSymmetricAndBgeIsAvailableLocally() {
        try (Embedder miniLm = OnnxEmbedder.of(OnnxEmbedder.MINILM_QUANTIZED);
             Embedder bge = OnnxEmbedder.of(OnnxEmbedder.BGE_SMALL_QUANTIZED)) {
            assertThat(miniLm.asymmetric()).isFalse();
            assertThat(miniLm.embedQuery("budget")).containsExactly(miniLm.embed("budget"));
            assertThat(bge.asymmetric()).isTrue();
            assertThat(bge.embedQuery("budget")).hasSize(384);
        }
    }

    @Test
    void anIndexMovesFromMiniLmToE5ByReindexAndThenRefusesMiniLm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var scope = io.sigil.memory.Scope.user("maya");
        try (Embedder e5 = OnnxEmbedder.of(OnnxEmbedder.E5_SMALL_QUANTIZED)) {
            try (var store = io.sigil.memory.lucene.LuceneMemoryStore.open(dir, io.sigil.memory.SharedEmbedder.get())) {
                store.putItems(List.of(io.sigil.memory.MemoryItem.of("We adopted a kitten called Pepper.", "general", 1, scope, null),
                        io.sigil.memory.MemoryItem.of("Traffic was awful this morning.", "general", 1, scope, null)));
                store.flush();
            }
            assertThatThrownBy(() -> io.sigil.memory.lucene.LuceneMemoryStore.open(dir, e5))
                    .isInstanceOf(io.sigil.errors.MemoryError.class).hasMessageContaining("all-minilm-l6-v2-q")
                    .satisfies(e -> assertThat(((io.sigil.errors.MemoryError) e).hint()).contains("sigil memory reindex")
                            .contains("the default embedding model is now e5-small-v2-q"));

            var report = io.sigil.memory.lucene.LuceneReindexer.rebuild(dir, e5, r -> List.of());
            assertThat(report.model()).isEqualTo("e5-small-v2-q");
            assertThat(report.items()).isEqualTo(2);
            try (var store = io.sigil.memory.lucene.LuceneMemoryStore.open(dir, e5)) {
                var hits = store.vectorSearch(e5.embedQuery("What is the cat's name?"), io.sigil.memory.SearchFilter.of(scope), 1);
                assertThat(hits.getFirst().item().content()).contains("Pepper");
            }
            assertThatThrownBy(() -> io.sigil.memory.lucene.LuceneMemoryStore.open(dir, io.sigil.memory.SharedEmbedder.get()))
                    .isInstanceOf(io.sigil.errors.MemoryError.class).hasMessageContaining("e5-small-v2-q");
        }
    }

    @Test
    void anUnknownLocalModelIsAConfigErrorListingTheLocalOnes() {
        assertThatThrownBy(() -> Embedders.fromSettings(Settings.Memory.DEFAULTS.withEmbeddingModel("gte-large"),
                Settings.Llm.DEFAULTS)).isInstanceOf(ConfigError.class)
                .hasMessageContaining("gte-large")
                .satisfies(e -> assertThat(((ConfigError) e).hint()).contains("e5-small-v2-q").contains("bge-small-en-v1.5-q")
                        .contains("memory.embedding_base_url"));
    }
}
