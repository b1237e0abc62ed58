package io.sigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two file readers: dotenv syntax and YAML with line numbers. */
class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void dotEnvQuotesCommentsAndExport() {
        var r = DotEnvFile.parse(Path.of(".env"), List.of(
                "# heading",
                "",
                "export A=1",
                "B = two words  # trailing comment",
                "C='single # not a comment'",
                "D=\"line\\nbreak \\\"q\\\"\" # comment",
                "E=url#fragment",
                "F=",
                "G=\"open"));
        assertThat(r.entries()).extracting(DotEnvFile.Entry::name, DotEnvFile.Entry::value, DotEnvFile.Entry::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("A", "1", 3),
                        org.assertj.core.groups.Tuple.tuple("B", "two words", 4),
                        org.assertj.core.groups.Tuple.tuple("C", "single # not a comment", 5),
                        org.assertj.core.groups.Tuple.tuple("D", "line\nbreak \"q\"", 6),
                        org.assertj.core.groups.Tuple.tuple("E", "url#fragment", 7),
                        org.assertj.core.groups.Tuple.tuple("F", "", 8));
        assertThat(r.problems()).extracting(ConfigIssue::describe)
                .containsExactly("configuration (.env:9 (G)): unterminated double quote; values cannot span lines");
    }

    @Test
    void yamlKeepsLineNumbersAndReportsSyntaxErrors() throws IOException {
        Path f = dir.resolve("a.yaml");
        Files.write(f, List.of("sigil:", "  llm:", "    model: m", "    temperature: 0.5", "  api:", "    cors_origins: [a, b]"));
        var r = YamlConfigFile.read(f, Path.of("a.yaml"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.entries()).extracting(YamlConfigFile.Entry::key, YamlConfigFile.Entry::value, YamlConfigFile.Entry::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("llm.model", "m", 3),
                        org.assertj.core.groups.Tuple.tuple("llm.temperature", "0.5", 4),
                        org.assertj.core.groups.Tuple.tuple("api.cors_origins", "[\"a\", \"b\"]", 6));

        Files.write(f, List.of("llm:", "  model: [unclosed"));
        var bad = YamlConfigFile.read(f, Path.of("a.yaml"));
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.isError()).isTrue();
            assertThat(p.describe()).startsWith("configuration (a.yaml:").contains("not valid YAML");
        });
    }

    @Test
    void theShippedConfigFilesLoadWithoutWarnings() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (String env : List.of("development", "production", "test", "staging")) {
            var outcome = ConfigLoader.check(new ConfigInputs(
                    java.util.Map.of("SIGIL_ENVIRONMENT", env, "SIGIL_JWT_SECRET", "x".repeat(48)), root,
                    List.of(), Path.of(".env.example"), null));
            assertThat(outcome.issues()).as(env).isEmpty();
        }
    }
}
