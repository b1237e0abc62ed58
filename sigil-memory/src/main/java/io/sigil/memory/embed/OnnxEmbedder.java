package io.sigil.memory.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.sigil.memory.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2 (384 dimensions) run in-process by ONNX Runtime. The model ships inside the jar: nothing is
 * downloaded, nothing leaves the machine. A batch is spread over one thread per core.
 */
public final class OnnxEmbedder implements Embedder {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String MINILM_QUANTIZED = "all-minilm-l6-v2-q";

    private final String model;
    private final ExecutorService pool;
    private final AbstractInProcessEmbeddingModel encoder;

    private OnnxEmbedder(String model, boolean quantized) {
        this.model = model;
        int threads = Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("sigil-embed-", 0).factory());
        this.encoder = quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel(pool) : new AllMiniLmL6V2EmbeddingModel(pool);
    }

    /** The full-precision model. */
    public static OnnxEmbedder miniLm() { return new OnnxEmbedder(MINILM, false); }

    /** The int8-quantized model: about twice as fast, slightly different vectors. */
    public static OnnxEmbedder miniLmQuantized() { return new OnnxEmbedder(MINILM_QUANTIZED, true); }

    public static boolean supports(String name) { return MINILM.equals(name) || MINILM_QUANTIZED.equals(name); }

    @Override
    public String model() { return model; }

    @Override
    public int dimension() { return 384; }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        var segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "." : t)).toList();
        var embeddings = encoder.embedAll(segments).content();
        var out = new ArrayList<float[]>(embeddings.size());
        for (var e : embeddings) out.add(Embedder.normalize(e.vector()));
        return out;
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
