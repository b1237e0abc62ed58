package io.sigil.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Replacing an MCP server's tools in one step, leaving out the ones that cannot be registered. */
class ToolRegistryReplaceTest {
    record Named(String name) implements Tool {
        public String description() { return name; }
        public JsonNode inputSchema() { return JsonNodeFactory.instance.objectNode().put("type", "object"); }
        public String execute(JsonNode arguments) { return name; }
    }

    @Test
    void replacesTheOldToolsAndReportsTheRefusedOnes() {
        ToolRegistry r = ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC()), new Named("s__a"), new Named("s__b"));
        var refused = r.replace(Set.of("s__a", "s__b"), List.of(new Named("s__c"), new Named("Bad-Name"),
                new Named("current_time")));
        assertThat(r.names()).containsExactly("current_time", "s__c");
        assertThat(refused).containsOnlyKeys("Bad-Name", "current_time");
        assertThat(refused.get("current_time")).contains("already registered");
    }
}
