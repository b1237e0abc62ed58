package io.sigil.reasoning;

import io.sigil.errors.SigilError;
import io.sigil.events.EventSink;
import io.sigil.llm.ChatModel;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;

import java.time.Duration;
import java.util.Objects;

/**
 * The frame every strategy shares: work out the run's budget from the strategy's range and the request,
 * run {@link #solve}, and turn the outcome or the failure into a {@link StrategyResult} with the trace, the
 * tokens spent and the time taken.
 */
abstract class ModelStrategy implements ReasoningStrategy {

    /** A strategy's answer and how confident it is (0..1). */
    record Answer(String text, double confidence) { }

    protected final ChatModel model;
    protected final String modelName;

    ModelStrategy(ChatModel model, String modelName) {
        this.model = Objects.requireNonNull(model, "model");
        this.modelName = modelName;
    }

    abstract Answer solve(ReasoningRequest request, StrategyRun run);

    @Override
    public final StrategyResult reason(ReasoningRequest request, EventSink events) {
        return reasonWith(request, events, run -> solve(request, run));
    }

    /**
     * The shared frame around {@code solver}: budget, trace, tokens and time, failures turned into a result. A
     * {@link io.sigil.approval.ApprovalPending} is no failure: it passes, so that the run can pause.
     */
    final StrategyResult reasonWith(ReasoningRequest request, EventSink events,
                                    java.util.function.Function<StrategyRun, Answer> solver) {
        long start = System.nanoTime();
        TokenRange range = name().tokens();
        long budget = request.maxTokens() == null ? range.max() : Math.min(range.max(), request.maxTokens());
        StrategyRun run = new StrategyRun(model, modelName, budget, events == null ? EventSink.NONE : events,
                request.instructions(), request.metadata());
        run.trace("note", "budget " + budget + " tokens (range " + range.min() + ".." + range.max() + ")");
        try {
            if (budget < range.min()) {
                throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, range.min(), budget);
            }
            Answer answer = solver.apply(run);
            return new StrategyResult(name(), answer.text(), clamp(answer.confidence()), run.trace(),
                    run.tokensUsed(), elapsed(start), run.modelUsed(), true, null);
        } catch (io.sigil.approval.ApprovalPending pending) {
            throw pending;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) throw e;
            String error = e instanceof SigilError s ? s.display() : e.getClass().getSimpleName() + ": " + e.getMessage();
            run.trace("note", "failed: " + error);
            return new StrategyResult(name(), null, 0, run.trace(), run.tokensUsed(), elapsed(start),
                    run.modelUsed(), false, error);
        }
    }

    private static Duration elapsed(long start) { return Duration.ofNanos(System.nanoTime() - start); }

    private static double clamp(double c) { return Double.isNaN(c) ? 0 : Math.max(0, Math.min(1, c)); }
}
