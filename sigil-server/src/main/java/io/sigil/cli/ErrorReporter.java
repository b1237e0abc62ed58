package io.sigil.cli;

import io.sigil.errors.SigilError;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns any failure of a command into one line {@code [CODE] message} (plus a hint) on stderr and an exit code.
 * The stack trace is printed only with {@code --debug}: users see what went wrong and how to fix it, not frames.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean debug = debugRequested(parseResult);
        int exit;
        if (ex instanceof SigilError e) {
            err.println(e.display());
            if (e.hint() != null) err.println("  hint: " + e.hint());
            exit = ExitCodes.forCode(e.code());
        } else {
            err.println("[INTERNAL_ERROR] " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
            err.println("  hint: this is a bug in Sigil; rerun with --debug and report the stack trace.");
            exit = ExitCodes.FAILURE;
        }
        if (debug) ex.printStackTrace(err);
        err.flush();
        return exit;
    }

    /** --debug is inherited by subcommands, so it may have matched at any level of the command chain. */
    private static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--debug")) return true;
        }
        return false;
    }
}
