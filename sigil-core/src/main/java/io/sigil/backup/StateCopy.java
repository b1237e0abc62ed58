package io.sigil.backup;

import io.sigil.backup.BackupFormat.Part;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Copies one backend's state into another ({@code sigil state copy}): the source is exported as a backup (one
 * consistent snapshot), the backup is verified and loaded into the target ({@link StateImporter}: re-running a
 * copy writes only what is missing), then the target is exported the same way and each store's checksum and
 * count are compared with the source's. Equal checksums mean the target holds exactly the source's content. The
 * export carries the items' vectors: with one embedding model on both sides they are copied, not computed again
 * ({@link MemoryImport}), and their checksums are compared too. Memory a backend holds itself (PostgreSQL) is
 * exported from its snapshot, in both roles: no search index is built to read it.
 */
public final class StateCopy {

    /** What a copy did and found. */
    public record Report(Map<Part, StateImporter.PartResult> loaded, Map<Part, BackupWriter.PartSummary> source,
                         Map<Part, BackupWriter.PartSummary> target, List<String> mismatches) {
        public boolean verified() { return mismatches.isEmpty(); }
    }

    /**
     * @param source         the source's snapshot (closed by the caller)
     * @param sourceMemory   the source's memory, or null to leave memory out
     * @param target         the target's stores ({@code memory} null when memory is left out)
     * @param targetSnapshot a snapshot of the target, taken after the load
     * @param workDir        an empty directory for the two exports (kept: the source export is a backup)
     */
    public Report copy(StateSnapshot source, MemorySnapshot sourceMemory, StateStores target,
                       Supplier<StateSnapshot> targetSnapshot, Path workDir) {
        BackupWriter writer = new BackupWriter();
        Path sourceDir = workDir.resolve("source");
        BackupWriter.Result from = writer.write(source, sourceMemory, sourceDir);
        Map<Part, StateImporter.PartResult> loaded = new StateImporter().load(sourceDir, target);
        BackupWriter.Result to;
        try (StateSnapshot after = targetSnapshot.get()) {
            to = writer.write(after, sourceMemory == null ? null : MemorySnapshot.of(after, target.memory()),
                    workDir.resolve("target"));
        }
        List<String> mismatches = new ArrayList<>();
        for (var e : from.parts().entrySet()) {
            BackupWriter.PartSummary s = e.getValue();
            BackupWriter.PartSummary t = to.parts().get(e.getKey());
            if (e.getKey() == Part.MEMORY_VECTORS && !comparableVectors(s, t)) {
                continue; // embedded again by another model, or a source that keeps none: they differ by design
            } else if (t == null) {
                mismatches.add(e.getKey().key() + ": not in the target");
            } else if (!s.sha256().equals(t.sha256())) {
                mismatches.add(e.getKey().key() + ": the target holds " + t.records() + " records, the source "
                        + s.records() + ", and their checksums differ (the target held other data before the copy,"
                        + " or the source changed since the copy started)");
            }
        }
        return new Report(loaded, new EnumMap<>(from.parts()), new EnumMap<>(to.parts()), mismatches);
    }

    /** The target's vectors must equal the source's when the source kept one per item and both use one model. */
    public static boolean comparableVectors(BackupWriter.PartSummary source, BackupWriter.PartSummary target) {
        return target != null && source.counts().get("embedding_model").equals(target.counts().get("embedding_model"))
                && ((Number) source.counts().get("items_without_vector")).longValue() == 0;
    }
}
