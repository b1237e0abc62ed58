package io.sigil.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@link PeerFakeServer} in a child JVM, so that its work is not counted against any contender. */
final class FakeServerProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;

    FakeServerProcess(String java, String classpath) {
        try {
            process = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, PeerFakeServer.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("base-url ")) {
                process.destroy();
                throw new IllegalStateException("the fake server did not start (first line: " + line + ")");
            }
            baseUrl = line.substring("base-url ".length()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake server", e);
        }
    }

    String baseUrl() { return baseUrl; }

    @Override
    public void close() { process.destroy(); }
}
