package io.sigil.fakes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP servers from the npm registry that tests start: {@code @modelcontextprotocol/server-everything}
 * and {@code @modelcontextprotocol/server-filesystem}, at pinned versions, installed once into a cache directory
 * ({@code SIGIL_TEST_NPM_DIR}, default {@code ~/.cache/sigil-test-npm}) by {@code .ci/run} or, when missing, by
 * the first test that needs them. Tests run them with {@code node}, never with npx, so no test reaches the
 * network once the cache is filled.
 */
public final class NpmMcpServers {
    public static final String VERSION = "2026.8.31";
    public static final List<String> PACKAGES = List.of(
            "@modelcontextprotocol/server-everything@" + VERSION,
            "@modelcontextprotocol/server-filesystem@" + VERSION);

    private NpmMcpServers() { }

    public static Path dir() {
        String configured = System.getenv("SIGIL_TEST_NPM_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "sigil-test-npm");
    }

    /** The entry script of server-everything ({@code node <it> stdio|streamableHttp}). */
    public static Path everything() {
        return script("server-everything");
    }

    /** The entry script of server-filesystem ({@code node <it> <allowed dir>...}). */
    public static Path filesystem() {
        return script("server-filesystem");
    }

    /** {@code node}, as found on the PATH. */
    public static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "node");
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new IllegalStateException("node is not on the PATH; the MCP tests start real MCP servers with it"
                + " (install Node.js 18+, e.g. apt-get install -y nodejs npm)");
    }

    private static synchronized Path script(String pkg) {
        Path script = dir().resolve("node_modules/@modelcontextprotocol/" + pkg + "/dist/index.js");
        if (!Files.isRegularFile(script)) install();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing after npm install; run .ci/run or: npm install --prefix "
                    + dir() + " " + String.join(" ", PACKAGES));
        }
        return script;
    }

    private static void install() {
        try {
            Files.createDirectories(dir());
            Path manifest = dir().resolve("package.json");
            if (!Files.exists(manifest)) Files.writeString(manifest, "{\"name\": \"sigil-test-npm\", \"private\": true}\n");
            var command = new java.util.ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    dir().toString()));
            command.addAll(PACKAGES);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("npm install of the test MCP servers took over 5 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("npm install of " + PACKAGES + " into " + dir() + " failed (exit "
                        + p.exitValue() + "); run .ci/run, or run it by hand with network access");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm to install the test MCP servers: " + e.getMessage()
                    + " (install Node.js and npm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the test MCP servers", e);
        }
    }
}
