package io.sigil.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up guard (issue 16, point 5) that measures no time: the packaged jar runs in a fresh JVM with
 * {@code -Xlog:class+load}, and a command must not load the subsystems it does not use. A class loaded is start-up
 * CPU spent (TLS set-up alone was a fifth of {@code sigil --version}); which classes load does not depend on the
 * machine's load, so this cannot flake the way a timing would.
 */
class StartupClassLoadingIT {
    /**
     * TLS and the JDK HTTP client's implementation: only commands that talk to a server or a vendor need them (the
     * API types alone, such as {@code java.net.http.HttpClient} named by a field, cost nothing to speak of).
     */
    private static final List<String> NETWORK = List.of("javax.net.ssl.", "sun.security.ssl.", "jdk.internal.net.http.");
    /** The embedding and search stacks: only commands that embed or open the memory index. */
    private static final List<String> HEAVY = List.of("ai.onnxruntime.", "ai.djl.", "dev.langchain4j.", "org.apache.lucene.");

    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("sigil-server-.*\\.jar"))
                    .filter(p -> !p.toString().endsWith("-tests.jar")).findFirst().orElseThrow();
        }
    }

    record Loaded(int exit, String out, List<String> classes) {
        List<String> matching(List<String> prefixes) {
            return classes.stream().filter(c -> prefixes.stream().anyMatch(c::startsWith)).limit(5).toList();
        }
    }

    private Loaded run(String... args) throws Exception {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".txt");
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log + ":none", "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGIL_") || k.endsWith("_API_KEY")
                || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().put("SIGIL_STATE_DATA_DIR", dir.resolve("state").toString());
        pb.environment().put("SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString());
        pb.environment().put("SIGIL_AGENTS_DIR", dir.resolve("agents").toString());
        Path out = dir.resolve("stdout.txt");
        pb.redirectOutput(out.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // undecorated lines: "java.lang.Object source: jrt:/java.base"
        List<String> classes = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(l -> l.contains(" ") ? l.substring(0, l.indexOf(' ')) : l).toList();
        return new Loaded(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), classes);
    }

    @Test
    void versionLoadsNeitherTheCommandTreeNorJsonNorTheNetwork() throws Exception {
        Loaded r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("sigil ");
        assertThat(r.classes()).contains("io.sigil.cli.Main");
        // (the version provider's interface is picocli's, but not the parser)
        assertThat(r.classes()).doesNotContain("picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec");
        assertThat(r.matching(List.of("com.fasterxml.jackson.", "io.sigil.config."))).isEmpty();
        assertThat(r.matching(NETWORK)).isEmpty();
        assertThat(r.matching(HEAVY)).isEmpty();
    }

    @Test
    void aCommandBuildsOnlyItselfAndAServerCommandConnectsOnlyWhenItCalls() throws Exception {
        Loaded r = run("plans", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: sigil plans");
        // other commands' classes are named (loaded) by the registry, but their subcommands are never built
        assertThat(r.classes()).contains("io.sigil.cli.PlansCommand$ListPlans").doesNotContain(
                "io.sigil.cli.MemoryCommand$Remember", "io.sigil.cli.SessionsCommand$ListSessions",
                "io.sigil.cli.KeysCommand$Create");
        assertThat(r.matching(NETWORK)).isEmpty();
    }

    @Test
    void anOfflineRunWithTheRuleGuardLoadsNoNetworkNorEmbeddingStack() throws Exception {
        Loaded r = run("--set", "guard.detector=rules", "run", "--model", "test", "--quiet", "hello");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("hello");
        assertThat(r.classes()).contains("io.sigil.cli.RunCommand");
        assertThat(r.matching(NETWORK)).as("TLS/HTTP client classes").isEmpty();
        assertThat(r.matching(HEAVY)).as("embedding/search classes").isEmpty();
    }

    @Test
    void configShowLoadsNoNetworkNorEmbeddingStack() throws Exception {
        Loaded r = run("config", "show");
        assertThat(r.exit()).isZero();
        assertThat(r.matching(NETWORK)).isEmpty();
        assertThat(r.matching(HEAVY)).isEmpty();
    }
}
