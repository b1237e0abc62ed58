package io.sigil.agents;

import io.sigil.errors.AgentError;
import io.sigil.errors.NotFoundError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link AgentRegistry} adapter must have; the file registry and the PostgreSQL registry run
 * it unchanged. {@link #registry()} returns a registry over this test's state, the same state on every call (a
 * second call is a second process on the same state).
 */
public abstract class AgentRegistryConformance {
    protected static final Set<String> STRATEGIES = Set.of("direct", "chain_of_thought", "tree_of_thoughts", "react", "mcts");

    protected abstract AgentRegistry registry();

    @Test
    void shipsTheThreeExampleAgentsWithTheirContracts() {
        assertThat(registry().list()).extracting(AgentDefinition::name)
                .containsExactly("appointment_setter", "lead_qualifier", "research_assistant");
        assertThat(registry().get("lead_qualifier").contractName()).isEqualTo("lead_qualification");
    }

    @Test
    void savesFindsOverridesAndDeletesAcrossRegistriesOnTheSameState() {
        var agent = new AgentDefinition("notes_bot", "Keeps notes.", "Take notes.", "test", List.of("remember"),
                null, true, false, null, Map.of());
        registry().save(agent);
        assertThat(registry().get("notes_bot")).isEqualTo(agent);
        assertThat(registry().list()).extracting(AgentDefinition::name)
                .containsExactly("appointment_setter", "lead_qualifier", "notes_bot", "research_assistant");

        var override = new AgentDefinition("lead_qualifier", "Mine.", "Custom.", null, List.of(), null, false,
                false, null, Map.of());
        registry().save(override);
        assertThat(registry().get("lead_qualifier").description()).isEqualTo("Mine.");

        var changed = new AgentDefinition("notes_bot", "Keeps more notes.", "Take notes.", null, List.of(), null, false,
                false, null, Map.of());
        registry().save(changed);
        assertThat(registry().get("notes_bot")).isEqualTo(changed);

        assertThat(registry().delete("notes_bot")).isTrue();
        assertThat(registry().delete("notes_bot")).isFalse();
        assertThat(registry().find("notes_bot")).isEmpty();
        assertThat(registry().delete("lead_qualifier")).isTrue();
        assertThat(registry().get("lead_qualifier").description()).startsWith("Qualifies sales leads");
        assertThatThrownBy(() -> registry().delete("lead_qualifier")).isInstanceOf(AgentError.class)
                .hasMessageContaining("bundled example");
    }

    @Test
    void unknownAgentNamesTheKnownOnes() {
        assertThatThrownBy(() -> registry().get("nope")).isInstanceOf(NotFoundError.class)
                .hasMessage("Agent 'nope' not found")
                .satisfies(e -> assertThat(((NotFoundError) e).hint()).contains("lead_qualifier"));
    }
}
