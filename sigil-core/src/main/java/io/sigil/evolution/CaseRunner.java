package io.sigil.evolution;

/**
 * The port evolution runs cases through: one case, with a candidate system prompt in place of the agent's, within
 * {@code maxTokens}. {@link PipelineCaseRunner} is the real pipeline (routing, reasoning, tools, contract).
 */
@FunctionalInterface
public interface CaseRunner {
    CaseRun run(String systemPrompt, TestCase testCase, long maxTokens);
}
