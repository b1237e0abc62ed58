package io.sigil.server.openai;

import java.util.List;

/** The body of {@code GET /v1/models}: {@code {"object": "list", "data": [model...]}}. */
public record ModelList(String object, List<Model> data) {

    static ModelList of(List<Model> models) { return new ModelList("list", models); }

    /** One model: a Sigil agent, by name. {@code created} is 0: agents have no creation time Sigil keeps. */
    public record Model(String id, String object, long created, String ownedBy) {
        static Model agent(String name) { return new Model(name, "model", 0, "sigil"); }
    }
}
