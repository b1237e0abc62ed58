package io.sigil.memory.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One local model as langchain4j's encoder (its tokenization, batching and pooling, so vectors are the ones
 * langchain4j's own model classes give), over an ONNX session this class owns: created from the model file on disk
 * when {@link ModelFiles} has one, with the options ONNX Runtime uses by default, and closed with the embedder.
 */
final class OnnxEncoder extends AbstractInProcessEmbeddingModel implements AutoCloseable {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;

    OnnxEncoder(LocalModel model, ModelFiles files, Executor executor) {
        super(executor);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.options = new OrtSession.SessionOptions();
        OrtSession opened = null;
        try {
            Optional<Path> graph = files.file(model.loader(), model.graphResource());
            opened = graph.isPresent() ? env.createSession(graph.get().toString(), options)
                    : env.createSession(ModelFiles.read(model.loader(), model.graphResource()), options);
            try (InputStream tokenizer = model.loader().getResourceAsStream(model.tokenizerResource())) {
                if (tokenizer == null) throw new IllegalStateException("the tokenizer " + model.tokenizerResource() + " is not on the class path");
                this.encoder = new OnnxBertBiEncoder(env, opened, tokenizer, model.pooling());
            }
            this.session = opened;
        } catch (OrtException | IOException | RuntimeException e) {
            closeQuietly(opened);
            options.close();
            if (e instanceof RuntimeException r) throw r;
            throw e instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException("ONNX Runtime cannot open the model " + model.modelName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() { return encoder; }

    @Override
    protected Integer knownDimension() { return 384; }

    @Override
    public void close() {
        closeQuietly(session);
        options.close();
    }

    private static void closeQuietly(OrtSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (OrtException ignored) {
            // the native session is gone either way; nothing more to release
        }
    }
}
