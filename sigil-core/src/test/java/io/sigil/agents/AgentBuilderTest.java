package io.sigil.agents;

import io.sigil.errors.AgentError;
import io.sigil.llm.Message;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentBuilderTest {
    private final AgentDefinitions defs = new AgentDefinitions(Set.of("direct"));

    private AgentBuilder builder(TestModel model) {
        return new AgentBuilder(model, defs, Set.of("current_time", "recall"), Set.of("lead_qualification"),
                List.of("direct"));
    }

    @Test
    void draftsAValidatedAgentAndRepairsUnknownTools() {
        TestModel model = TestModel.queueText(
                "{\"name\": \"time_bot\", \"description\": \"Tells time.\", \"system_prompt\": \"Tell the time.\","
                        + " \"tools\": [\"web_search\"]}",
                "{\"name\": \"time_bot\", \"description\": \"Tells time.\", \"system_prompt\": \"Tell the time.\","
                        + " \"tools\": [\"current_time\"]}");

        AgentDefinition d = builder(model).create("an agent that tells the time", b -> b);

        assertThat(d.tools()).containsExactly("current_time");
        String repair = ((Message.User) model.requests().get(1).messages().getFirst()).text();
        assertThat(repair).contains("unknown tools [web_search]");
    }

    @Test
    void modifyKeepsTheName() {
        var existing = new AgentDefinition("time_bot", "Tells time.", "Tell the time.", null, List.of(), null, true,
                false, null, Map.of());
        TestModel model = TestModel.queueText("{\"name\": \"renamed\", \"description\": \"Tells time in UTC.\","
                + " \"system_prompt\": \"Tell the UTC time.\", \"tools\": [\"current_time\"]}");

        AgentDefinition d = builder(model).modify(existing, "always use UTC", b -> b);

        assertThat(d.name()).isEqualTo("time_bot");
        assertThat(d.description()).isEqualTo("Tells time in UTC.");
    }

    @Test
    void givesUpWithTheLastProblemsAfterOneRepair() {
        TestModel model = TestModel.queueText("nothing useful", "{\"name\": \"x\"}");

        assertThatThrownBy(() -> builder(model).create("something", b -> b)).isInstanceOf(AgentError.class)
                .hasMessageContaining("could not draft a valid agent definition")
                .hasMessageContaining("description: is required");
    }
}
