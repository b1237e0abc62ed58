package io.sigil.memory.lucene;

import io.sigil.config.Settings;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.embed.OnnxEmbedder;

import java.util.LinkedHashMap;
import java.util.Map;

/** The embedded memory: a Lucene index under the memory data directory with the embedder the settings name. */
public final class LuceneMemoryStoreFactory implements MemoryStoreFactory {
    @Override
    public String name() { return "lucene"; }

    @Override
    public Embedder embedder(Settings.Memory memory, Settings.Llm llm) { return Embedders.fromSettings(memory, llm); }

    @Override
    public boolean runsLocally(String model) { return OnnxEmbedder.supports(model); }

    @Override
    public MemoryStore open(Settings.Memory memory, Embedder embedder) {
        return LuceneMemoryStore.open(memory.dataDir(), embedder, memory.indexRefreshMs());
    }

    @Override
    public Map<String, Object> status(MemoryStore store) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (store instanceof LuceneMemoryStore lucene) m.put("data_dir", lucene.dataDir().toString());
        m.put("embedding_model", store.embedder().model());
        if (store instanceof LuceneMemoryStore lucene) {
            lucene.counts().forEach((kind, n) -> m.put(kind.equals("categorys") ? "categories" : kind, n));
        }
        return m;
    }
}
