package io.sigil.cli;

import io.sigil.events.file.FileStoreMaintenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sigil restore <dir>}: checks a backup's manifest and checksums, then replaces the stores with it in one
 * atomic switch. Refused while a server holds the data directory.
 */
@Command(name = "restore", description = "Replace the stores with a verified backup (stop the server first).")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    StateOptions state;
    @Parameters(paramLabel = "DIR", description = "A directory written by 'sigil backup'.")
    Path backup;

    @Override
    public Integer call() {
        FileStoreMaintenance.RestoreResult r = new FileStoreMaintenance().restore(backup, state.dataDir(spec, "sigil restore"));
        spec.commandLine().getOut().printf("Restored %d events of %d sessions into %s%n", r.events(), r.sessions(), r.dataDir());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
