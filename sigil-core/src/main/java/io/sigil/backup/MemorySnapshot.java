package io.sigil.backup;

import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One memory's records as of one moment, what {@link BackupWriter} exports for a backup or a copy. A backend that
 * holds memory itself gives it with its {@link StateSnapshot} ({@link StateSnapshot#memory}: PostgreSQL reads its
 * tables in the snapshot's transaction and builds no search index for that); memory in the memory module's own
 * store is read through the store's port ({@link #of(MemoryStore)}).
 */
public interface MemorySnapshot {

    /** The model of the vectors {@link #storedVectors} gives. */
    String embeddingModel();

    /** The dimension of that model's vectors. */
    int dimension();

    List<Resource> resources();

    /** Every item in every scope. */
    List<MemoryItem> items();

    /**
     * Every category of {@code scopes} that has a record or items, as {@link MemoryStore#categories} lists them (a
     * category named by items but never stored has its default description), with item counts of 0: counts are
     * derived from the items when read, not stored.
     */
    List<Category> categories(Set<Scope> scopes);

    /** The stored vectors of {@code ids} by {@link #embeddingModel()} (ids without one are left out). */
    Map<String, float[]> storedVectors(List<String> ids);

    /** The memory of {@code store}, read through its port once every write that returned is visible. */
    static MemorySnapshot of(MemoryStore store) {
        store.flush();
        return new StoreMemorySnapshot(store);
    }

    /** The memory {@code snapshot} holds itself (with {@code store}'s model), else {@code store}'s through its port. */
    static MemorySnapshot of(StateSnapshot snapshot, MemoryStore store) {
        return snapshot.memory(store.embedder()).orElseGet(() -> of(store));
    }
}
