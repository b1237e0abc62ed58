package io.sigil.memory.lucene;

import io.sigil.config.Settings;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.memory.SharedEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LuceneMemoryStoreFactoryTest {
    @TempDir Path dir;

    @Test
    void isTheInstalledFactoryAndOpensTheIndexUnderTheDataDir() {
        MemoryStoreFactory factory = MemoryStoreFactory.installed();
        Settings.Memory settings = new Settings.Memory(dir.resolve("memory"), "all-minilm-l6-v2-q", null, 5, 0.7, 100, 100);

        assertThat(factory).isInstanceOf(LuceneMemoryStoreFactory.class);
        try (MemoryStore store = factory.open(settings, SharedEmbedder.get())) {
            assertThat(store).isInstanceOf(LuceneMemoryStore.class);
            assertThat(factory.status(store)).containsEntry("data_dir", dir.resolve("memory").toString())
                    .containsEntry("embedding_model", SharedEmbedder.get().model()).containsKey("items");
        }
    }
}
