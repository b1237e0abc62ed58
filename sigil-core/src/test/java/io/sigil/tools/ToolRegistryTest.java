package io.sigil.tools;

import io.sigil.errors.ToolError;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolRegistryTest {

    @Test
    void registersListsAndLooksUpByName() {
        ToolRegistry r = ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC()), FakeTool.withText("echo", a -> "x"));
        assertThat(r.names()).containsExactly("current_time", "echo");
        assertThat(r.specs()).extracting(s -> s.name()).containsExactly("current_time", "echo");
        assertThat(r.lookup("echo")).isPresent();
        assertThat(r.lookup("nope")).isEmpty();
    }

    @Test
    void refusesDuplicateNames() {
        ToolRegistry r = ToolRegistry.of(FakeTool.withText("echo", a -> "x"));
        assertThatThrownBy(() -> r.register(FakeTool.withText("echo", a -> "y")))
                .isInstanceOf(ToolError.class).hasMessageContaining("already registered")
                .satisfies(e -> assertThat(((ToolError) e).hint()).contains("unique"));
    }

    @Test
    void refusesBadNamesAndSchemas() throws Exception {
        assertThatThrownBy(() -> ToolRegistry.of(FakeTool.withText("Bad Name", a -> "")))
                .isInstanceOf(ToolError.class).hasMessageContaining("invalid");
        FakeTool notAnObject = new FakeTool("arr", FakeTool.JSON.readTree("{\"type\":\"array\"}"),
                java.time.Duration.ofSeconds(1), a -> "");
        assertThatThrownBy(() -> ToolRegistry.of(notAnObject))
                .isInstanceOf(ToolError.class).hasMessageContaining("invalid input schema");
    }
}
