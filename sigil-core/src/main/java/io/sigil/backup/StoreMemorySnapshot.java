package io.sigil.backup;

import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A memory store read through its port ({@link MemorySnapshot#of(MemoryStore)}, which flushes it first). */
record StoreMemorySnapshot(MemoryStore store) implements MemorySnapshot {
    @Override
    public String embeddingModel() { return store.embedder().model(); }

    @Override
    public int dimension() { return store.embedder().dimension(); }

    @Override
    public List<Resource> resources() { return store.resources(); }

    @Override
    public List<MemoryItem> items() { return store.allItems(); }

    /** The port lists categories per scope. */
    @Override
    public List<Category> categories(Set<Scope> scopes) {
        return scopes.stream().flatMap(s -> store.categories(s).stream()).map(c -> c.withItemCount(0)).toList();
    }

    @Override
    public Map<String, float[]> storedVectors(List<String> ids) { return store.storedVectors(ids); }
}
