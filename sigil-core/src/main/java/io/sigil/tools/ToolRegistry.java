package io.sigil.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.sigil.errors.ToolError;
import io.sigil.llm.ToolSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tools available to a run, by unique name. Each tool's input schema is compiled once at registration, so a
 * broken schema fails when the tool is added rather than on its first call. Thread-safe.
 */
public final class ToolRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /** A registered tool with its compiled argument schema. */
    record Entry(Tool tool, JsonSchema schema) { }

    private final Map<String, Entry> tools = new LinkedHashMap<>();

    public ToolRegistry() { }

    public static ToolRegistry of(Tool... tools) {
        ToolRegistry r = new ToolRegistry();
        for (Tool t : tools) r.register(t);
        return r;
    }

    /** Adds a tool; a second tool with the same name is refused (names are how the model calls tools). */
    public synchronized ToolRegistry register(Tool tool) {
        String name = tool.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ToolError("tool name '" + name + "' is invalid",
                    "tool names are 1-64 characters of [a-z0-9_], starting with a letter");
        }
        if (tools.containsKey(name)) {
            throw new ToolError("a tool named '" + name + "' is already registered",
                    "give each tool a unique name (MCP tools can be prefixed with their server name)");
        }
        JsonNode schema = tool.inputSchema();
        if (schema == null || !schema.isObject() || !"object".equals(schema.path("type").asText())) {
            throw new ToolError("tool '" + name + "' has an invalid input schema",
                    "the input schema must be a JSON Schema object with \"type\": \"object\"");
        }
        JsonSchema compiled;
        try {
            compiled = SCHEMAS.getSchema(schema);
        } catch (RuntimeException e) {
            throw new ToolError("tool '" + name + "' has an input schema that does not compile: " + e.getMessage(),
                    "fix the tool's JSON Schema (draft 2020-12)", Map.of("tool", name), false, e);
        }
        tools.put(name, new Entry(tool, compiled));
        return this;
    }

    /**
     * Removes the tools named {@code remove} and registers {@code add}, in one step: no lookup or listing sees a
     * half-replaced set (an MCP server's tool list changed). A tool that cannot be registered is left out.
     *
     * @return the tools left out, by name, with why
     */
    public synchronized Map<String, String> replace(java.util.Collection<String> remove, List<? extends Tool> add) {
        remove.forEach(tools::remove);
        Map<String, String> refused = new LinkedHashMap<>();
        for (Tool t : add) {
            try {
                register(t);
            } catch (ToolError e) {
                refused.put(String.valueOf(t.name()), e.getMessage());
            }
        }
        return refused;
    }

    /** Removes a tool (an MCP server's tool list changed); false when there was none by that name. */
    public synchronized boolean unregister(String name) {
        return tools.remove(name) != null;
    }

    /**
     * The same tools, each passed through {@code rebind} (which keeps its name and schema, e.g. binds it to a run's
     * memory scope); the compiled schemas are shared, so this costs no schema compilation.
     */
    public synchronized ToolRegistry map(java.util.function.UnaryOperator<Tool> rebind) {
        ToolRegistry out = new ToolRegistry();
        tools.forEach((name, e) -> out.tools.put(name, new Entry(rebind.apply(e.tool()), e.schema())));
        return out;
    }

    public synchronized Optional<Tool> lookup(String name) {
        return Optional.ofNullable(tools.get(name)).map(Entry::tool);
    }

    synchronized Optional<Entry> entry(String name) { return Optional.ofNullable(tools.get(name)); }

    /**
     * Why {@code arguments} do not fit the input schema of tool {@code name} (sorted messages); empty when they do.
     * Not found when there is no such tool.
     */
    public java.util.List<String> argumentProblems(String name, com.fasterxml.jackson.databind.JsonNode arguments) {
        Entry e = entry(name).orElseThrow(() -> new io.sigil.errors.NotFoundError("no tool '" + name + "'",
                "see sigil tools list"));
        return e.schema().validate(arguments).stream().map(com.networknt.schema.ValidationMessage::getMessage)
                .sorted().toList();
    }

    /** What to offer a model, in registration order. */
    public synchronized List<ToolSpec> specs() {
        List<ToolSpec> specs = new ArrayList<>();
        for (Entry e : tools.values()) specs.add(e.tool().spec());
        return List.copyOf(specs);
    }

    public synchronized List<String> names() { return List.copyOf(tools.keySet()); }

    /** The registered tools, in registration order. */
    public synchronized List<Tool> tools() {
        return tools.values().stream().map(Entry::tool).toList();
    }

    public synchronized boolean isEmpty() { return tools.isEmpty(); }
}
