package io.sigil.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void versionExitsZeroNamesSigilAndIsAnsweredTheSameWithoutPicocli() {
        var out = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out));

        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("sigil ");
        assertThat(out.toString()).isEqualTo(fastVersionAnswer("--version")).isEqualTo(fastVersionAnswer("-V"));

        // anything more goes through picocli (which also rejects what it does not know)
        var ignored = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        assertThat(Main.printedVersion(ignored, "--version", "--help")).isFalse();
        assertThat(Main.printedVersion(ignored, "run", "--version")).isFalse();
        assertThat(Main.printedVersion(ignored)).isFalse();
    }

    /** What {@link Main} prints for a lone version flag without building the command line. */
    private static String fastVersionAnswer(String flag) {
        var bytes = new java.io.ByteArrayOutputStream();
        assertThat(Main.printedVersion(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), flag))
                .isTrue();
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneLineMessage() {
        var err = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setErr(new PrintWriter(err));

        assertThat(cl.execute("--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("[INVALID_INPUT] Unknown option: '--no-such-option'");
    }

    @Test
    void everyCommandAnswersHelpEvenWithRequiredArguments() {
        CommandLine root = SigilCommand.commandLine();
        var paths = new java.util.ArrayList<java.util.List<String>>();
        collect(root, new java.util.ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(40);
        for (var path : paths) {
            var out = new StringWriter();
            var err = new StringWriter();
            var args = new java.util.ArrayList<>(path);
            args.add("--help");
            // the tree Main builds for these arguments: only the named command
            CommandLine cl = SigilCommand.commandLineFor(args.toArray(String[]::new));
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute(args.toArray(String[]::new))).as(String.join(" ", args) + ": " + err).isZero();
            assertThat(out.toString()).as(String.join(" ", path)).startsWith("Usage: sigil");
        }
    }

    private static void collect(CommandLine cl, java.util.List<String> path, java.util.List<java.util.List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandName().equals(e.getKey())) continue; // an alias of a command already seen
            if (e.getKey().equals("help")) continue; // picocli's own help command
            var sub = new java.util.ArrayList<>(path);
            sub.add(e.getKey());
            out.add(sub);
            collect(e.getValue(), sub, out);
        }
    }
}
