package io.sigil.agents;

import io.sigil.errors.AgentError;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentDefinitionsTest {
    private final AgentDefinitions defs = new AgentDefinitions(Set.of("direct", "chain_of_thought"));

    @Test
    void parsesYamlAndRoundTrips() {
        AgentDefinition d = defs.parse("""
                name: support_bot
                description: Answers questions.
                system_prompt: Be helpful.
                model: anthropic:claude-sonnet-4-20250514
                tools: [current_time]
                strategy: direct
                metadata: {team: cx}
                """, "support_bot.yaml");

        assertThat(d.name()).isEqualTo("support_bot");
        assertThat(d.memoryEnabled()).isTrue();
        assertThat(d.planningEnabled()).isFalse();
        assertThat(d.metadata()).containsEntry("team", "cx");
        assertThat(defs.parse(AgentDefinitions.toYaml(d), "again")).isEqualTo(d);
    }

    @Test
    void listsEveryProblemWithItsField() {
        assertThatThrownBy(() -> defs.parse("""
                name: Bad Name
                system_prompt: ""
                model: gpt4
                tools: [ok_tool, ok_tool, "Bad-Tool"]
                memory_enabled: "yes"
                strategy: mcts
                sytem_prompt: typo
                """, "bad.yaml"))
                .isInstanceOf(AgentError.class)
                .hasMessageContaining("Agent definition bad.yaml is invalid")
                .hasMessageContaining("unknown field 'sytem_prompt'")
                .hasMessageContaining("name: 'Bad Name' must be snake_case")
                .hasMessageContaining("description: is required")
                .hasMessageContaining("system_prompt: must not be empty")
                .hasMessageContaining("model: 'gpt4' must be 'test' or 'provider:model'")
                .hasMessageContaining("tools: 'ok_tool' is listed twice")
                .hasMessageContaining("tools: 'Bad-Tool' is not a tool name")
                .hasMessageContaining("memory_enabled: must be true or false")
                .hasMessageContaining("strategy: 'mcts' is not one of [chain_of_thought, direct]");
    }

    @Test
    void reportsSyntaxErrorsWithTheirLine() {
        assertThatThrownBy(() -> defs.parse("name: a\ndescription: [unclosed\n", "broken.yaml"))
                .isInstanceOf(AgentError.class)
                .hasMessageContaining("broken.yaml is not valid YAML/JSON (line");
        assertThatThrownBy(() -> defs.parse("- just\n- a list\n", "list.yaml"))
                .hasMessageContaining("must be a mapping of fields");
    }
}
