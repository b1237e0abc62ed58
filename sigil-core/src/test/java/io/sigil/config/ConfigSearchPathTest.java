package io.sigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration is found the same way from any working directory (issue 16, point 2): --config-dir,
 * SIGIL_CONFIG_DIR, ./config, then $XDG_CONFIG_HOME/sigil; relative paths from files and defaults belong to the
 * configuration, not to the working directory.
 */
class ConfigSearchPathTest {
    @TempDir
    Path dir;

    private Path project;
    private Path elsewhere;
    private Path home;

    private void layout() throws IOException {
        project = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(project.resolve("config"));
        Files.write(project.resolve("config/default.yaml"), List.of("features:", "  planning: true"));
        elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));
        home = Files.createDirectories(dir.resolve("home"));
    }

    private LoadedConfig load(Path workingDir, Map<String, String> env, Path configDir) {
        return ConfigLoader.load(new ConfigInputs(env, workingDir, List.of(), null, configDir));
    }

    @Test
    void theProjectsConfigDirectoryGivesTheSameSettingsAndDataDirectoriesFromAnywhere() throws IOException {
        layout();
        LoadedConfig inside = load(project, Map.of("HOME", home.toString()), null);
        LoadedConfig outside = load(elsewhere, Map.of("HOME", home.toString(),
                "SIGIL_CONFIG_DIR", project.resolve("config").toString()), null);
        LoadedConfig option = load(elsewhere, Map.of("HOME", home.toString()), project.resolve("config"));

        for (LoadedConfig c : List.of(inside, outside, option)) {
            assertThat(c.settings().features().planning()).isTrue();
            assertThat(c.settings().state().dataDir()).isEqualTo(project.resolve("data/state"));
            assertThat(c.settings().agents().dir()).isEqualTo(project.resolve("agents"));
            assertThat(c.filesRead()).containsExactly(project.resolve("config/default.yaml").toString());
        }
    }

    @Test
    void theUsersConfigDirectoryIsSearchedLastAndItsDataGoesUnderXdgDataHome() throws IOException {
        layout();
        Path xdgConfig = Files.createDirectories(dir.resolve("xdg-config/sigil"));
        Files.write(xdgConfig.resolve("default.yaml"), List.of("routing:", "  mode: keyword", "memory:",
                "  data_dir: my-memory"));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", dir.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", dir.resolve("xdg-data").toString());

        LoadedConfig fromElsewhere = load(elsewhere, env, null);
        assertThat(fromElsewhere.filesRead()).containsExactly(xdgConfig.resolve("default.yaml").toString());
        assertThat(fromElsewhere.settings().state().dataDir()).isEqualTo(dir.resolve("xdg-data/sigil/data/state"));
        assertThat(fromElsewhere.settings().memory().dataDir()).isEqualTo(dir.resolve("xdg-data/sigil/my-memory"));

        // ./config comes before the user's directory.
        LoadedConfig inProject = load(project, env, null);
        assertThat(inProject.filesRead()).containsExactly(project.resolve("config/default.yaml").toString());

        // Without XDG_CONFIG_HOME: ~/.config/sigil.
        Path homeConfig = Files.createDirectories(home.resolve(".config/sigil"));
        Files.write(homeConfig.resolve("default.yaml"), List.of("features:", "  memory: false"));
        LoadedConfig fromHome = load(elsewhere, Map.of("HOME", home.toString()), null);
        assertThat(fromHome.filesRead()).containsExactly(homeConfig.resolve("default.yaml").toString());
        assertThat(fromHome.settings().state().dataDir()).isEqualTo(home.resolve(".local/share/sigil/data/state"));
    }

    @Test
    void pathsTypedInTheEnvironmentStartAtTheWorkingDirectory() throws IOException {
        layout();
        LoadedConfig c = load(elsewhere, Map.of("HOME", home.toString(), "SIGIL_CONFIG_DIR", project.resolve("config").toString(),
                "SIGIL_STATE_DATA_DIR", "here/state"), null);
        assertThat(c.settings().state().dataDir()).isEqualTo(elsewhere.resolve("here/state"));
    }

    @Test
    void withoutAnyConfigurationDirectoryDefaultsStartAtTheWorkingDirectory() throws IOException {
        layout();
        LoadedConfig c = load(elsewhere, Map.of("HOME", home.toString()), null);
        assertThat(c.filesRead()).isEmpty();
        assertThat(c.settings().state().dataDir()).isEqualTo(elsewhere.resolve("data/state"));
    }
}
