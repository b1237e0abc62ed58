package io.sigil.cli;

import io.sigil.events.file.FileStoreMaintenance;
import io.sigil.events.file.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sigil verify}: reads every record of every store Sigil keeps (today: the event store), checksums and
 * JSON included, and prints what it found. Exit 0 when nothing is damaged, 1 otherwise. Never changes a file,
 * so it runs beside a server.
 */
@Command(name = "verify", description = "Check the integrity of Sigil's stores; exit 0 when sound, 1 when damaged.")
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
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
}
