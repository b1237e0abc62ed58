package io.sigil.llm;

import java.util.Objects;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {
    /** The model decides. */
    record Auto() implements ToolChoice { }

    /** The model must not call tools. */
    record None() implements ToolChoice { }

    /** The model must call some tool. */
    record Any() implements ToolChoice { }

    /** The model must call this tool. */
    record Specific(String name) implements ToolChoice {
        public Specific {
            Objects.requireNonNull(name, "name");
        }
    }

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice ANY = new Any();

    static ToolChoice tool(String name) { return new Specific(name); }
}
