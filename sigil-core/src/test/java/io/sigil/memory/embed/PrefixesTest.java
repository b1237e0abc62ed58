package io.sigil.memory.embed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixesTest {

    @Test
    void e5AndBgeModelsGetTheirTrainingPrefixesAndOthersNone() {
        assertThat(Prefixes.forModel("e5-small-v2-q")).isEqualTo(Prefixes.E5);
        assertThat(Prefixes.forModel("intfloat/multilingual-e5-large")).isEqualTo(Prefixes.E5);
        assertThat(Prefixes.forModel("bge-small-en-v1.5-q")).isEqualTo(Prefixes.BGE_EN);
        assertThat(Prefixes.forModel("all-minilm-l6-v2-q")).isEqualTo(Prefixes.NONE);
        assertThat(Prefixes.forModel("text-embedding-3-small")).isEqualTo(Prefixes.NONE);
        assertThat(Prefixes.forModel("e50-model")).isEqualTo(Prefixes.NONE);
        assertThat(Prefixes.forModel(null)).isEqualTo(Prefixes.NONE);
        assertThat(Prefixes.E5.query()).isEqualTo("query: ");
        assertThat(Prefixes.E5.passage()).isEqualTo("passage: ");
    }
}
