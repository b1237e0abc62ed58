package io.sigil.context;

import java.util.ArrayList;
import java.util.List;

/**
 * Summarizes without a model: keeps the first sentence of every paragraph, then further sentences in order,
 * while they fit. Deterministic and free, so it is the fallback when a model summary fails or is not wanted.
 */
public final class ExtractiveSummarizer implements Summarizer {
    private final TokenCounter counter;

    public ExtractiveSummarizer(TokenCounter counter) { this.counter = counter; }

    @Override
    public String summarize(String text, int maxTokens) {
        List<List<String>> paragraphs = new ArrayList<>();
        for (String p : text.split("\\n\\s*\\n")) {
            List<String> sentences = new ArrayList<>();
            for (String s : p.strip().split("(?<=[.!?])\\s+")) if (!s.isBlank()) sentences.add(s.strip());
            if (!sentences.isEmpty()) paragraphs.add(sentences);
        }
        boolean[][] keep = new boolean[paragraphs.size()][];
        for (int i = 0; i < paragraphs.size(); i++) keep[i] = new boolean[paragraphs.get(i).size()];
        int used = 0;
        // First sentences first: the gist of every paragraph beats the detail of the first one.
        for (int round = 0; ; round++) {
            boolean any = false;
            for (int i = 0; i < paragraphs.size(); i++) {
                if (round >= paragraphs.get(i).size()) continue;
                any = true;
                int cost = counter.estimate(paragraphs.get(i).get(round)) + 1;
                if (used + cost > maxTokens) continue;
                keep[i][round] = true;
                used += cost;
            }
            if (!any) break;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < paragraphs.size(); i++) {
            StringBuilder para = new StringBuilder();
            for (int j = 0; j < keep[i].length; j++) {
                if (keep[i][j]) para.append(para.isEmpty() ? "" : " ").append(paragraphs.get(i).get(j));
            }
            if (!para.isEmpty()) out.append(out.isEmpty() ? "" : "\n\n").append(para);
        }
        return out.isEmpty() ? counter.cut(text, maxTokens) : out.toString();
    }
}
