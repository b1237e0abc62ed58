package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;

import java.time.Duration;
import java.util.List;

/**
 * What a search returned: the hits (best first, at most k), which mode produced them, why that mode answered
 * (for hybrid: the confidence against the threshold), the rag confidence (NaN when not computed) and the time taken.
 */
public record Recall(List<Hit> hits, RetrievalMode answeredBy, String reason, double confidence, Duration took) {
    public Recall {
        hits = List.copyOf(hits);
    }
}
