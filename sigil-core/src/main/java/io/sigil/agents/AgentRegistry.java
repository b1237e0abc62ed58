package io.sigil.agents;

import java.util.List;
import java.util.Optional;

/** Where agent definitions live. The embedded default is {@link FileAgentRegistry}. */
public interface AgentRegistry {

    /** Every agent, sorted by name. */
    List<AgentDefinition> list();

    Optional<AgentDefinition> find(String name);

    /** The agent or a {@link io.sigil.errors.NotFoundError} listing the known names. */
    AgentDefinition get(String name);

    /** Creates or replaces the agent of that name. */
    void save(AgentDefinition agent);

    /** Removes it; false when there was none. */
    boolean delete(String name);
}
