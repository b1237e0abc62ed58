package io.sigil.orchestrator;

import io.sigil.context.ContextManager;
import io.sigil.errors.SigilError;
import io.sigil.memory.MemoryService;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a run recalls from memory: the memories for its prompt (when memory is on for the agent and the route or
 * the agent wants them), and the answer of a plan's memory step. A failed recall is a warning, never the end of
 * the run.
 */
final class RecallStage {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecallStage.class);
    private final RunContext run;

    RecallStage(RunContext run) {
        this.run = run;
    }

    List<String> forPrompt(RouteDecision route) {
        var o = run.o();
        if (!run.memoryOn() || !(route.useMemory() || route.intent() == Intent.QUERY_MEMORY || run.agent() != null)) {
            return List.of();
        }
        try {
            MemoryService memory = o.memory.get();
            long began = System.nanoTime();
            Recall recall = memory.recall(new RecallQuery(run.request().message(), run.scope(), null,
                    o.config.recallK(), null));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            var metadata = run.notes().metadata;
            metadata.put("memory_retrieval_ms", took.toMillis());
            if (took.compareTo(o.config.slowRetrieval()) > 0) {
                log.warn("Memory retrieval took {}ms (threshold: {}ms)", took.toMillis(), o.config.slowRetrieval().toMillis());
            }
            List<String> memories = recall.hits().stream().limit(o.config.memoriesInContext())
                    .map(h -> h.item().content() + (h.item().category() == null ? "" : " [" + h.item().category() + "]"))
                    .toList();
            run.listener().memoriesRecalled(memories.size(), recall.answeredBy().name().toLowerCase(Locale.ROOT));
            metadata.put("memories_recalled", memories.size());
            return memories;
        } catch (SigilError e) {
            run.warn("memory recall failed: " + e.getMessage());
            return List.of();
        }
    }

    /** A plan's {@code memory_query} step: what memory holds for {@code query}, or why there is nothing. */
    String forStep(String query) {
        var o = run.o();
        if (!o.config.features().memory()) return "Memory is off, so nothing was recalled.";
        try {
            Recall r = o.memory.get().recall(new RecallQuery(query, run.scope(), null, o.config.recallK(), null));
            if (r.hits().isEmpty()) return "Nothing relevant is remembered.";
            return ContextManager.recalledBlock(r.hits().stream().map(h -> h.item().content()).toList());
        } catch (SigilError e) {
            return "Memory recall failed: " + e.getMessage();
        }
    }
}
