package io.sigil.orchestrator;

import io.sigil.config.Settings;
import io.sigil.planning.RetryPolicy;

import java.time.Duration;

/**
 * The knobs of the pipeline: feature flags of the deployment (SIGIL_USE_*), the request token budget and
 * deadline defaults, and the sizes of sigil-design.md section 1 (memories: top 5 of k=10; plans: 10 steps, 3 at
 * once).
 */
public record OrchestratorConfig(Settings.Features features, long maxTotalTokens, Duration defaultTimeout,
                                 int recallK, int memoriesInContext, int maxPlanSteps, int maxParallelSteps,
                                 long contextInputTokens, RetryPolicy stepRetry, Duration slowRetrieval) {
    /** A memory recall slower than this is logged as a warning (guide 12.1). */
    public static final Duration DEFAULT_SLOW_RETRIEVAL = Duration.ofSeconds(2);

    public OrchestratorConfig(Settings.Features features, long maxTotalTokens, Duration defaultTimeout, int recallK,
                              int memoriesInContext, int maxPlanSteps, int maxParallelSteps, long contextInputTokens,
                              RetryPolicy stepRetry) {
        this(features, maxTotalTokens, defaultTimeout, recallK, memoriesInContext, maxPlanSteps, maxParallelSteps,
                contextInputTokens, stepRetry, DEFAULT_SLOW_RETRIEVAL);
    }

    public static OrchestratorConfig from(Settings settings) {
        return new OrchestratorConfig(settings.features(), settings.contracts().maxTotalTokens(),
                Duration.ofMinutes(5), 10, 5, 10, 3, 150_000, RetryPolicy.DEFAULT,
                Duration.ofMillis(settings.memory().slowRetrievalMs()));
    }

    public OrchestratorConfig withFeatures(Settings.Features f) {
        return new OrchestratorConfig(f, maxTotalTokens, defaultTimeout, recallK, memoriesInContext, maxPlanSteps,
                maxParallelSteps, contextInputTokens, stepRetry, slowRetrieval);
    }

    /** The same with another step retry policy (tests use millisecond backoffs). */
    public OrchestratorConfig withStepRetry(RetryPolicy retry) {
        return new OrchestratorConfig(features, maxTotalTokens, defaultTimeout, recallK, memoriesInContext, maxPlanSteps,
                maxParallelSteps, contextInputTokens, retry, slowRetrieval);
    }
}
