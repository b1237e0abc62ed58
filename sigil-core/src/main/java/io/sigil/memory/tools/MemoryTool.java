package io.sigil.memory.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.SigilError;
import io.sigil.errors.ToolError;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;
import io.sigil.tools.Tool;

import java.util.List;

/**
 * Base of the memory tools: they all act in the scope of the agent (and user) they were built for, and turn
 * memory errors into tool errors the model can read.
 */
public abstract sealed class MemoryTool implements io.sigil.tools.ScopedTool permits RecallTool, RememberTool, ListCategoriesTool, GetCategoryTool {
    private final java.util.function.Supplier<MemoryService> memory;
    protected final Scope scope;

    MemoryTool(java.util.function.Supplier<MemoryService> memory, Scope scope) {
        this.memory = memory;
        this.scope = scope;
    }

    /** The memory the tool works on; opened (embedding model loaded) the first time a tool runs, when lazy. */
    protected MemoryService memory() { return memory.get(); }

    /** All four tools for one scope. */
    public static List<Tool> all(MemoryService memory, Scope scope) {
        return all(() -> memory, scope);
    }

    /**
     * All four tools for one scope over a memory opened on first use: registering them costs nothing, so a
     * command that never recalls never loads the embedding model.
     */
    public static List<Tool> all(java.util.function.Supplier<MemoryService> memory, Scope scope) {
        return List.of(new RecallTool(memory, scope), new RememberTool(memory, scope),
                new ListCategoriesTool(memory, scope), new GetCategoryTool(memory, scope));
    }

    @Override
    public final Tool inScope(Scope other) {
        return switch (this) {
            case RecallTool t -> new RecallTool(memory, other);
            case RememberTool t -> new RememberTool(memory, other);
            case ListCategoriesTool t -> new ListCategoriesTool(memory, other);
            case GetCategoryTool t -> new GetCategoryTool(memory, other);
        };
    }

    @Override
    public final String execute(JsonNode arguments) {
        try {
            return MemoryJson.write(run(arguments));
        } catch (ToolError e) {
            throw e;
        } catch (SigilError e) {
            throw new ToolError(e.getMessage(), e.hint());
        }
    }

    abstract Object run(JsonNode arguments);

    static ObjectNode object() { return MemoryJson.MAPPER.createObjectNode().put("type", "object"); }
}
