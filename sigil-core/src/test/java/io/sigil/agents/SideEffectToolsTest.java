package io.sigil.agents;

import io.sigil.errors.AgentError;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code side_effect_tools}: the tools of {@code tools} an agent may really call although they change the world. */
class SideEffectToolsTest {
    private final AgentDefinitions definitions = new AgentDefinitions(Set.of("direct"));

    @Test
    void sideEffectToolsAreParsedAndWrittenBack() {
        AgentDefinition d = definitions.parse("""
                name: setter
                description: Books meetings.
                system_prompt: Book meetings.
                tools: [current_time, sms_send, calendar_create_event]
                side_effect_tools: [sms_send]
                """, "setter.yaml");
        assertThat(d.sideEffectTools()).containsExactly("sms_send");
        assertThat(AgentDefinitions.toYaml(d)).contains("side_effect_tools:").contains("- \"sms_send\"");
        assertThat(definitions.parse(AgentDefinitions.toYaml(d), "again").sideEffectTools()).containsExactly("sms_send");
    }

    @Test
    void aSideEffectToolMustAlsoBeOneOfTheAgentsTools() {
        assertThatThrownBy(() -> definitions.parse("""
                name: setter
                description: Books meetings.
                system_prompt: Book meetings.
                tools: [current_time]
                side_effect_tools: [sms_send]
                """, "setter.yaml")).isInstanceOf(AgentError.class)
                .hasMessageContaining("side_effect_tools: 'sms_send' is not one of the agent's tools; list it under tools too");
    }

    @Test
    void withoutTheFieldNoSideEffectToolIsAllowed() {
        AgentDefinition d = definitions.parse("name: a\ndescription: d\nsystem_prompt: p\ntools: [sms_send]\n", "a.yaml");
        assertThat(d.sideEffectTools()).isEmpty();
        assertThat(AgentDefinitions.toYaml(d)).doesNotContain("side_effect_tools");
    }
}
