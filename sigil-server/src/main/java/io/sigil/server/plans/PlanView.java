package io.sigil.server.plans;

import io.sigil.llm.ChatModel;
import io.sigil.llm.test.TestModel;
import io.sigil.planning.PlanJson;
import io.sigil.planning.Planner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one wire form of a planning outcome, for {@code POST /plans} and {@code sigil plan --json}: the plan, whether
 * it came from the cache, the calls and tokens it cost, and {@code warnings}/{@code metadata} that say when the
 * plan was invented by the offline test model.
 */
public final class PlanView {
    private PlanView() { }

    public static Map<String, Object> toJson(Planner.Outcome o, ChatModel model) {
        boolean synthetic = TestModel.NAME.equals(model.provider());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", PlanJson.toJson(o.plan()));
        out.put("cached", o.cached());
        out.put("model_calls", o.modelCalls());
        out.put("usage", o.usage());
        out.put("warnings", synthetic ? List.of(TestModel.SYNTHETIC_WARNING) : List.of());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("model", model.provider());
        metadata.put("synthetic", synthetic);
        out.put("metadata", metadata);
        return out;
    }
}
