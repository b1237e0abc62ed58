package io.sigil.cli;

import java.io.PrintStream;

/**
 * The {@code sigil} entry point: builds the part of the command tree the arguments need and exits with the code
 * the command chose.
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        if (printedVersion(System.out, args)) return ExitCodes.OK;
        return SigilCommand.commandLineFor(args).execute(args);
    }

    /**
     * Answers a lone {@code --version} (or {@code -V}) with the lines picocli would print: building even the bare
     * root command costs more than the answer, and {@code sigil --version} is what scripts and people time.
     */
    static boolean printedVersion(PrintStream out, String... args) {
        if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) return false;
        for (String line : new SigilCommand.Version().getVersion()) out.println(line);
        out.flush();
        return true;
    }
}
