package io.sigil.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractChecks;
import io.sigil.contracts.ContractIssue;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractStore;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.ContractWriter;
import io.sigil.contracts.LoadedContract;
import io.sigil.errors.InvalidInputError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Contracts in the {@code contracts} table (migration V4), over the bundled templates, with the file store's rules
 * ({@link ContractStore}). Every lookup reads the table, so a contract stored by one replica is used by all at once;
 * the rules of a row are parsed again on each read (contracts are few and small; a cache keyed by row would need
 * invalidation across processes).
 */
public final class PostgresContractStore implements ContractStore {
    private final PostgresDatabase db;
    private final ContractLoader loader;
    private final ContractTemplates templates;
    private final ObjectMapper mapper = new ObjectMapper();

    public PostgresContractStore(PostgresDatabase db, ContractLoader loader, ContractTemplates templates) {
        this.db = db;
        this.loader = loader;
        this.templates = templates;
    }

    @Override
    public List<Entry> list() {
        Map<String, Entry> entries = new TreeMap<>();
        for (LoadedContract t : templates.all()) {
            Contract c = t.contract();
            entries.put(c.name(), new Entry(c.name(), c.version(), List.of(c.version()), "template", c.description(), true));
        }
        byName(rows(null)).forEach((name, versions) -> {
            Contract latest = versions.lastEntry().getValue();
            entries.put(name, new Entry(name, latest.version(), List.copyOf(versions.keySet()),
                    "postgres:contracts", latest.description(), false));
        });
        return List.copyOf(entries.values());
    }

    @Override
    public Optional<Contract> find(String name) {
        TreeMap<String, Contract> versions = byName(rows(name)).get(name);
        if (versions != null) return Optional.of(versions.lastEntry().getValue());
        return templates.find(name).map(LoadedContract::contract);
    }

    @Override
    public Optional<Contract> find(String name, String version) {
        TreeMap<String, Contract> versions = byName(rows(name)).get(name);
        if (versions != null) return Optional.ofNullable(versions.get(version));
        return templates.find(name).map(LoadedContract::contract).filter(c -> c.version().equals(version));
    }

    @Override
    public void add(Contract contract) {
        List<ContractIssue> errors = ContractChecks.check(contract).stream().filter(ContractIssue::isError).toList();
        if (!errors.isEmpty()) throw new InvalidInputError("Contract '" + contract.name() + "' is invalid: " + errors);
        String json;
        try {
            json = mapper.writeValueAsString(ContractWriter.toTree(contract));
        } catch (JsonProcessingException e) {
            throw new InvalidInputError("Contract '" + contract.name() + "' cannot be written as JSON: " + e.getOriginalMessage());
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO contracts (name, version, description, definition) VALUES (?, ?, ?, ?::jsonb)"
                        + " ON CONFLICT (name, version) DO NOTHING")) {
            ps.setString(1, contract.name());
            ps.setString(2, contract.version());
            ps.setString(3, contract.description());
            ps.setString(4, json);
            if (ps.executeUpdate() == 0) {
                throw new InvalidInputError("Contract '" + contract.name() + "' version " + contract.version() + " already exists",
                        "Give the new definition a higher version.");
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("store contract '" + contract.name() + "'", e);
        }
    }

    @Override
    public List<String> remove(String name, String version) {
        String sql = "DELETE FROM contracts WHERE name = ?" + (version == null ? "" : " AND version = ?") + " RETURNING version";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            if (version != null) ps.setString(2, version);
            List<String> removed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) removed.add(rs.getString(1));
            }
            removed.sort(VERSION_ORDER);
            return removed;
        } catch (SQLException e) {
            throw SqlErrors.failed("delete contract '" + name + "'", e);
        }
    }

    @Override
    public List<String> versions(String name) {
        TreeMap<String, Contract> versions = byName(rows(name)).get(name);
        if (versions != null) return List.copyOf(versions.keySet());
        return templates.find(name).map(t -> List.of(t.contract().version())).orElse(List.of());
    }

    @Override
    public List<Contract> stored() {
        List<Contract> out = new ArrayList<>();
        byName(rows(null)).values().forEach(v -> out.addAll(v.values()));
        return out;
    }

    private record Row(String name, String version, String definition) { }

    private List<Row> rows(String name) {
        String sql = "SELECT name, version, definition::text FROM contracts" + (name == null ? "" : " WHERE name = ?");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (name != null) ps.setString(1, name);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("read contracts", e);
        }
    }

    /** name -> (version -> contract), names sorted, versions ascending. */
    private TreeMap<String, TreeMap<String, Contract>> byName(List<Row> rows) {
        TreeMap<String, TreeMap<String, Contract>> out = new TreeMap<>();
        for (Row r : rows) {
            Contract c = loader.load(r.definition(), "contracts table row " + r.name() + " " + r.version()).contract();
            out.computeIfAbsent(r.name(), n -> new TreeMap<>(VERSION_ORDER)).put(r.version(), c);
        }
        return out;
    }
}
