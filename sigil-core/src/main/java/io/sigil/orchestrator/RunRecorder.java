package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.LlmCall;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.routing.RouteDecision;
import io.sigil.telemetry.LogContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run writes to its session beside the stages' own events: the user's message, the route, each model call,
 * the errors and the assistant's message at the end; and the exchange handed to the background learner.
 */
final class RunRecorder {
    private RunRecorder() { }

    /** The user's message as recorded; with the guard's verdict when it found an injection (flagged or sanitised). */
    static Map<String, Object> userMessage(RunRequest request, String requestId, Orchestrator.Prepared prepared) {
        var m = new LinkedHashMap<String, Object>();
        m.put("role", "user");
        m.put("content", request.message());
        // Who wrote it: the caller's subject, or local for the command line.
        m.put("author", request.caller().subject() == null ? "local" : request.caller().subject());
        m.put("request_id", requestId);
        Map<String, Object> injection = InputScreening.describe(prepared.screening());
        if (injection != null) m.put("injection", injection);
        return m;
    }

    /** The route as the session's timeline shows it (the full reasons are in the run's response). */
    static Map<String, Object> route(RouteDecision r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("intent", r.intent().wireName());
        p.put("confidence", Math.round(r.confidence() * 1000) / 1000.0);
        p.put("complexity", Math.round(r.complexity() * 1000) / 1000.0);
        p.put("handler", r.handler());
        p.put("use_planning", r.usePlanning());
        p.put("use_memory", r.useMemory());
        p.put("use_contracts", r.useContracts());
        if (r.factors() != null) {
            p.put("router", r.factors().router());
            p.put("rule", r.factors().rule());
        }
        return p;
    }

    static Map<String, Object> llmCall(LlmCall call) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("provider", call.provider());
        p.put("model", call.model());
        p.put("input_tokens", call.usage().inputTokens());
        p.put("output_tokens", call.usage().outputTokens());
        p.put("cache_read_tokens", call.usage().cacheReadTokens());
        p.put("cache_write_tokens", call.usage().cacheWriteTokens());
        p.put("latency_ms", call.latency().toMillis());
        p.put("streamed", call.streamed());
        if (call.error() != null) p.put("error", call.error().getMessage());
        return p;
    }

    /** The run's errors ({@code error.occurred}, by code) and the assistant's message with the run's status. */
    static void end(RunContext run, RunStatus status, JsonNode output) {
        for (String error : run.notes().errors) {
            String code = error.startsWith("[") && error.indexOf(']') > 0 ? error.substring(1, error.indexOf(']')) : "ERROR";
            run.events().emit(EventType.ERROR_OCCURRED, Map.of("code", code, "message", error, "recoverable",
                    status == RunStatus.PARTIAL));
        }
        String content = output == null ? "" : output.has("answer") && output.size() == 1 ? output.get("answer").asText()
                : output.toString();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("role", "assistant");
        p.put("content", content);
        p.put("author", run.agent() == null ? "sigil" : "agent:" + run.agent().name());
        p.put("status", status.wireName());
        p.put("request_id", run.requestId());
        p.put("tokens", run.tracker().used().totalTokens());
        run.events().emit(EventType.MESSAGE_ADDED, p);
    }

    /**
     * Hands the exchange to the orchestrator's background learner and returns at once: extraction, embedding and
     * indexing never delay the response. The job reports into the session's events itself (memory.extracted, or
     * error.occurred with code LEARNING_FAILED); a full queue is a warning on this response, not a silent drop.
     */
    static void learn(RunContext run, RunStatus status, String answer) {
        if (!run.memoryOn() || answer == null || (status != RunStatus.SUCCESS && status != RunStatus.PARTIAL)) return;
        var o = run.o();
        var agent = run.agent();
        var resource = Resource.of(ResourceType.CONVERSATION, "user: " + run.request().message()
                + "\n\nassistant: " + answer, run.scope());
        // The session's sink itself, not this run's queue: the job runs after the run has closed its queue, on a
        // thread nobody interrupts.
        EventSink sink = o.sessions.sink(run.sessionId(), agent == null ? null : agent.name(), run.request().correlationId());
        String id = run.requestId();
        boolean queued = o.learner().submit(LogContext.carry(() -> {
            try {
                var ingested = o.memory.get().ingest(resource);
                List<Map<String, Object>> items = ingested.added().stream()
                        .map(i -> Map.<String, Object>of("content", i.content(), "category",
                                i.category() == null ? "" : i.category(), "confidence", i.confidence()))
                        .toList();
                sink.emit(EventType.MEMORY_EXTRACTED, Map.of("resource_id", resource.id(), "items", items,
                        "merged", ingested.merged(), "request_id", id));
            } catch (RuntimeException e) {
                sink.emit(EventType.ERROR_OCCURRED, Map.of("code", "LEARNING_FAILED", "message",
                        "learning from request " + id + " failed: " + e.getMessage(), "recoverable", true));
                throw e;
            }
        }));
        if (queued) {
            run.notes().metadata.put("memory_learning", "queued");
        } else {
            run.warn(o.learner().isClosed() ? "memory learning has stopped (shutting down); this exchange was not learned from"
                    : "memory learning is saturated (" + o.learner().backlog() + " runs waiting); this exchange was "
                    + "not learned from");
        }
    }
}
