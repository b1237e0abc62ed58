package io.sigil.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with an injected environment and working directory, capturing stdout and stderr. */
record CliHarness(Map<String, String> env, Path workingDir, boolean stdoutIsTerminal) {

    CliHarness(Map<String, String> env, Path workingDir) {
        this(env, workingDir, false);
    }

    record Run(int exit, String out, String err) { }

    Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        // The tree Main builds: only the subcommand the arguments name.
        CommandLine cl = SigilCommand.commandLineFor(env, workingDir, stdoutIsTerminal, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
