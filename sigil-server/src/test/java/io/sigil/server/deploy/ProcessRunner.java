package io.sigil.server.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool to completion with a timeout and returns its exit code and combined output. */
public final class ProcessRunner {
    public record Result(int exitCode, String output) {
        public Result ok(String what) {
            if (exitCode != 0) throw new AssertionError(what + " exited " + exitCode + ":\n" + output);
            return this;
        }
    }

    private ProcessRunner() { }

    public static Result run(Path dir, long timeoutSeconds, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // Read while it runs so a chatty tool never blocks on a full pipe.
            var out = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                        + out.toString(StandardCharsets.UTF_8));
            }
            reader.join(5_000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The tool's path, or an assertion error saying how to install it (.ci/run does). */
    public static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (java.nio.file.Files.isExecutable(p)) return p.toString();
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin")) {
            Path p = Path.of(dir, tool);
            if (java.nio.file.Files.isExecutable(p)) return p.toString();
        }
        throw new AssertionError(tool + " is not installed; install the Debian package: apt-get install -y "
                + debianPackage + " (bash .ci/run installs it when missing)");
    }
}
