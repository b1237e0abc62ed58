package io.sigil.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.errors.InvalidInputError;
import io.sigil.events.EventCodec;
import io.sigil.evolution.PromptVersion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads a backup in the {@link BackupFormat}: {@link #verify} checks it whole without changing anything (manifest,
 * every file's size, line count and SHA-256, every line's JSON and the events' envelope) and names each problem
 * with the file and what to do; {@link #lines} streams a store's records to a restore after a verify.
 */
public final class BackupReader {
    private final EventCodec codec = new EventCodec();

    /** One store's file as the manifest describes it. */
    public record Listed(Part part, String file, long records, long bytes, String sha256, JsonNode entry) { }

    /** What verifying a backup found; {@code ok} when {@code errors} is empty. */
    public record Report(Path directory, int formatVersion, String source, String createdAt, Map<Part, Listed> parts,
                         List<String> errors) {
        public boolean ok() { return errors.isEmpty(); }
    }

    public Report verify(Path dir) {
        List<String> errors = new ArrayList<>();
        Map<Part, Listed> parts = new EnumMap<>(Part.class);
        Path manifestFile = dir.resolve(BackupFormat.MANIFEST);
        if (!Files.isDirectory(dir)) {
            errors.add(dir + " is not a directory");
            return new Report(dir, 0, "", "", parts, errors);
        }
        if (!Files.isRegularFile(manifestFile)) {
            errors.add(BackupFormat.MANIFEST + " is missing: not a complete Sigil backup (it was interrupted before it finished, or this is not one)");
            return new Report(dir, 0, "", "", parts, errors);
        }
        JsonNode m;
        try {
            m = BackupFormat.parse(Files.readString(manifestFile), BackupFormat.MANIFEST);
        } catch (IOException | InvalidInputError e) {
            errors.add(BackupFormat.MANIFEST + " cannot be read: " + e.getMessage());
            return new Report(dir, 0, "", "", parts, errors);
        }
        int version = m.path("format_version").asInt(0);
        if (!BackupFormat.FORMAT.equals(m.path("format").asText())) {
            errors.add(BackupFormat.MANIFEST + " is not a Sigil backup manifest (format is '" + m.path("format").asText() + "')");
        } else if (version != BackupFormat.VERSION) {
            errors.add("format version " + version + " is not " + BackupFormat.VERSION
                    + (version == 1 ? " (an events-only backup of an older Sigil: 'sigil restore' still reads it)" : ""));
        }
        Report head = new Report(dir, version, m.path("source").asText(""), m.path("created_at").asText(""), parts, errors);
        if (!errors.isEmpty()) return head;
        Set<String> listedFiles = new HashSet<>(Set.of(BackupFormat.MANIFEST));
        for (Part p : Part.values()) {
            JsonNode entry = m.path("stores").get(p.key());
            if (entry == null) {
                // Memory can be left out on purpose; prompt versions and memory vectors are absent from backups
                // older than them (a restore embeds the items then).
                if (p != Part.PROMPT_VERSIONS && p != Part.MEMORY_VECTORS
                        && (p != Part.MEMORY || m.path("memory_included").asBoolean(true))) {
                    errors.add("the manifest lists no " + p.key() + " store");
                }
                continue;
            }
            Listed l = new Listed(p, entry.path("file").asText(""), entry.path("records").asLong(-1),
                    entry.path("bytes").asLong(-1), entry.path("sha256").asText(""), entry);
            if (!l.file().equals(p.file())) {
                errors.add("the manifest names '" + l.file() + "' for the " + p.key() + " store, expected " + p.file());
                continue;
            }
            listedFiles.add(l.file());
            parts.put(p, l);
            checkFile(dir, l, errors);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.map(f -> f.getFileName().toString()).filter(f -> !listedFiles.contains(f)).sorted()
                    .forEach(f -> errors.add(f + " is in the backup directory but not in its manifest (added after the backup was taken)"));
        } catch (IOException e) {
            errors.add("cannot list " + dir + ": " + e.getMessage());
        }
        return head;
    }

    private void checkFile(Path dir, Listed l, List<String> errors) {
        Path f = dir.resolve(l.file());
        try {
            if (!Files.isRegularFile(f)) {
                errors.add(l.file() + " is missing (the manifest lists " + l.records() + " records in it)");
                return;
            }
            long size = Files.size(f);
            if (size < l.bytes()) {
                errors.add(l.file() + " is truncated: " + size + " bytes, the manifest says " + l.bytes());
                return;
            }
            if (size > l.bytes()) {
                errors.add(l.file() + " has " + (size - l.bytes()) + " bytes more than the manifest says (" + l.bytes()
                        + "): it was changed after the backup was taken");
                return;
            }
            MessageDigest sha = BackupFormat.sha256();
            long[] records = {0};
            List<String> lineErrors = new ArrayList<>();
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    records[0]++;
                    if (lineErrors.size() < 3) checkLine(l.part(), line, l.file() + ":" + records[0], lineErrors);
                }
            }
            if (!BackupFormat.hex(sha).equals(l.sha256())) {
                errors.add(l.file() + " does not match its SHA-256 in the manifest: it was changed after the backup was"
                        + " taken (tampered with or damaged)");
                return;
            }
            if (records[0] != l.records()) {
                errors.add(l.file() + " holds " + records[0] + " records, the manifest says " + l.records());
            }
            errors.addAll(lineErrors);
        } catch (IOException e) {
            errors.add("cannot read " + l.file() + ": " + e.getMessage());
        }
    }

    private void checkLine(Part part, String line, String where, List<String> errors) {
        try {
            JsonNode n = BackupFormat.parse(line, where);
            switch (part) {
                case EVENTS -> codec.decode(line.getBytes(StandardCharsets.UTF_8), 0, line.getBytes(StandardCharsets.UTF_8).length);
                case API_KEYS -> BackupFormat.apiKey(n);
                case MEMORY -> {
                    String kind = n.path("kind").asText();
                    if (!List.of("resource", "item", "category").contains(kind) || !n.path("record").isObject()) {
                        errors.add(where + ": not a memory record (kind is '" + kind + "')");
                    }
                }
                case MEMORY_VECTORS -> BackupFormat.vector(n, where);
                case PROMPT_VERSIONS -> {
                    PromptVersion v = PromptVersion.fromMap(BackupFormat.MAPPER.convertValue(n, Map.class));
                    if (v.versionId() == null) errors.add(where + ": a prompt version without version_id");
                }
                case AGENTS, CONTRACTS -> {
                    if (!n.path("name").isTextual()) errors.add(where + ": has no name");
                }
            }
        } catch (RuntimeException e) {
            errors.add(where + ": " + e.getMessage());
        }
    }

    /** Verifies the backup and fails with every problem found, or returns the verified report. */
    public Report requireSound(Path dir) {
        Report r = verify(dir);
        if (!r.ok()) {
            throw new InvalidInputError("the backup in " + dir + " is not sound: " + String.join("; ", r.errors()),
                    "nothing was changed; use another backup (run 'sigil verify --backup DIR' to check one)");
        }
        return r;
    }

    /** Streams the lines of one store's file (verify first); nothing when the backup has no such store. */
    public void lines(Path dir, Part part, Consumer<String> sink) {
        Path f = dir.resolve(part.file());
        if (!Files.isRegularFile(f)) return;
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) sink.accept(line);
        } catch (IOException e) {
            throw new InvalidInputError("cannot read " + f + ": " + e.getMessage(), "check the backup's permissions");
        }
    }
}
