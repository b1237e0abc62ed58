package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Re-ranks rag's results for a question that names a span of time ("in May", "last week", "before March"): every
 * result stored inside the span gains {@code weight}, and scores are brought back to 0..1 by dividing by
 * {@code 1 + weight}, so the boost is bounded and a strong match outside the span can still win. A question without
 * such a cue is left exactly as it was. Weight 0 is off (settings memory.temporal_boost, default 0.3).
 */
public record TemporalBoost(double weight) {
    public static final TemporalBoost OFF = new TemporalBoost(0);

    public TemporalBoost {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("temporal boost must be between 0 and 1, got " + weight);
        }
    }

    public boolean on() { return weight > 0; }

    /** The span the question points at, resolved against {@code reference}; null when it names none or when off. */
    public TimeWindow windowOf(String question, Instant reference) {
        if (!on()) return null;
        TemporalCue cue = TemporalCues.windowCue(TemporalCues.parse(question));
        return cue == null ? null : cue.window(reference).orElse(null);
    }

    /** {@code hits} re-ranked with the boost for those inside {@code window}, best first. */
    public List<Hit> apply(List<Hit> hits, TimeWindow window) {
        if (window == null || !on()) return hits;
        var out = new ArrayList<Hit>(hits.size());
        for (Hit h : hits) {
            double bonus = window.contains(h.item().createdAt()) ? weight : 0;
            out.add(new Hit(h.item(), (h.score() + bonus) / (1 + weight)));
        }
        out.sort(Comparator.comparingDouble(Hit::score).reversed());
        return out;
    }

    public String describe() { return on() ? "temporal boost " + weight : "no temporal boost"; }
}
