package io.sigil.memory.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;

import java.util.LinkedHashMap;

/** {@code get_category}: a category's consolidated summary. */
public final class GetCategoryTool extends MemoryTool {
    public GetCategoryTool(MemoryService memory, Scope scope) { super(() -> memory, scope); }

    /** Over a memory opened on first use. */
    public GetCategoryTool(java.util.function.Supplier<MemoryService> memory, Scope scope) { super(memory, scope); }

    @Override
    public String name() { return "get_category"; }

    @Override
    public String description() {
        return "Read the consolidated markdown summary of one memory category (see list_categories).";
    }

    @Override
    public JsonNode inputSchema() {
        ObjectNode schema = object();
        schema.putObject("properties").putObject("name").put("type", "string").put("minLength", 1)
                .put("description", "The category name");
        schema.putArray("required").add("name");
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    Object run(JsonNode args) {
        Category c = memory().category(scope, args.path("name").asText());
        var out = new LinkedHashMap<String, Object>();
        out.put("name", c.name());
        out.put("description", c.description());
        out.put("item_count", c.itemCount());
        out.put("summary", c.content());
        out.put("last_consolidated", c.lastConsolidated() == null ? null : c.lastConsolidated().toString());
        return out;
    }
}
