package io.sigil.cli;

import io.sigil.backup.BackupFormat;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.backup.BackupReader;
import io.sigil.backup.StateImporter;
import io.sigil.errors.InvalidInputError;
import io.sigil.events.StreamInfo;
import io.sigil.events.file.FileStoreMaintenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code sigil restore <dir>}: verifies a backup (manifest, sizes, checksums) and loads it into the configured
 * backend's empty stores: events with their ids, versions and timestamps, API keys (hashes), agents, contracts
 * and memory (the index is rebuilt from the items and their stored vectors; items are embedded again only when the
 * backup's embedding model is not the configured one, or it has no vectors). Safe to run again after an
 * interruption. A backup of format 1 (events only, older Sigil) is restored the old way (file backend).
 */
@Command(name = "restore", description = "Restore a verified backup into empty stores (stop the server first; safe to re-run).")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;
    @Option(names = "--no-memory", description = "Do not restore memory.")
    boolean noMemory;
    @Parameters(paramLabel = "DIR", description = "A directory written by 'sigil backup'.")
    Path backup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupReader reader = new BackupReader();
        BackupReader.Report report = reader.verify(backup);
        if (report.formatVersion() == 1) {
            FileStoreMaintenance.RestoreResult r = new FileStoreMaintenance().restore(backup, state.dataDir(spec, "restoring a format 1 backup"));
            out.printf("Restored %d events of %d sessions into %s (format 1 backup: events only)%n", r.events(), r.sessions(), r.dataDir());
            out.flush();
            return ExitCodes.OK;
        }
        reader.requireSound(backup);
        boolean withMemory = !noMemory && report.parts().containsKey(Part.MEMORY);
        try (StateAccess access = StateAccess.open(state.effective(spec), state.backend(spec), false, withMemory, true)) {
            requireEmptyOrSameSessions(reader, access);
            Map<Part, StateImporter.PartResult> loaded = new StateImporter().load(backup, access.stores());
            out.printf("Restored %s (taken %s from %s) into the %s backend:%n", backup, report.createdAt(), report.source(), access.backend);
            print(out, loaded);
            if (!access.memoryNote.isEmpty() && report.parts().containsKey(Part.MEMORY)) out.println("  (" + access.memoryNote + ")");
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** A restore goes into empty stores; a store holding only part of this backup (an interrupted restore) is fine. */
    private void requireEmptyOrSameSessions(BackupReader reader, StateAccess access) {
        List<StreamInfo> sessions = access.state.events().sessions();
        if (sessions.isEmpty()) return;
        Set<String> inBackup = new HashSet<>();
        reader.lines(backup, Part.EVENTS, line -> inBackup.add(BackupFormat.sessionOf(line)));
        long foreign = sessions.stream().filter(s -> !inBackup.contains(s.sessionId())).count();
        if (foreign > 0) {
            throw new InvalidInputError("the target event store is not empty: it holds " + foreign
                    + " session(s) that are not in the backup", "restore into empty stores (another --data-dir or "
                    + "DATABASE_URL), or use 'sigil state copy' to merge stores");
        }
    }

    static void print(PrintWriter out, Map<Part, StateImporter.PartResult> loaded) {
        out.printf("  %-15s %8s %8s %14s%n", "STORE", "RECORDS", "WRITTEN", "ALREADY THERE");
        for (var e : loaded.entrySet()) {
            StateImporter.PartResult r = e.getValue();
            out.printf("  %-15s %8d %8d %14d%s%n", e.getKey().key(), r.records(), r.written(), r.present(),
                    r.note().isEmpty() ? "" : "  " + r.note());
        }
    }
}
