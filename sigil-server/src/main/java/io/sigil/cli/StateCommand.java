package io.sigil.cli;

import io.sigil.backup.BackupFormat.Part;
import io.sigil.backup.BackupWriter;
import io.sigil.backup.StateCopy;
import io.sigil.backup.StateImporter;
import io.sigil.backup.StateSnapshot;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code sigil state copy}: moves an installation between backends. */
@Command(name = "state", description = "Move state between backends.", mixinStandardHelpOptions = true,
        subcommands = {StateCommand.Copy.class})
final class StateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /**
     * Copies events, API keys, agents, contracts and memory from one backend to the other (the file stores of the
     * settings' directories, the database of DATABASE_URL), verifies per store that the target's content has the
     * source's count and SHA-256, and reports what it wrote. Re-running writes only what is missing. Stop servers
     * on the source first, or what they write during the copy is reported as a mismatch.
     */
    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = "Copy all state from one backend to the other, verify counts and checksums; safe to re-run.")
    static final class Copy implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--from", required = true, paramLabel = "BACKEND", description = "file or postgres")
        String from;
        @Option(names = "--to", required = true, paramLabel = "BACKEND", description = "postgres or file")
        String to;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "The file backend's event store directory (default: state.data_dir).")
        Path dataDir;
        @Option(names = "--no-memory", description = "Leave memory out.")
        boolean noMemory;
        @Option(names = "--keep-export", paramLabel = "DIR",
                description = "Keep the source's and the target's exports (portable backups) in this new or empty directory.")
        Path keep;

        @Override
        public Integer call() throws IOException {
            for (String b : new String[] {from, to}) {
                if (!b.equals("file") && !b.equals("postgres")) {
                    throw new InvalidInputError("unknown backend '" + b + "'", "use --from file --to postgres, or --from postgres --to file");
                }
            }
            if (from.equals(to)) {
                throw new InvalidInputError("--from and --to are both " + from, "copy between file and postgres (for a copy of one backend, use 'sigil backup' and 'sigil restore')");
            }
            Settings base = SigilCommand.root(spec).settings();
            if (dataDir != null) base = base.withState(new Settings.State(dataDir, base.state().maxEventsPerSession(), base.state().backend()));
            Path work = keep != null ? keep : Files.createTempDirectory("sigil-state-copy-");
            PrintWriter out = spec.commandLine().getOut();
            StateCopy.Report report;
            String sourceName;
            try (StateAccess source = StateAccess.open(base, from, true, !noMemory, false);
                 StateSnapshot snapshot = source.snapshot();
                 StateAccess target = StateAccess.open(base, to, false, !noMemory && source.hasMemory(), true)) {
                sourceName = snapshot.source();
                if (source.hasMemory() && target.memory == null) {
                    throw new InvalidInputError("the source has memory but the target cannot hold it (" + target.memoryNote + ")",
                            "install the target's memory module, or pass --no-memory to copy everything else");
                }
                report = new StateCopy().copy(snapshot, source.memoryOf(snapshot), target.stores(), target::snapshot, work);
                out.printf("Copied %s to the %s backend.%n", sourceName, to);
                if (!source.memoryNote.isEmpty()) out.println("(" + source.memoryNote + ")");
            } finally {
                if (keep == null) deleteTree(work);
            }
            out.printf("  %-15s %8s %8s %14s  %s%n", "STORE", "SOURCE", "WRITTEN", "ALREADY THERE", "TARGET CHECKSUM");
            for (var e : report.source().entrySet()) {
                Part p = e.getKey();
                StateImporter.PartResult l = report.loaded().get(p);
                BackupWriter.PartSummary t = report.target().get(p);
                boolean same = t != null && t.sha256().equals(e.getValue().sha256());
                String check = same ? "equal (sha256 " + t.sha256().substring(0, 16) + ")"
                        : p == Part.MEMORY_VECTORS && !StateCopy.comparableVectors(e.getValue(), t) ? "not compared (embedded again)"
                        : "DIFFERENT";
                out.printf("  %-15s %8d %8d %14d  %s%n", p.key(), e.getValue().records(), l.written(), l.present(), check);
                if (!l.note().isEmpty()) out.println("    " + l.note());
            }
            if (report.verified()) {
                out.println("Verified: every store in the target has the source's record count and SHA-256.");
            } else {
                report.mismatches().forEach(m -> out.println("mismatch: " + m));
                out.println("The copy is not verified; run it again once nothing writes to the source.");
            }
            if (keep != null) out.println("Exports kept in " + keep + " (source/ is a backup 'sigil restore' reads).");
            out.flush();
            return report.verified() ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) return;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
