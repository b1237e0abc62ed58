package io.sigil.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void versionExitsZeroAndNamesSigil() {
        var out = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out));

        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("sigil ");
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneLineMessage() {
        var err = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setErr(new PrintWriter(err));

        assertThat(cl.execute("--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("[INVALID_INPUT] Unknown option: '--no-such-option'");
    }
}
