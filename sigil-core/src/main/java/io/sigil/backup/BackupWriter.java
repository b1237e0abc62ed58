package io.sigil.backup;

import io.sigil.paths.BackupTargets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.auth.ApiKey;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractWriter;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.evolution.PromptVersion;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a {@link StateSnapshot} (and a {@link MemorySnapshot}) into a new or empty directory in the
 * portable {@link BackupFormat}: each store's file is written and synced, then the manifest, last, so a backup
 * without a manifest is known to be incomplete.
 */
public final class BackupWriter {
    private static final int VECTOR_PAGE = 1_000;
    private final EventCodec codec = new EventCodec();
    private final boolean includeVectors;

    /** A writer that includes the memory items' vectors, so a restore with the same model embeds nothing. */
    public BackupWriter() { this(true); }

    private BackupWriter(boolean includeVectors) { this.includeVectors = includeVectors; }

    /**
     * A writer that leaves the items' vectors out: a restore embeds every item again, but a Sigil from before
     * vectors were part of backups (it refuses files it does not know) can verify and restore the backup.
     */
    public static BackupWriter withoutVectors() { return new BackupWriter(false); }

    /** What one file of a backup holds. */
    public record PartSummary(String file, long records, long bytes, String sha256, Map<String, Object> counts) { }

    /** What a backup holds, store by store. */
    public record Result(Path directory, Map<Part, PartSummary> parts) {
        public long records(Part p) { return parts.containsKey(p) ? parts.get(p).records() : 0; }
    }

    /** @param memory the memory to include, or null to leave memory out (the manifest says so) */
    public Result write(StateSnapshot snapshot, MemorySnapshot memory, Path target) {
        BackupTargets.requireEmpty(target);
        try {
            Files.createDirectories(target);
            Map<Part, PartSummary> parts = new EnumMap<>(Part.class);
            parts.put(Part.EVENTS, events(snapshot, target));
            parts.put(Part.API_KEYS, lines(target, Part.API_KEYS, snapshot.apiKeys().stream()
                    .sorted(Comparator.comparing(ApiKey::id)).map(k -> BackupFormat.line(BackupFormat.apiKey(k))).toList(), Map.of()));
            parts.put(Part.AGENTS, lines(target, Part.AGENTS, snapshot.agents().stream()
                    .sorted(Comparator.comparing(AgentDefinition::name))
                    .map(a -> BackupFormat.line(AgentDefinitions.toTree(a))).toList(), Map.of()));
            parts.put(Part.CONTRACTS, lines(target, Part.CONTRACTS, snapshot.contracts().stream()
                    .map(c -> BackupFormat.line(ContractWriter.toTree(c))).toList(),
                    Map.of("names", snapshot.contracts().stream().map(Contract::name).distinct().count())));
            if (memory != null) memory(memory, target, parts);
            parts.put(Part.PROMPT_VERSIONS, lines(target, Part.PROMPT_VERSIONS, snapshot.promptVersions().stream()
                    .map(v -> BackupFormat.line(v.toMap())).toList(),
                    Map.of("agents", snapshot.promptVersions().stream().map(PromptVersion::agent).distinct().count())));
            writeManifest(target, snapshot.source(), memory, parts);
            return new Result(target, parts);
        } catch (IOException e) {
            throw new StateError("backup to " + target + " failed: " + e.getMessage(),
                    "check free space and permissions of the target; the partial backup has no manifest and will be refused");
        }
    }

    private PartSummary events(StateSnapshot snapshot, Path target) throws IOException {
        Set<String> sessions = new HashSet<>();
        long[] n = {0};
        PartSummary s = write(target, Part.EVENTS, w -> snapshot.events(e -> {
            sessions.add(e.sessionId());
            n[0]++;
            w.line(canonical(e));
        }));
        return new PartSummary(s.file(), n[0], s.bytes(), s.sha256(), Map.of("sessions", sessions.size()));
    }

    /** The event codec's JSON, keys sorted (PostgreSQL's JSONB does not keep the payload's key order). */
    String canonical(Event e) {
        return BackupFormat.line(BackupFormat.parse(new String(codec.encode(e), StandardCharsets.UTF_8), "event " + e.eventId()));
    }

    private void memory(MemorySnapshot memory, Path target, Map<Part, PartSummary> parts) throws IOException {
        List<Resource> resources = memory.resources().stream().sorted(Comparator.comparing(Resource::id)).toList();
        List<MemoryItem> items = memory.items().stream().sorted(Comparator.comparing(MemoryItem::id)).toList();
        // The categories of every scope that holds a resource or an item.
        Set<Scope> scopes = new LinkedHashSet<>();
        resources.forEach(r -> scopes.add(r.scope()));
        items.forEach(i -> scopes.add(i.scope()));
        List<Category> categories = memory.categories(scopes).stream()
                .sorted(Comparator.comparing((Category c) -> c.scope().key()).thenComparing(Category::name))
                .map(c -> c.withItemCount(0)) // derived from the items when read, not stored
                .toList();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("resources", resources.size());
        counts.put("items", items.size());
        counts.put("categories", categories.size());
        counts.put("embedding_model", memory.embeddingModel());
        parts.put(Part.MEMORY, write(target, Part.MEMORY, w -> {
            resources.forEach(r -> w.line(BackupFormat.line(BackupFormat.memoryLine("resource", r))));
            items.forEach(i -> w.line(BackupFormat.line(BackupFormat.memoryLine("item", i))));
            categories.forEach(c -> w.line(BackupFormat.line(BackupFormat.memoryLine("category", c))));
        }, counts));
        if (includeVectors) parts.put(Part.MEMORY_VECTORS, vectors(memory, items.stream().map(MemoryItem::id).toList(), target));
    }

    /**
     * The items' stored vectors, in the items' order, read a page at a time: a restore into a store of the same
     * model takes them instead of embedding every item again (an item without one is embedded then).
     */
    private PartSummary vectors(MemorySnapshot memory, List<String> ids, Path target) throws IOException {
        long[] missing = {0};
        PartSummary s = write(target, Part.MEMORY_VECTORS, w -> {
            for (int from = 0; from < ids.size(); from += VECTOR_PAGE) {
                List<String> page = ids.subList(from, Math.min(ids.size(), from + VECTOR_PAGE));
                Map<String, float[]> vectors = memory.storedVectors(page);
                for (String id : page) {
                    float[] v = vectors.get(id);
                    if (v == null) missing[0]++;
                    else w.line(BackupFormat.vectorLine(id, v));
                }
            }
        });
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("embedding_model", memory.embeddingModel());
        counts.put("dimension", memory.dimension());
        counts.put("items_without_vector", missing[0]);
        return new PartSummary(s.file(), s.records(), s.bytes(), s.sha256(), counts);
    }

    private PartSummary lines(Path target, Part part, List<String> lines, Map<String, Object> counts) throws IOException {
        return write(target, part, w -> lines.forEach(w::line), counts);
    }

    interface LineSink { void line(String json); }

    interface Body { void write(LineSink sink); }

    private PartSummary write(Path target, Part part, Body body) throws IOException {
        return write(target, part, body, Map.of());
    }

    private PartSummary write(Path target, Part part, Body body, Map<String, Object> counts) throws IOException {
        Path file = target.resolve(part.file());
        MessageDigest sha = BackupFormat.sha256();
        long[] records = {0};
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             var digest = new DigestOutputStream(out, sha);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(digest, StandardCharsets.UTF_8), 1 << 16)) {
            body.write(json -> {
                try {
                    w.write(json);
                    w.write('\n');
                    records[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return new PartSummary(part.file(), records[0], Files.size(file), BackupFormat.hex(sha), counts);
    }

    private void writeManifest(Path target, String source, MemorySnapshot memory, Map<Part, PartSummary> parts) throws IOException {
        ObjectNode m = BackupFormat.MAPPER.createObjectNode();
        m.put("format", BackupFormat.FORMAT);
        m.put("format_version", BackupFormat.VERSION);
        m.put("created_at", Instant.now().toString());
        m.put("source", source);
        m.put("event_schema_version", Event.SCHEMA_VERSION);
        m.put("memory_included", memory != null);
        ObjectNode stores = m.putObject("stores");
        for (var e : parts.entrySet()) {
            ObjectNode p = stores.putObject(e.getKey().key());
            PartSummary s = e.getValue();
            p.put("file", s.file());
            p.put("records", s.records());
            p.put("bytes", s.bytes());
            p.put("sha256", s.sha256());
            s.counts().forEach((k, v) -> p.set(k, BackupFormat.MAPPER.valueToTree(v)));
        }
        Path tmp = target.resolve(BackupFormat.MANIFEST + ".tmp");
        Files.write(tmp, BackupFormat.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target.resolve(BackupFormat.MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    }
}
