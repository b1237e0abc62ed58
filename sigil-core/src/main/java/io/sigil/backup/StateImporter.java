package io.sigil.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.auth.ApiKey;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractWriter;
import io.sigil.errors.StateError;
import io.sigil.events.AppendOption;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.evolution.PromptVersion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Loads a verified backup into a backend's stores, safe to run again: what the target already holds is
 * recognised and skipped (events by id at their version, keys by id and hash, contracts by name and version,
 * prompt versions by agent and id, agents and memory records by content), only the rest is written. Something in
 * the target that contradicts the backup (another event at a version, another key with the same hash, another
 * definition of a contract version or a prompt version) stops the load with a {@link StateError} saying what and where, because overwriting it would lose data.
 */
public final class StateImporter {
    private static final int BATCH = 500;
    private final EventCodec codec = new EventCodec();
    private final BackupReader reader = new BackupReader();

    /** What was done for one store: records in the backup, written, and already there. */
    public record PartResult(long records, long written, long present, String note) { }

    public Map<Part, PartResult> load(Path backup, StateStores target) {
        BackupReader.Report verified = reader.requireSound(backup);
        Map<Part, PartResult> out = new EnumMap<>(Part.class);
        out.put(Part.EVENTS, events(backup, target));
        out.put(Part.API_KEYS, keys(backup, target));
        out.put(Part.AGENTS, agents(backup, target));
        out.put(Part.CONTRACTS, contracts(backup, target));
        new MemoryImport(reader, backup, verified).load(target.memory(), out);
        out.put(Part.PROMPT_VERSIONS, promptVersions(backup, target));
        return out;
    }

    // ------------------------------------------------------------------ events

    /** A session in the target: the ids it holds by version, and how many of the backup's events were seen. */
    private static final class Cursor {
        final List<UUID> existing;
        long seen;
        long version;

        Cursor(List<UUID> existing) {
            this.existing = existing;
            this.version = existing.size();
        }
    }

    private PartResult events(Path backup, StateStores target) {
        Map<String, Cursor> sessions = new HashMap<>();
        List<Event> run = new ArrayList<>();
        long[] counts = new long[3]; // records, written, present
        reader.lines(backup, Part.EVENTS, line -> {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Event e = codec.decode(bytes, 0, bytes.length);
            counts[0]++;
            Cursor c = sessions.computeIfAbsent(e.sessionId(), id -> new Cursor(
                    target.events().read(id, 1).stream().map(r -> r.event().eventId()).toList()));
            long index = c.seen++;
            if (index < c.existing.size()) {
                if (!c.existing.get((int) index).equals(e.eventId())) {
                    throw new StateError("session '" + e.sessionId() + "' in the target holds another event at version "
                            + (index + 1) + " than the backup (" + c.existing.get((int) index) + ", not " + e.eventId() + ")",
                            "load into an empty store, or delete that session from the target first");
                }
                counts[2]++;
                return;
            }
            if (!run.isEmpty() && (!run.getFirst().sessionId().equals(e.sessionId()) || run.size() >= BATCH)) {
                counts[1] += append(target, sessions, run);
            }
            run.add(e);
        });
        if (!run.isEmpty()) counts[1] += append(target, sessions, run);
        List<String> longer = sessions.entrySet().stream().filter(s -> s.getValue().existing.size() > s.getValue().seen)
                .map(Map.Entry::getKey).sorted().toList();
        String note = longer.isEmpty() ? "" : longer.size() + " session(s) hold more events in the target than in the backup: "
                + String.join(", ", longer.subList(0, Math.min(5, longer.size())));
        return new PartResult(counts[0], counts[1], counts[2], note);
    }

    private long append(StateStores target, Map<String, Cursor> sessions, List<Event> run) {
        Cursor c = sessions.get(run.getFirst().sessionId());
        // Exact version: a writer racing this load on the same session fails it instead of interleaving.
        target.events().append(run.getFirst().sessionId(), ExpectedVersion.exact(c.version), List.copyOf(run),
                AppendOption.ADMIN_OVERRIDE);
        c.version += run.size();
        long n = run.size();
        run.clear();
        return n;
    }

    // ------------------------------------------------------------------ keys, agents, contracts

    private PartResult keys(Path backup, StateStores target) {
        long[] counts = new long[3];
        Map<String, java.time.Instant> used = new HashMap<>();
        reader.lines(backup, Part.API_KEYS, line -> {
            ApiKey k = BackupFormat.apiKey(BackupFormat.parse(line, Part.API_KEYS.file()));
            counts[0]++;
            Optional<ApiKey> there = target.apiKeys().findByHash(k.keyHash());
            if (there.isPresent() && !there.get().id().equals(k.id())) {
                throw new StateError("the target holds API key " + there.get().id() + " with the hash of the backup's key "
                        + k.id(), "load into an empty store, or revoke and remove that key from the target first");
            }
            if (there.isEmpty()) {
                target.apiKeys().add(k);
                counts[1]++;
            } else {
                boolean changed = false;
                if (k.revoked() && !there.get().revoked()) {
                    target.apiKeys().revoke(k.id(), k.revokedAt());
                    changed = true;
                }
                if (k.lastUsedAt() != null && there.get().usedAt(k.lastUsedAt()) != there.get()) changed = true;
                counts[changed ? 1 : 2]++;
            }
            if (k.lastUsedAt() != null) used.put(k.id(), k.lastUsedAt());
        });
        target.apiKeys().recordUse(used);
        return new PartResult(counts[0], counts[1], counts[2], "");
    }

    private PartResult agents(Path backup, StateStores target) {
        long[] counts = new long[3];
        reader.lines(backup, Part.AGENTS, line -> {
            JsonNode tree = BackupFormat.parse(line, Part.AGENTS.file());
            AgentDefinition a = target.definitions().fromTree(tree, Part.AGENTS.file());
            counts[0]++;
            Optional<AgentDefinition> there = target.agents().find(a.name());
            counts[there.isPresent() && AgentDefinitions.toTree(there.get()).equals(AgentDefinitions.toTree(a)) ? 2 : 1]++;
            // Saved even when found equal: on PostgreSQL find() also sees the agents directory, which is not the
            // table; saving the same definition again is a no-op in effect on both stores.
            target.agents().save(a);
        });
        return new PartResult(counts[0], counts[1], counts[2], "");
    }

    private PartResult contracts(Path backup, StateStores target) {
        long[] counts = new long[3];
        reader.lines(backup, Part.CONTRACTS, line -> {
            Contract c = target.contractLoader().load(line, Part.CONTRACTS.file()).contract();
            counts[0]++;
            Optional<Contract> there = target.contracts().stored().stream()
                    .filter(s -> s.name().equals(c.name()) && s.version().equals(c.version())).findFirst();
            if (there.isEmpty()) {
                target.contracts().add(c);
                counts[1]++;
            } else if (ContractWriter.toTree(there.get()).equals(ContractWriter.toTree(c))) {
                counts[2]++;
            } else {
                throw new StateError("the target holds another definition of contract '" + c.name() + "' version "
                        + c.version() + " than the backup", "versions are never overwritten: remove that version from the target first");
            }
        });
        return new PartResult(counts[0], counts[1], counts[2], "");
    }

    private PartResult promptVersions(Path backup, StateStores target) {
        long[] counts = new long[3];
        reader.lines(backup, Part.PROMPT_VERSIONS, line -> {
            PromptVersion v = PromptVersion.fromMap(BackupFormat.MAPPER.convertValue(
                    BackupFormat.parse(line, Part.PROMPT_VERSIONS.file()), Map.class));
            counts[0]++;
            Optional<PromptVersion> there = target.promptVersions().find(v.agent(), v.versionId());
            if (there.isEmpty()) {
                target.promptVersions().restore(v);
                counts[1]++;
            } else if (there.get().equals(v)) {
                counts[2]++;
            } else {
                throw new StateError("the target holds another prompt version " + v.versionId() + " of agent '"
                        + v.agent() + "' than the backup", "versions are never overwritten: load into an empty store,"
                        + " or move that agent's versions away in the target first");
            }
        });
        return new PartResult(counts[0], counts[1], counts[2], "");
    }
}
