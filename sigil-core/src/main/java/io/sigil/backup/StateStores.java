package io.sigil.backup;

import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.auth.ApiKeyStore;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractStore;
import io.sigil.events.EventStore;
import io.sigil.evolution.PromptVersionStore;
import io.sigil.memory.MemoryStore;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The stores of one installation, whichever backend holds them: what a restore or a copy writes into, and what
 * {@link PortSnapshot} reads. {@code memory} is null when memory is not part of the operation.
 */
public record StateStores(EventStore events, ApiKeyStore apiKeys, AgentRegistry agents, ContractStore contracts,
                          PromptVersionStore promptVersions, MemoryStore memory, AgentDefinitions definitions,
                          ContractLoader contractLoader) {

    public StateStores {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(contracts, "contracts");
        Objects.requireNonNull(promptVersions, "promptVersions");
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(contractLoader, "contractLoader");
    }

    /** The bundled example agent of that name, as shipped (a stored agent equal to it need not be copied). */
    Optional<AgentDefinition> bundled(String name) {
        if (!FileAgentRegistry.BUNDLED.contains(name)) return Optional.empty();
        // A registry over a directory that cannot exist holds only the bundled examples.
        return new FileAgentRegistry(Path.of("/nonexistent/sigil-bundled-agents-only"), definitions).find(name);
    }

    boolean isBundledUnchanged(AgentDefinition d) {
        return bundled(d.name()).map(b -> AgentDefinitions.toTree(b).equals(AgentDefinitions.toTree(d))).orElse(false);
    }
}
