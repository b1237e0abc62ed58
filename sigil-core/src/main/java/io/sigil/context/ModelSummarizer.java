package io.sigil.context;

import io.sigil.errors.SigilError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;

/**
 * Summarizes with the model, and falls back to {@link ExtractiveSummarizer} when the call fails or the
 * summary is still too long: assembling a prompt must not fail because a summary did.
 */
public final class ModelSummarizer implements Summarizer {
    private final ChatModel model;
    private final TokenCounter counter;
    private final Summarizer fallback;

    public ModelSummarizer(ChatModel model, TokenCounter counter) {
        this.model = model;
        this.counter = counter;
        this.fallback = new ExtractiveSummarizer(counter);
    }

    @Override
    public String summarize(String text, int maxTokens) {
        try {
            String summary = model.chat(ChatRequest.builder()
                    .system("Summarize the text for another model's context. Keep facts, names, numbers, "
                            + "decisions and open questions; drop pleasantries. Write at most " + maxTokens
                            + " tokens. Output only the summary.")
                    .user(text).temperature(0.0).maxTokens(Math.max(16, maxTokens)).build()).text().strip();
            if (!summary.isEmpty() && counter.estimate(summary) <= maxTokens) return summary;
        } catch (SigilError e) {
            // fall through to the extractive summary
        }
        return fallback.summarize(text, maxTokens);
    }
}
