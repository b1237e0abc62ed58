package io.sigil.orchestrator;

import io.sigil.context.ContextManager;
import io.sigil.context.ContextRequest;
import io.sigil.context.ExtractiveSummarizer;
import io.sigil.context.TokenCounter;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.ReasoningError;
import io.sigil.errors.SigilError;
import io.sigil.llm.Message;
import io.sigil.reasoning.ReasoningManager;
import io.sigil.reasoning.ReasoningOutcome;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.RouteDecision;
import io.sigil.tools.ToolRegistry;

import java.util.List;
import java.util.Locale;

/**
 * The reasoning stage of a run without a plan: the prompt assembled within the strategy's budget (instructions,
 * history, memories, request context), then the strategy the request names or its complexity selects, with the
 * fallbacks of the {@link ReasoningManager}. Tools that need approval are held by the gate (ReAct pauses the run).
 */
final class ReasonStage {
    private final RunContext run;
    private final RunApprovals approvals;

    ReasonStage(RunContext run, RunApprovals approvals) {
        this.run = run;
        this.approvals = approvals;
    }

    Draft reason(RouteDecision route, List<String> memories) {
        var prepared = run.prepared();
        var request = run.request();
        // The strategy caps the whole call (direct: 2,000 tokens), so the prompt gets at most half of that cap;
        // with only the context budget a long session's history overflowed it and every request failed.
        StrategyName strategy = prepared.strategy() != null ? prepared.strategy()
                : StrategyName.forComplexity(route.complexity());
        ContextManager contexts = ContextManager.withDefaults(new TokenCounter(), new ExtractiveSummarizer(new TokenCounter()))
                .withInputBudget(Math.min(run.o().config.contextInputTokens(), strategy.tokens().max() / 2));
        var assembled = contexts.assemble(new ContextRequest(run.instructions(), request.message(),
                workingMemory(route), memories, run.history(), List.of()));
        StringBuilder context = new StringBuilder();
        if (!request.context().isEmpty()) {
            context.append("Request context: ").append(RunContext.JSON.valueToTree(request.context()).toString())
                    .append("\n\n");
        }
        for (Message m : assembled.messages().subList(0, assembled.messages().size() - 1)) {
            context.append(m.role().name().toLowerCase(Locale.ROOT)).append(": ").append(text(m)).append("\n\n");
        }
        if (!assembled.recalled().isEmpty()) context.append(assembled.recalled()).append("\n\n");
        var reasoningRequest = new ReasoningRequest(request.message(), context.toString().strip(), run.remaining(),
                assembled.system(), run.metadataForCalls());
        ToolRegistry registry = run.agentTools();
        ReasoningManager manager = run.reasoning(registry, approvals.gate(run.agent(), registry));
        ReasoningOutcome outcome = prepared.strategy() != null
                ? manager.reason(reasoningRequest, prepared.strategy(), run.events())
                : manager.reason(reasoningRequest, route.complexity(), run.events());
        run.listener().strategySelected(outcome.result().strategy().wireName(), outcome.selectionReason());
        var metadata = run.notes().metadata;
        metadata.put("strategy", outcome.result().strategy().wireName());
        metadata.put("fallbacks", outcome.fallbacks());
        metadata.put("confidence", outcome.result().confidence());
        run.requireWithinBudget();
        if (!outcome.success()) {
            String last = outcome.result().error() == null ? "" : outcome.result().error();
            if (last.startsWith("[TOKEN_BUDGET_EXCEEDED]")) {
                // Even the cheapest strategy did not fit the request's budget: a budget failure, not a model one.
                throw new SigilError(ErrorCode.TOKEN_BUDGET_EXCEEDED, last.substring("[TOKEN_BUDGET_EXCEEDED] ".length()),
                        "Raise the request's token budget (--max-tokens) or SIGIL_CONTRACT_MAX_TOTAL_TOKENS.");
            }
            throw new ReasoningError("Every reasoning strategy failed; the last error: " + last,
                    "Try a simpler request, another model or --strategy direct.");
        }
        return Draft.answer(outcome.result().answer());
    }

    private static List<String> workingMemory(RouteDecision route) {
        return List.of("intent " + route.intent().wireName() + ", complexity "
                + String.format(Locale.ROOT, "%.2f", route.complexity()));
    }

    private static String text(Message m) {
        return switch (m) {
            case Message.User u -> u.text();
            case Message.Assistant a -> a.text();
            case Message.ToolResult r -> r.content();
        };
    }
}
