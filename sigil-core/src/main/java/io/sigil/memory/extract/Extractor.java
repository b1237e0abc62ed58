package io.sigil.memory.extract;

import io.sigil.memory.Resource;

import java.util.List;

/** Turns a resource (memory layer 1) into items (layer 2). */
public interface Extractor {

    List<Extracted> extract(Resource resource);

    /** What did the extraction, for events ({@code model:<provider>} or {@code rules}). */
    String name();
}
