package io.sigil.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/sigil makes its start-up cache (JDK 25+) from a training run of its own. That run must not see the user's
 * environment: with SIGIL_STATE_BACKEND=postgres and DATABASE_URL set, it once migrated the user's database and
 * wrote its "hello" session there. Runs the script from a home of its own (its own target directory, so the cache is
 * made afresh) whose jar and libraries are the build's.
 */
class StartupCacheIT {
    @TempDir
    Path home;
    private final TestDatabases databases = new TestDatabases("sigil_startup_cache_");

    @AfterEach
    void drop() throws Exception {
        databases.close();
    }

    @Test
    void theStartUpCacheIsMadeWithoutTouchingTheUsersDatabase() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path built = root.resolve("sigil-server/target");
        Path jar;
        try (Stream<Path> s = Files.list(built)) {
            jar = s.filter(p -> p.getFileName().toString().matches("sigil-server-.*\\.jar")
                    && !p.getFileName().toString().matches(".*-(tests|sources|javadoc)\\.jar")).findFirst().orElseThrow();
        }
        Files.createDirectories(home.resolve("bin"));
        for (String f : new String[] {"sigil", "find-java"}) {
            Files.copy(root.resolve("bin").resolve(f), home.resolve("bin").resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path target = Files.createDirectories(home.resolve("sigil-server/target"));
        Files.createSymbolicLink(target.resolve(jar.getFileName()), jar);
        Files.createSymbolicLink(target.resolve("lib"), built.resolve("lib"));
        String name = databases.create();

        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/sigil").toString(), "--help").redirectErrorStream(true);
        pb.environment().put("SIGIL_STATE_BACKEND", "postgres");
        pb.environment().put("DATABASE_URL", TestDatabases.url(name));
        pb.environment().put("SIGIL_STARTUP_CACHE", "aot");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        if (out.contains("creating the start-up cache")) { // only on JDK 25+
            assertThat(target.resolve("sigil.aot")).as(out).exists();
        }
        assertThat(TestDatabases.count(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .as("tables in the user's database after the cache was made").isZero();
    }
}
