package io.sigil.memory.embed;

import dev.langchain4j.data.segment.TextSegment;
import io.sigil.memory.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A small sentence encoder (384 dimensions) run in-process by ONNX Runtime: all-MiniLM-L6-v2 (fp32 or int8),
 * e5-small-v2 (int8) or bge-small-en-v1.5 (int8). The model ships inside its jar: nothing is downloaded, nothing
 * leaves the machine. A batch is spread over one thread per core. Asymmetric models get their query and passage
 * prefixes here ({@link Prefixes}), so callers only say which side they embed. The model file is read from the
 * model cache ({@link ModelFiles}: extracted from its jar once), and its ONNX session is released on close.
 */
public final class OnnxEmbedder implements Embedder {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String MINILM_QUANTIZED = "all-minilm-l6-v2-q";
    public static final String E5_SMALL_QUANTIZED = "e5-small-v2-q";
    public static final String BGE_SMALL_QUANTIZED = "bge-small-en-v1.5-q";

    /** The local models, in the order the docs list them. */
    public static final List<String> NAMES = LocalModel.names();

    private final String model;
    private final Prefixes prefixes;
    private final ExecutorService pool;
    private final OnnxEncoder encoder;
    /** Embedding holds it shared, closing exclusively: a closed session is never run. */
    private final ReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxEmbedder(LocalModel local, ModelFiles files) {
        DjlPrivacy.apply(); // before the encoder creates its tokenizer, which would otherwise call home
        this.model = local.modelName();
        this.prefixes = Prefixes.forModel(model);
        int threads = Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("sigil-embed-", 0).factory());
        try {
            this.encoder = new OnnxEncoder(local, files, pool);
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    /** Opens the local model of this name; {@link #supports} says which exist. */
    public static OnnxEmbedder of(String name) {
        return of(name, ModelFiles.fromEnvironment(System.getenv()));
    }

    static OnnxEmbedder of(String name, ModelFiles files) {
        LocalModel local = LocalModel.named(name).orElseThrow(
                () -> new IllegalArgumentException("no local embedding model '" + name + "'; local: " + NAMES));
        return new OnnxEmbedder(local, files);
    }

    /** The full-precision model. */
    public static OnnxEmbedder miniLm() { return of(MINILM); }

    /** The int8-quantized model: about twice as fast, slightly different vectors. */
    public static OnnxEmbedder miniLmQuantized() { return of(MINILM_QUANTIZED); }

    public static boolean supports(String name) { return name != null && LocalModel.named(name).isPresent(); }

    @Override
    public String model() { return model; }

    @Override
    public int dimension() { return 384; }

    @Override
    public List<float[]> embed(List<String> texts) {
        return encode(texts, prefixes.passage());
    }

    @Override
    public float[] embedQuery(String query) { return encode(List.of(query), prefixes.query()).getFirst(); }

    @Override
    public boolean asymmetric() { return !prefixes.query().equals(prefixes.passage()); }

    private List<float[]> encode(List<String> texts, String prefix) {
        if (texts.isEmpty()) return List.of();
        var segments = texts.stream().map(t -> TextSegment.from(prefix + (t.isBlank() ? "." : t))).toList();
        open.readLock().lock();
        List<dev.langchain4j.data.embedding.Embedding> embeddings;
        try {
            if (closed) throw new IllegalStateException("the " + model + " embedder is closed");
            embeddings = encoder.embedAll(segments).content();
        } finally {
            open.readLock().unlock();
        }
        var out = new ArrayList<float[]>(embeddings.size());
        for (var e : embeddings) out.add(Embedder.normalize(e.vector()));
        return out;
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            pool.shutdownNow();
            encoder.close();
        } finally {
            open.writeLock().unlock();
        }
    }
}
