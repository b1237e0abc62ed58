package io.sigil.llm;

import java.util.Objects;

/** A part of a multi-part user message. Only text for now; images would be another permitted record. */
public sealed interface ContentPart permits ContentPart.Text {

    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }
}
