package io.sigil.cli;

import io.sigil.events.file.FileStoreMaintenance;
import io.sigil.events.file.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.sigil.backup.BackupReader;
import java.nio.file.Path;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sigil verify}: reads every record of the event store, checksums and JSON included, and prints what it
 * found; {@code sigil verify --backup DIR} checks a backup the same way. Exit 0 when nothing is damaged, 1 otherwise. Never changes a file,
 * so it runs beside a server.
 */
@Command(name = "verify", description = "Check the integrity of Sigil's stores; exit 0 when sound, 1 when damaged.")
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;
    @Option(names = "--backup", paramLabel = "DIR",
            description = "Check a backup instead: its manifest, every file's size, record count and SHA-256, every record.")
    Path backup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (backup != null) return verifyBackup(out);
        List<VerifyReport> reports = List.of(new FileStoreMaintenance().verify(state.dataDir(spec, "sigil verify")));
        boolean ok = true;
        for (VerifyReport r : reports) {
            out.printf("%s store at %s: %s%n", r.store(), r.location(), r.ok() ? "OK" : "DAMAGED");
            out.printf("  %d segments, %d records, %d events, %d sessions%n", r.segments(), r.records(), r.events(), r.sessions());
            for (String e : r.errors()) out.println("  error: " + e);
            for (String w : r.warnings()) out.println("  warning: " + w);
            ok &= r.ok();
        }
        if (!ok) out.println("Restore the last good backup with 'sigil restore <dir>'.");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private int verifyBackup(PrintWriter out) {
        BackupReader.Report r = new BackupReader().verify(backup);
        out.printf("backup at %s: %s%n", backup, r.ok() ? "OK" : "DAMAGED");
        if (!r.source().isEmpty()) out.printf("  taken %s from %s (format %d)%n", r.createdAt(), r.source(), r.formatVersion());
        for (var p : r.parts().values()) {
            out.printf("  %-15s %8d records  %10d bytes  sha256 %s%n", p.part().key(), p.records(), p.bytes(),
                    p.sha256().length() > 16 ? p.sha256().substring(0, 16) : p.sha256());
        }
        for (String e : r.errors()) out.println("  error: " + e);
        if (!r.ok()) out.println("Do not restore this backup; use another one (or take a new backup).");
        out.flush();
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
