package io.sigil.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A {@link PeerWorker} JVM and its command line protocol. */
final class WorkerProcess implements AutoCloseable {
    static final java.nio.file.Path LOGS = java.nio.file.Path.of("target", "peer-logs");

    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    WorkerProcess(String name, List<String> javaCommand, String baseUrl) {
        this.name = name;
        try {
            List<String> command = new java.util.ArrayList<>(javaCommand);
            command.addAll(List.of(PeerWorker.class.getName(), name, baseUrl));
            // Each framework logs as it does by default (e.g. Spring AI warns of every failed validation) to a file.
            java.nio.file.Files.createDirectories(LOGS);
            process = new ProcessBuilder(command).redirectError(LOGS.resolve(name + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " worker", e);
        }
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        expect("ready");
    }

    String name() { return name; }

    /** Sends a command and returns its answer (without the {@code @@ } marker). */
    String send(String command) {
        in.println(command);
        return expect(null);
    }

    private String expect(String exact) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.startsWith("@@ ")) continue; // a library's stray output
                String answer = line.substring(3);
                if (answer.startsWith("error") || (exact != null && !answer.equals(exact))) {
                    throw new IllegalStateException("the " + name + " worker answered: " + answer);
                }
                return answer;
            }
            throw new IllegalStateException("the " + name + " worker ended (exit " + process.waitFor() + "); see "
                    + LOGS.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from the " + name + " worker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        in.println("quit");
        process.destroy();
    }
}
