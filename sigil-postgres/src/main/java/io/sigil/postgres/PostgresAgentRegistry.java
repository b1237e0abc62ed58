package io.sigil.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.errors.AgentError;
import io.sigil.errors.NotFoundError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Agent definitions in the {@code agents} table (migration V2), over a read-only base layer (the bundled example
 * agents and any files in the agents directory): a row overrides the base agent of its name, deleting the row brings
 * the base one back, and a base agent itself cannot be deleted here (the file registry's rules for bundled agents).
 */
public final class PostgresAgentRegistry implements AgentRegistry {
    private final PostgresDatabase db;
    private final AgentDefinitions definitions;
    private final AgentRegistry bundled;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param bundled the read-only base layer: the example agents that ship with Sigil and the agents directory */
    public PostgresAgentRegistry(PostgresDatabase db, AgentDefinitions definitions, AgentRegistry bundled) {
        this.db = db;
        this.definitions = definitions;
        this.bundled = bundled;
    }

    @Override
    public List<AgentDefinition> list() {
        Map<String, AgentDefinition> byName = new TreeMap<>();
        for (AgentDefinition d : bundled.list()) byName.put(d.name(), d);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT name, definition::text FROM agents");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) byName.put(rs.getString(1), parse(rs.getString(1), rs.getString(2)));
        } catch (SQLException e) {
            throw SqlErrors.failed("list agents", e);
        }
        return List.copyOf(byName.values());
    }

    @Override
    public Optional<AgentDefinition> find(String name) {
        Optional<AgentDefinition> stored = stored(name);
        return stored.isPresent() ? stored : bundled.find(name);
    }

    @Override
    public AgentDefinition get(String name) {
        return find(name).orElseThrow(() -> new NotFoundError("Agent '" + name + "' not found",
                "Known agents: " + String.join(", ", list().stream().map(AgentDefinition::name).toList())
                        + ". Create one with 'sigil agents create --from \"...\"' or POST /agents."));
    }

    @Override
    public void save(AgentDefinition agent) {
        String json;
        try {
            json = mapper.writeValueAsString(AgentDefinitions.toTree(agent));
        } catch (JsonProcessingException e) {
            throw new AgentError("Cannot write agent '" + agent.name() + "' as JSON: " + e.getOriginalMessage(), null);
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agents (name, definition) VALUES (?, ?::jsonb) ON CONFLICT (name) DO UPDATE"
                        + " SET definition = EXCLUDED.definition, updated_at = NOW()")) {
            ps.setString(1, agent.name());
            ps.setString(2, json);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.failed("save agent '" + agent.name() + "'", e);
        }
    }

    @Override
    public boolean delete(String name) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM agents WHERE name = ?")) {
            ps.setString(1, name);
            if (ps.executeUpdate() > 0) return true;
        } catch (SQLException e) {
            throw SqlErrors.failed("delete agent '" + name + "'", e);
        }
        if (bundled.find(name).isPresent()) {
            throw new AgentError("Agent '" + name + "' is a bundled example (or a file in the agents directory), not"
                    + " stored in PostgreSQL, and cannot be deleted here", "Override it instead: save an agent of the same name.");
        }
        return false;
    }

    private Optional<AgentDefinition> stored(String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT definition::text FROM agents WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(name, rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("read agent '" + name + "'", e);
        }
    }

    private AgentDefinition parse(String name, String json) {
        try {
            return definitions.fromTree(mapper.readTree(json), "agents table row '" + name + "'");
        } catch (JsonProcessingException e) {
            throw new AgentError("The agents table row '" + name + "' is not valid JSON", "save the agent again");
        }
    }
}
