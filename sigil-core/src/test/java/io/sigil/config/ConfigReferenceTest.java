package io.sigil.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md and .env.example are generated from the catalogue and must be kept up to date. */
class ConfigReferenceTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReferenceIsUpToDate() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docs/configuration.md")))
                .as("docs/configuration.md is stale: run bin/sigil config reference > docs/configuration.md")
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void theEnvExampleIsUpToDateAndDocumentsEveryKey() throws IOException {
        String example = Files.readString(ROOT.resolve(".env.example"));
        assertThat(example)
                .as(".env.example is stale: run bin/sigil config reference --env-example > .env.example")
                .isEqualTo(ConfigReference.envExample());
        for (ConfigKey k : ConfigCatalogue.all()) assertThat(example).contains("# " + k.primaryEnvName() + "=");
    }

    @Test
    void theEnvExampleUncommentedLoadsCleanlyToTheDefaults() {
        var lines = ConfigReference.envExample().lines()
                .filter(l -> l.matches("# [A-Z_]+=.*")).map(l -> l.substring(2)).toList();
        var parsed = DotEnvFile.parse(Path.of(".env.example"), lines);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.entries()).hasSize(ConfigCatalogue.all().size());
        var env = new java.util.HashMap<String, String>();
        parsed.entries().forEach(e -> env.put(e.name(), e.value()));
        LoadedConfig config = ConfigLoader.load(ConfigInputs.of(env, Path.of("/tmp/sigil-no-such-dir")));
        assertThat(config.warnings()).isEmpty();
        assertThat(config.settings().llm()).isEqualTo(Settings.defaults().llm());
        assertThat(config.settings().api()).isEqualTo(Settings.defaults().api());
    }
}
