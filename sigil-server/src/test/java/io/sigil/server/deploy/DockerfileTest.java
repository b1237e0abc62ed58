package io.sigil.server.deploy;

import io.sigil.server.ServerRoutes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile: built by deploy/assemble-runtime.sh (which SigilRuntimeImageIT runs and starts), non-root, data and
 * log volumes, a HEALTHCHECK on a path the server serves, and ENV defaults that are valid settings.
 */
class DockerfileTest {
    static final String DOCKERFILE = DeployFiles.read("Dockerfile");

    /** Instructions with their continuation lines joined. */
    static List<String> instructions() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : DOCKERFILE.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || t.isEmpty()) continue;
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
            } else {
                out.add(current.append(t).toString());
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void buildsThroughTheRuntimeAssemblyScriptInAMultiStageBuild() {
        List<String> ins = instructions();
        assertThat(ins.stream().filter(i -> i.startsWith("FROM ")).count()).isEqualTo(2);
        assertThat(ins).anyMatch(i -> i.startsWith("RUN ") && i.contains("deploy/assemble-runtime.sh"));
        assertThat(ins).anyMatch(i -> i.startsWith("COPY --from=build /opt/sigil/"));
        assertThat(Files.isExecutable(DeployFiles.file("deploy/assemble-runtime.sh"))).isTrue();
        for (String i : ins) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                String[] parts = i.substring(5).strip().split("\\s+");
                for (int k = 0; k < parts.length - 1; k++) {
                    assertThat(DeployFiles.file(parts[k])).as("COPY source " + parts[k]).exists();
                }
            }
        }
    }

    @Test
    void theBuildStageCopiesEveryModuleTheServerIsBuiltFrom() {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(DeployFiles.read("pom.xml"));
        List<String> copies = instructions().stream().filter(i -> i.startsWith("COPY ")).toList();
        int modules = 0;
        while (m.find()) {
            String module = m.group(1);
            modules++;
            assertThat(copies).as("the reactor needs every module's pom").contains("COPY " + module + "/pom.xml " + module + "/");
            // The benchmarks are not part of the image; a pom-only module has no sources.
            if (!module.equals("sigil-bench") && Files.isDirectory(DeployFiles.file(module + "/src/main"))) {
                assertThat(copies).as(module + " sources").contains("COPY " + module + "/src/ " + module + "/src/");
            }
        }
        assertThat(modules).isGreaterThanOrEqualTo(4);
    }

    @Test
    void runsAsANonRootUserWithDataAndLogVolumes() {
        List<String> ins = instructions();
        assertThat(ins).contains("USER sigil");
        assertThat(ins).anyMatch(i -> i.startsWith("VOLUME ") && i.contains("/app/data") && i.contains("/app/logs"));
        assertThat(ins).anyMatch(i -> i.startsWith("ENTRYPOINT [\"/opt/sigil/bin/sigil\"]"));
    }

    @Test
    void healthcheckProbesAServedPathOnTheExposedPort() {
        String hc = instructions().stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S+)").matcher(hc);
        assertThat(m.find()).as(hc).isTrue();
        assertThat(instructions()).contains("EXPOSE " + m.group(1));
        assertThat(ServerRoutes.getPaths()).contains(m.group(2));
    }

    @Test
    void environmentDefaultsAreValidSettings() {
        List<String> problems = new ArrayList<>();
        for (String i : instructions()) {
            if (!i.startsWith("ENV ")) continue;
            Matcher kv = Pattern.compile("([A-Z][A-Z0-9_]*)=(\\S*)").matcher(i);
            while (kv.find()) DeployFiles.envProblem("Dockerfile", kv.group(1), kv.group(2)).ifPresent(problems::add);
        }
        assertThat(problems).isEmpty();
        assertThat(DOCKERFILE).contains("SIGIL_STATE_DATA_DIR=/app/data/state").contains("SIGIL_MEMORY_DATA_DIR=/app/data/memory");
    }

    @Test
    void theLauncherReadsEverySecretSettingFromAFileAndNothingElse() {
        Matcher m = Pattern.compile("secret_names=\"([^\"]+)\"").matcher(DeployFiles.read("deploy/assemble-runtime.sh"));
        assertThat(m.find()).isTrue();
        List<String> secrets = io.sigil.config.ConfigCatalogue.all().stream().filter(io.sigil.config.ConfigKey::isSecret)
                .map(io.sigil.config.ConfigKey::primaryEnvName).toList();
        assertThat(List.of(m.group(1).split(" "))).containsExactlyInAnyOrderElementsOf(secrets);
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndSecrets() {
        String ignore = DeployFiles.read(".dockerignore");
        assertThat(ignore).contains("**/target/").contains(".env").contains(".git");
    }
}
