package io.sigil.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One embedder shared by the injection guard and memory: loaded on first use, and remembering the vectors of the
 * last texts it embedded, so a user message that the guard screened and memory then recalls with is embedded once.
 * The cache is small (the texts of the runs in flight), keyed by the exact text; vectors are copied in and out, so
 * callers may scale them in place. Query vectors are also looked up in, and written to, the {@link SharedQueryVectors}
 * of the deployment (Redis, shared by the replicas) when there is one. Thread-safe.
 */
public final class CachingEmbedder implements Embedder {
    /** Enough for the messages of the runs in flight on one node; a vector is 1.5 KB. */
    public static final int DEFAULT_CAPACITY = 256;

    /** Prefix of a query's cache key; a NUL never occurs in a message, so the two kinds cannot collide. */
    private static final String QUERY_KEY = "\u0000query\u0000";

    private final Supplier<? extends Embedder> loader;
    private final int capacity;
    private final Map<String, float[]> recent;
    private final SharedQueryVectors shared;
    private volatile Embedder delegate;

    /** @param loader opens the real embedder (e.g. loads the ONNX model); called once, on first use */
    public CachingEmbedder(Supplier<? extends Embedder> loader, int capacity) {
        this(loader, capacity, SharedQueryVectors.NONE);
    }

    /** @param shared query vectors other processes computed, consulted after this process's own cache */
    public CachingEmbedder(Supplier<? extends Embedder> loader, int capacity, SharedQueryVectors shared) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        this.loader = Objects.requireNonNull(loader, "loader");
        this.capacity = capacity;
        this.shared = Objects.requireNonNull(shared, "shared");
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > CachingEmbedder.this.capacity;
            }
        };
    }

    /** Wraps an embedder that is already open. */
    public static CachingEmbedder of(Embedder embedder) {
        Objects.requireNonNull(embedder, "embedder");
        return new CachingEmbedder(() -> embedder, DEFAULT_CAPACITY);
    }

    private Embedder delegate() {
        Embedder d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) delegate = Objects.requireNonNull(loader.get(), "the embedder loader returned null");
                d = delegate;
            }
        }
        return d;
    }

    /**
     * Starts opening the real embedder on a virtual thread, so that loading its model overlaps other work of a run
     * that will need it (the guard's own model, routing); callers that need it meanwhile wait for that one load. A
     * failure is left to the first real use, which tries again and reports it.
     */
    public void loadInBackground() {
        if (delegate != null) return;
        Thread.ofVirtual().name("embedder-load").start(() -> {
            try {
                delegate();
            } catch (RuntimeException reportedOnFirstUse) {
                // the next call of delegate() runs the loader again and throws to its caller
            }
        });
    }

    /** Whether the real embedder has been opened yet. */
    public boolean loaded() {
        return delegate != null;
    }

    @Override
    public String model() { return delegate().model(); }

    @Override
    public boolean asymmetric() { return delegate().asymmetric(); }

    @Override
    public int dimension() { return delegate().dimension(); }

    @Override
    public List<float[]> embed(List<String> texts) {
        var out = new ArrayList<float[]>(texts.size());
        var missingSet = new java.util.LinkedHashSet<String>();
        synchronized (recent) {
            for (String t : texts) {
                float[] v = recent.get(t);
                out.add(v == null ? null : v.clone());
                if (v == null) missingSet.add(t);
            }
        }
        if (missingSet.isEmpty()) return out;
        var missing = List.copyOf(missingSet);
        // Embedded outside the lock: two threads may embed one new text at once, which costs time, never correctness.
        List<float[]> computed = delegate().embed(missing);
        Map<String, float[]> fresh = new LinkedHashMap<>();
        for (int i = 0; i < missing.size(); i++) fresh.put(missing.get(i), computed.get(i).clone());
        synchronized (recent) {
            recent.putAll(fresh);
        }
        for (int i = 0; i < texts.size(); i++) {
            if (out.get(i) == null) out.set(i, fresh.get(texts.get(i)).clone());
        }
        return out;
    }

    /**
     * A query is cached under its own key: for asymmetric models its vector differs from the same text embedded as
     * a stored item (the guard screens messages as items; recall embeds them as queries). Symmetric models share
     * one entry for both. Order: this process's cache, then the shared one, then the model.
     */
    @Override
    public float[] embedQuery(String query) {
        Embedder d = delegate();
        boolean asymmetric = d.asymmetric();
        String key = asymmetric ? QUERY_KEY + query : query;
        synchronized (recent) {
            float[] v = recent.get(key);
            if (v != null) return v.clone();
        }
        SharedQueryVectors.Kind kind = asymmetric ? SharedQueryVectors.Kind.QUERY : SharedQueryVectors.Kind.TEXT;
        float[] fromPeers = shared.get(d.model(), kind, query).orElse(null);
        float[] v = fromPeers != null ? fromPeers : asymmetric ? d.embedQuery(query) : d.embed(List.of(query)).getFirst();
        if (fromPeers == null) shared.put(d.model(), kind, query, v);
        synchronized (recent) {
            recent.put(key, v.clone());
        }
        return v;
    }

    @Override
    public void close() {
        Embedder d = delegate;
        if (d != null) d.close();
    }
}
