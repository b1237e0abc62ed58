package io.sigil.cli;

import io.sigil.events.file.FileStoreMaintenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sigil backup <dir>}: a consistent copy of the stores with a SHA-256 manifest; safe while a server runs. */
@Command(name = "backup", description = "Copy the stores, as of now, into a new or empty directory, with a SHA-256 manifest.")
final class BackupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;
    @Parameters(paramLabel = "DIR", description = "Where to put the backup (new or empty).")
    Path target;

    @Override
    public Integer call() {
        FileStoreMaintenance.BackupResult r = new FileStoreMaintenance().backup(state.dataDir(spec, "sigil backup"), target);
        spec.commandLine().getOut().printf("Backed up %d events of %d sessions (%d files, %d bytes) to %s%n",
                r.events(), r.sessions(), r.files().size(), r.bytes(), r.directory());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
