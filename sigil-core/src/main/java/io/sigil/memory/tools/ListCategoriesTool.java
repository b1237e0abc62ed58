package io.sigil.memory.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;

import java.util.Map;

/** {@code list_categories}: what kinds of things memory holds. */
public final class ListCategoriesTool extends MemoryTool {
    public ListCategoriesTool(MemoryService memory, Scope scope) { super(() -> memory, scope); }

    /** Over a memory opened on first use. */
    public ListCategoriesTool(java.util.function.Supplier<MemoryService> memory, Scope scope) { super(memory, scope); }

    @Override
    public String name() { return "list_categories"; }

    @Override
    public String description() {
        return "List the memory categories with their description and number of items.";
    }

    @Override
    public JsonNode inputSchema() {
        ObjectNode schema = object();
        schema.putObject("properties");
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    Object run(JsonNode args) {
        return Map.of("categories", memory().categories(scope).stream().map(c -> Map.of("name", c.name(),
                "description", c.description(), "item_count", c.itemCount())).toList());
    }
}
