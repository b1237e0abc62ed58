package io.sigil.memory.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;

import java.util.Map;

/** {@code remember}: store one fact in long-term memory. */
public final class RememberTool extends MemoryTool {
    public RememberTool(MemoryService memory, Scope scope) { super(() -> memory, scope); }

    /** Over a memory opened on first use. */
    public RememberTool(java.util.function.Supplier<MemoryService> memory, Scope scope) { super(memory, scope); }

    @Override
    public String name() { return "remember"; }

    @Override
    public String description() {
        return "Store one self-contained fact in long-term memory so it can be recalled in later conversations. "
                + "Give a snake_case category such as lead_preferences, budget_information or contact_information.";
    }

    @Override
    public JsonNode inputSchema() {
        ObjectNode schema = object();
        ObjectNode props = schema.putObject("properties");
        props.putObject("content").put("type", "string").put("minLength", 1).put("description", "The fact");
        props.putObject("category").put("type", "string").put("pattern", "^[a-z][a-z0-9_]*$")
                .put("description", "snake_case category (default general)");
        schema.putArray("required").add("content");
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    Object run(JsonNode args) {
        var result = memory().remember(args.path("content").asText(), args.path("category").asText(null), scope);
        return Map.of("stored", result.added().size(), "merged_with_existing", result.merged());
    }
}
