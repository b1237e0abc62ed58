package io.sigil.memory.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code recall}: search long-term memory. */
public final class RecallTool extends MemoryTool {
    public RecallTool(MemoryService memory, Scope scope) { super(() -> memory, scope); }

    /** Over a memory opened on first use. */
    public RecallTool(java.util.function.Supplier<MemoryService> memory, Scope scope) { super(memory, scope); }

    @Override
    public String name() { return "recall"; }

    @Override
    public String description() {
        return "Search long-term memory for facts learned in earlier conversations and documents (preferences, "
                + "budgets, contacts, deadlines, product knowledge). Returns the best matches with their category "
                + "and confidence.";
    }

    @Override
    public JsonNode inputSchema() {
        ObjectNode schema = object();
        ObjectNode props = schema.putObject("properties");
        props.putObject("query").put("type", "string").put("minLength", 1).put("description", "What to look for");
        props.putObject("category").put("type", "string").put("description", "Only this category (optional)");
        props.putObject("k").put("type", "integer").put("minimum", 1).put("maximum", 50)
                .put("description", "How many results (default: the configured retrieval_k)");
        schema.putArray("required").add("query");
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    Object run(JsonNode args) {
        Recall r = memory().recall(new RecallQuery(args.path("query").asText(), scope,
                args.path("category").asText(null), args.path("k").asInt(0), RetrievalMode.HYBRID));
        var out = new LinkedHashMap<String, Object>();
        out.put("mode", r.answeredBy().wireName());
        out.put("reason", r.reason());
        out.put("results", r.hits().stream().map(h -> Map.of("content", h.item().content(),
                "category", h.item().category(), "confidence", h.item().confidence(),
                "score", Math.round(h.score() * 1000) / 1000.0)).toList());
        return out;
    }
}
