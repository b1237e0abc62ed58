package io.sigil.backup;

import io.sigil.agents.AgentDefinition;
import io.sigil.auth.ApiKey;
import io.sigil.contracts.Contract;
import io.sigil.events.Event;
import io.sigil.evolution.PromptVersion;
import io.sigil.memory.Embedder;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The durable state of one backend as of one moment, read for a backup or a copy (memory too when the backend holds
 * it, {@link #memory}; else it is read through the memory store's port, because it lives elsewhere). The file backend reads through its stores up to
 * the event position it found on opening ({@link PortSnapshot}); PostgreSQL reads everything in one REPEATABLE READ
 * transaction, so concurrent writers never show half a change.
 */
public interface StateSnapshot extends AutoCloseable {

    /** Where it was read from, for the manifest and messages (no password). */
    String source();

    /** Every event, in global order, as of the snapshot. */
    void events(Consumer<Event> sink);

    List<ApiKey> apiKeys();

    /** Stored agent definitions: bundled examples are left out unless changed. */
    List<AgentDefinition> agents();

    /** Stored contract versions, templates left out. */
    List<Contract> contracts();

    /** Every agent's prompt versions (evolution), by agent and then oldest first. */
    List<PromptVersion> promptVersions();

    /**
     * The memory this backend holds itself, as of the snapshot, with the stored vectors of the model named
     * {@code embeddingModel}; empty when memory lives in the memory module's own store (the file backend). Nothing
     * is embedded: the vectors' dimension is read from the stored vectors, and {@code dimension} (the model's, which
     * may mean loading it) is asked only when the backend holds none of that model.
     */
    default Optional<MemorySnapshot> memory(String embeddingModel, IntSupplier dimension) { return Optional.empty(); }

    /** {@link #memory(String, IntSupplier)} with {@code embedder}'s model (only its name and dimension are used). */
    default Optional<MemorySnapshot> memory(Embedder embedder) { return memory(embedder.model(), embedder::dimension); }

    @Override
    void close();
}
