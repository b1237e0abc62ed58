package io.sigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sigil opens no connection the user did not configure (issue 16, point 1): a run with memory on and the offline
 * test model, in a fresh JVM (DJL calls home at most once per process, so only a fresh one shows it), must not
 * try to reach any non-loopback address. The control shows that the watch catches DJL's telemetry when it is not
 * opted out.
 */
class NoOutboundConnectionIT {

    @TempDir
    Path dir;

    record Result(int exit, String err) { }

    private Result watch(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OutboundConnectionWatch.class.getName()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // Nothing from the machine that would configure a service, or opt out on Sigil's behalf.
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGIL_") || k.endsWith("_API_KEY") || k.startsWith("DJL_")
                || k.equals("OPT_OUT_TRACKING") || k.equals("DATABASE_URL") || k.equals("REDIS_URL")
                || k.startsWith("OTEL_") || k.toLowerCase().endsWith("_proxy"));
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the watched JVM finished").isTrue();
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRunWithMemoryOnTheOfflineModelConnectsNowhere() throws Exception {
        Result r = watch("--set", "features.memory=true", "--set", "state.data_dir=" + dir.resolve("state"),
                "--set", "memory.data_dir=" + dir.resolve("memory"), "run", "--model", "test", "--quiet",
                "remember that Acme's budget is 50k");
        assertThat(r.err()).contains("WATCH-DONE exit=0");
        assertThat(Files.exists(dir.resolve("memory"))).as("the memory index was opened (the embedder loaded)").isTrue();
        assertThat(r.err()).doesNotContain("OUTBOUND").doesNotContain("LOOPBACK");
    }

    @Test
    void theWatchCatchesDjlTelemetryWhenNotOptedOut() throws Exception {
        Result r = watch("--call-home-control");
        assertThat(r.err()).contains("OUTBOUND socket://169.254.169.254:80");
    }
}
