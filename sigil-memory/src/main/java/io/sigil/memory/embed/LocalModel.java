package io.sigil.memory.embed;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sentence encoders that ship inside langchain4j's model jars: the names Sigil knows them by, the jar resources
 * of each (ONNX graph and tokenizer) and its pooling, as langchain4j's own model classes declare them. Sigil reads
 * the files itself instead of through those classes, whose static initialiser inflates the whole graph into the
 * heap on every start ({@link ModelFiles}).
 */
enum LocalModel {
    MINILM("all-minilm-l6-v2", AllMiniLmL6V2EmbeddingModel.class, PoolingMode.MEAN),
    MINILM_QUANTIZED("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel.class, PoolingMode.MEAN),
    E5_SMALL_QUANTIZED("e5-small-v2-q", E5SmallV2QuantizedEmbeddingModel.class, PoolingMode.MEAN),
    BGE_SMALL_QUANTIZED("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel.class, PoolingMode.CLS);

    private final String modelName;
    /** A class of the model's jar (a class literal: its static initialiser does not run), for its class loader. */
    private final Class<?> anchor;
    private final PoolingMode pooling;

    LocalModel(String modelName, Class<?> anchor, PoolingMode pooling) {
        this.modelName = modelName;
        this.anchor = anchor;
        this.pooling = pooling;
    }

    String modelName() { return modelName; }

    PoolingMode pooling() { return pooling; }

    ClassLoader loader() { return anchor.getClassLoader(); }

    /** The ONNX graph's resource name in the model's jar. */
    String graphResource() { return modelName + ".onnx"; }

    /** The tokenizer's resource name in the model's jar. */
    String tokenizerResource() { return modelName + "-tokenizer.json"; }

    static Optional<LocalModel> named(String name) {
        return Arrays.stream(values()).filter(m -> m.modelName.equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(LocalModel::modelName).toList();
    }
}
