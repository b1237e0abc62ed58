package io.sigil.evolution;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One version of an agent's system prompt: {@code v1} is the prompt before the first optimisation; later ones are
 * accepted candidates. At most one version of an agent is {@link Status#ACTIVE}: the prompt the agent runs with.
 *
 * @param parent         the version it was derived from, or null for {@code v1}
 * @param generation     the beam-search generation that produced it (0 for {@code v1})
 * @param optimizationId the session of the optimisation that produced it (its events), or null
 */
public record PromptVersion(String agent, String versionId, String prompt, double score, double confidence,
                            double drift, String parent, int generation, Instant createdAt, Status status,
                            String optimizationId) {

    public enum Status {
        ACTIVE, PENDING_APPROVAL, REJECTED, SUPERSEDED;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }

        public static Status parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    public PromptVersion {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        // Kept to the microsecond, as PostgreSQL keeps it: a version reads back equal from every store.
        createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    }

    public PromptVersion withId(String id) {
        return new PromptVersion(agent, id, prompt, score, confidence, drift, parent, generation, createdAt, status, optimizationId);
    }

    public PromptVersion withStatus(Status s) {
        return new PromptVersion(agent, versionId, prompt, score, confidence, drift, parent, generation, createdAt, s, optimizationId);
    }

    /** The wire form (API, file store, events). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version_id", versionId);
        m.put("agent", agent);
        m.put("prompt", prompt);
        m.put("score", score);
        m.put("confidence", confidence);
        m.put("drift", drift);
        m.put("parent", parent);
        m.put("generation", generation);
        m.put("created_at", createdAt.toString());
        m.put("status", status.wireName());
        m.put("optimization_id", optimizationId);
        return m;
    }

    public static PromptVersion fromMap(Map<?, ?> m) {
        return new PromptVersion((String) m.get("agent"), (String) m.get("version_id"), (String) m.get("prompt"),
                num(m.get("score")), num(m.get("confidence")), num(m.get("drift")), (String) m.get("parent"),
                (int) num(m.get("generation")), Instant.parse((String) m.get("created_at")),
                Status.parse((String) m.get("status")), (String) m.get("optimization_id"));
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : 0; }
}
