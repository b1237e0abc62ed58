package io.sigil.memory.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.sigil.memory.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small sentence encoder (384 dimensions) run in-process by ONNX Runtime: all-MiniLM-L6-v2 (fp32 or int8),
 * e5-small-v2 (int8) or bge-small-en-v1.5 (int8). The model ships inside its jar: nothing is downloaded, nothing
 * leaves the machine. A batch is spread over one thread per core. Asymmetric models get their query and passage
 * prefixes here ({@link Prefixes}), so callers only say which side they embed.
 */
public final class OnnxEmbedder implements Embedder {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String MINILM_QUANTIZED = "all-minilm-l6-v2-q";
    public static final String E5_SMALL_QUANTIZED = "e5-small-v2-q";
    public static final String BGE_SMALL_QUANTIZED = "bge-small-en-v1.5-q";

    /** The local models by name, in the order the docs list them. */
    private static final Map<String, Function<ExecutorService, AbstractInProcessEmbeddingModel>> MODELS = Map.of(
            MINILM, AllMiniLmL6V2EmbeddingModel::new,
            MINILM_QUANTIZED, AllMiniLmL6V2QuantizedEmbeddingModel::new,
            E5_SMALL_QUANTIZED, E5SmallV2QuantizedEmbeddingModel::new,
            BGE_SMALL_QUANTIZED, BgeSmallEnV15QuantizedEmbeddingModel::new);

    public static final List<String> NAMES = List.of(MINILM, MINILM_QUANTIZED, E5_SMALL_QUANTIZED, BGE_SMALL_QUANTIZED);

    private final String model;
    private final Prefixes prefixes;
    private final ExecutorService pool;
    private final AbstractInProcessEmbeddingModel encoder;

    private OnnxEmbedder(String model) {
        DjlPrivacy.apply(); // before the encoder creates its tokenizer, which would otherwise call home
        this.model = model;
        this.prefixes = Prefixes.forModel(model);
        int threads = Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("sigil-embed-", 0).factory());
        this.encoder = MODELS.get(model).apply(pool);
    }

    /** Opens the local model of this name; {@link #supports} says which exist. */
    public static OnnxEmbedder of(String name) {
        if (!supports(name)) throw new IllegalArgumentException("no local embedding model '" + name + "'; local: " + NAMES);
        return new OnnxEmbedder(name);
    }

    /** The full-precision model. */
    public static OnnxEmbedder miniLm() { return new OnnxEmbedder(MINILM); }

    /** The int8-quantized model: about twice as fast, slightly different vectors. */
    public static OnnxEmbedder miniLmQuantized() { return new OnnxEmbedder(MINILM_QUANTIZED); }

    public static boolean supports(String name) { return name != null && MODELS.containsKey(name); }

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
        var embeddings = encoder.embedAll(segments).content();
        var out = new ArrayList<float[]>(embeddings.size());
        for (var e : embeddings) out.add(Embedder.normalize(e.vector()));
        return out;
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
