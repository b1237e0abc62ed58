package io.sigil.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.auth.ApiKey;
import io.sigil.backup.MemorySnapshot;
import io.sigil.backup.StateSnapshot;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractStore;
import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.evolution.PromptVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The PostgreSQL state as of one moment: a READ ONLY transaction at REPEATABLE READ on one pooled connection,
 * opened with the snapshot, so every read (events streamed by position through a cursor, keys, agents, contracts, prompt versions)
 * sees the same committed state whatever concurrent writers do; an append committed after the snapshot opened is
 * wholly absent, one committed before is wholly present. Keys, agents and contracts are read at once; events and
 * memory ({@link PostgresMemorySnapshot}) when asked for (within the same transaction).
 */
public final class PostgresSnapshot implements StateSnapshot {
    private final Connection connection;
    private final String source;
    private final EventRows rows = new EventRows();
    private final List<ApiKey> keys;
    private final List<AgentDefinition> agents;
    private final List<Contract> contracts;
    private final List<PromptVersion> promptVersions;

    public PostgresSnapshot(PostgresDatabase db, AgentDefinitions definitions, ContractLoader loader) {
        this.source = "postgres:" + db.url().jdbcUrl().replaceAll("\\?.*", "");
        connection = db.connection();
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                // REPEATABLE READ takes its snapshot at the transaction's first query: this one.
                st.executeQuery("SELECT generation FROM event_store_head").close();
            }
            keys = PostgresApiKeyStore.list(connection);
            agents = agents(definitions);
            contracts = contracts(loader);
            try (PreparedStatement ps = connection.prepareStatement("SELECT " + PostgresPromptVersionStore.COLUMNS
                    + " FROM prompt_versions ORDER BY agent, number")) {
                promptVersions = PostgresPromptVersionStore.rows(ps);
            }
        } catch (SQLException e) {
            close();
            throw SqlErrors.failed("read the snapshot", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String source() { return source; }

    @Override
    public void events(Consumer<Event> sink) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + EventRows.COLUMNS + " FROM events ORDER BY position")) {
            ps.setFetchSize(1_000); // a cursor: the events are streamed, not loaded at once
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sink.accept(rows.read(rs).event());
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("read events for the snapshot", e);
        }
    }

    @Override
    public List<ApiKey> apiKeys() { return keys; }

    @Override
    public List<AgentDefinition> agents() { return agents; }

    @Override
    public List<Contract> contracts() { return contracts; }

    @Override
    public List<PromptVersion> promptVersions() { return promptVersions; }

    /** The memory tables as of this snapshot, read from the database (no search index is opened). */
    @Override
    public Optional<MemorySnapshot> memory(String embeddingModel, IntSupplier dimension) {
        return Optional.of(PostgresMemorySnapshot.of(connection, embeddingModel, dimension));
    }

    private List<AgentDefinition> agents(AgentDefinitions definitions) throws SQLException {
        ObjectMapper mapper = new ObjectMapper();
        List<AgentDefinition> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT name, definition::text FROM agents ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    out.add(definitions.fromTree(mapper.readTree(rs.getString(2)), "agents table row '" + rs.getString(1) + "'"));
                } catch (JsonProcessingException e) {
                    throw new StateError("The agents table row '" + rs.getString(1) + "' is not valid JSON", "save the agent again");
                }
            }
        }
        return out;
    }

    private List<Contract> contracts(ContractLoader loader) throws SQLException {
        List<Contract> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT name, version, definition::text FROM contracts");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(loader.load(rs.getString(3), "contracts table row " + rs.getString(1) + " " + rs.getString(2)).contract());
            }
        }
        out.sort(Comparator.comparing(Contract::name).thenComparing(Contract::version, ContractStore.VERSION_ORDER));
        return out;
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException ignored) {
            // a read-only transaction: nothing to lose; the pool discards a broken connection
        }
    }
}
