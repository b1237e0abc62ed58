package io.sigil.evolution;

import io.sigil.llm.Usage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What an evaluation or optimisation has cost so far: model calls and tokens. Thread-safe. */
public final class Cost {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong input = new AtomicLong();
    private final AtomicLong output = new AtomicLong();

    public Cost() { }

    /** A cost that starts from an earlier report (a resumed optimisation carries its spending on). */
    public Cost(Report from) {
        calls.set(from.modelCalls());
        input.set(from.inputTokens());
        output.set(from.outputTokens());
    }

    void add(Usage usage) {
        calls.incrementAndGet();
        input.addAndGet(usage.inputTokens());
        output.addAndGet(usage.outputTokens());
    }

    public long totalTokens() { return input.get() + output.get(); }

    public Report report() { return new Report(calls.get(), input.get(), output.get()); }

    /** A snapshot of the cost. */
    public record Report(long modelCalls, long inputTokens, long outputTokens) {
        public static final Report ZERO = new Report(0, 0, 0);

        public long totalTokens() { return inputTokens + outputTokens; }

        public Report minus(Report earlier) {
            return new Report(modelCalls - earlier.modelCalls, inputTokens - earlier.inputTokens,
                    outputTokens - earlier.outputTokens);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model_calls", modelCalls);
            m.put("input_tokens", inputTokens);
            m.put("output_tokens", outputTokens);
            m.put("total_tokens", totalTokens());
            return m;
        }

        public static Report fromMap(Map<?, ?> m) {
            if (m == null) return ZERO;
            return new Report(num(m.get("model_calls")), num(m.get("input_tokens")), num(m.get("output_tokens")));
        }

        private static long num(Object o) { return o instanceof Number n ? n.longValue() : 0; }
    }
}
