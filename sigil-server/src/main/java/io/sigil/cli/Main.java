package io.sigil.cli;

import picocli.CommandLine;

/** The {@code sigil} entry point: builds the command tree and exits with the code the command chose. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return SigilCommand.commandLine().execute(args);
    }
}
