package io.sigil.cli;

import io.sigil.backup.BackupFormat.Part;
import io.sigil.backup.BackupWriter;
import io.sigil.backup.StateSnapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sigil backup <dir>}: all durable state (events, API keys, agents, contracts, memory) of the configured
 * backend, as of one moment, in the portable format with one manifest (io.sigil.backup.BackupFormat). On files the
 * event store is read as a snapshot beside a running server; memory needs its index, so a server holding it must
 * be stopped (or pass --no-memory). On PostgreSQL one REPEATABLE READ transaction gives the snapshot.
 */
@Command(name = "backup", description = "Back up all state (events, API keys, agents, contracts, memory) into a new or empty directory, with a manifest of counts and SHA-256 checksums.")
final class BackupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;
    @Option(names = "--no-memory", description = "Leave memory out (its index is locked while a server runs on files).")
    boolean noMemory;
    @Option(names = "--no-vectors", description = "Leave the memory items' vectors out: a restore embeds every item "
            + "again (slow), but a Sigil from before vectors were in backups can restore it.")
    boolean noVectors;
    @Parameters(paramLabel = "DIR", description = "Where to put the backup (new or empty).")
    Path target;

    @Override
    public Integer call() {
        try (StateAccess access = StateAccess.open(state.effective(spec), state.backend(spec), true, !noMemory, false);
             StateSnapshot snapshot = access.snapshot()) {
            BackupWriter.Result r = (noVectors ? BackupWriter.withoutVectors() : new BackupWriter()).write(snapshot, access.memoryOf(snapshot), target);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Backed up %s to %s:%n", snapshot.source(), r.directory());
            print(out, r);
            if (!access.memoryNote.isEmpty()) out.println("  (" + access.memoryNote + ")");
            out.flush();
        }
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, BackupWriter.Result r) {
        for (var e : r.parts().entrySet()) {
            BackupWriter.PartSummary s = e.getValue();
            String extra = s.counts().isEmpty() ? "" : " " + s.counts();
            out.printf("  %-15s %8d records  %10d bytes  sha256 %s%s%n", e.getKey().key(), s.records(), s.bytes(),
                    s.sha256().substring(0, 16), extra);
        }
        if (!r.parts().containsKey(Part.MEMORY)) out.println("  memory     not included");
    }
}
