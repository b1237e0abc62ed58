package io.sigil.agents;

import io.sigil.errors.AgentError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent registry conformance suite on the file registry, plus what only files have (YAML, edits in place). */
class FileAgentRegistryTest extends AgentRegistryConformance {
    @TempDir Path dir;

    @Override
    protected FileAgentRegistry registry() { return new FileAgentRegistry(dir, new AgentDefinitions(STRATEGIES)); }

    @Test
    void savesFindsOverridesAndDeletes() throws Exception {
        var agent = new AgentDefinition("notes_bot", "Keeps notes.", "Take notes.", "test", List.of("remember"),
                null, true, false, null, Map.of());
        registry().save(agent);

        assertThat(Files.readString(dir.resolve("notes_bot.yaml"))).contains("name: \"notes_bot\"");
        assertThat(registry().get("notes_bot")).isEqualTo(agent);

        var override = new AgentDefinition("lead_qualifier", "Mine.", "Custom.", null, List.of(), null, false,
                false, null, Map.of());
        registry().save(override);
        assertThat(registry().get("lead_qualifier").description()).isEqualTo("Mine.");

        assertThat(registry().delete("notes_bot")).isTrue();
        assertThat(registry().delete("notes_bot")).isFalse();
        assertThat(registry().delete("lead_qualifier")).isTrue();
        assertThat(registry().get("lead_qualifier").description()).startsWith("Qualifies sales leads");
        assertThatThrownBy(() -> registry().delete("lead_qualifier")).isInstanceOf(AgentError.class)
                .hasMessageContaining("bundled example");
    }

    @Test
    void oneRegistrySeesEditsSavesAndDeletesOfItsFiles() throws Exception {
        FileAgentRegistry registry = registry();
        Path file = dir.resolve("notes_bot.yaml");
        Files.writeString(file, "name: notes_bot\ndescription: first\nsystem_prompt: p\n");
        assertThat(registry.get("notes_bot").description()).isEqualTo("first");
        assertThat(registry.get("notes_bot")).as("unchanged file: the parsed definition is reused")
                .isSameAs(registry.get("notes_bot"));

        Files.writeString(file, "name: notes_bot\ndescription: second edit\nsystem_prompt: p\n"); // in place
        assertThat(registry.get("notes_bot").description()).isEqualTo("second edit");

        registry.save(new AgentDefinition("notes_bot", "saved", "p", null, List.of(), null, false, false, null, Map.of()));
        assertThat(registry.get("notes_bot").description()).isEqualTo("saved");

        Files.writeString(file, "name: notes_bot\ndescription: [broken\n");
        assertThatThrownBy(() -> registry.get("notes_bot")).isInstanceOf(AgentError.class);

        Files.delete(file);
        assertThat(registry.find("notes_bot")).isEmpty();
    }

    @Test
    void aFileWhoseNameDisagreesWithItsContentIsAClearError() throws Exception {
        Files.writeString(dir.resolve("alpha.yaml"), "name: beta\ndescription: d\nsystem_prompt: p\n");

        assertThatThrownBy(() -> registry().list()).isInstanceOf(AgentError.class)
                .hasMessageContaining("defines agent 'beta'");
    }
}
