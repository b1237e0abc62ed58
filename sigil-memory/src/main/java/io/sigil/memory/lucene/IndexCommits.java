package io.sigil.memory.lucene;

import io.sigil.config.Settings;
import io.sigil.errors.MemoryError;
import io.sigil.memory.Embedder;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each Lucene commit of the memory index records besides documents: the embedding model and dimension its
 * vectors were made with (vectors of different models cannot be compared), the format, and the last write-ahead log
 * sequence it holds (opening replays the log after it).
 */
final class IndexCommits {
    static final String FORMAT = "1";
    static final String KEY_MODEL = "embedding_model";
    static final String KEY_DIMENSION = "embedding_dimension";
    static final String KEY_FORMAT = "sigil_memory_format";
    static final String KEY_LOG_SEQ = "sigil_log_seq";
    static final String REINDEX_HINT = "run `sigil memory reindex` to rebuild the index with the configured model";

    private IndexCommits() { }

    static IndexWriterConfig writerConfig() {
        return new IndexWriterConfig(new EnglishAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
    }

    /** The log sequence the writer's last commit holds, 0 for a new index. */
    static long committedSeq(IndexWriter writer) {
        for (var e : writer.getLiveCommitData() == null ? List.<Map.Entry<String, String>>of() : writer.getLiveCommitData()) {
            if (e.getKey().equals(KEY_LOG_SEQ)) return Long.parseLong(e.getValue());
        }
        return 0;
    }

    static Iterable<Map.Entry<String, String>> commitData(Embedder embedder, long logSeq) {
        return Map.of(KEY_MODEL, embedder.model(), KEY_DIMENSION, Integer.toString(embedder.dimension()),
                KEY_FORMAT, FORMAT, KEY_LOG_SEQ, Long.toString(logSeq)).entrySet();
    }

    /** Fails unless the commit was made with the configured embedder's model and dimension. */
    static void checkModel(Path indexDir, SegmentInfos commit, Embedder embedder) {
        Map<String, String> data = commit.getUserData();
        String model = data.get(KEY_MODEL);
        if (model == null) {
            throw new MemoryError("The memory index " + indexDir + " does not record an embedding model",
                    "it was not written by Sigil or is damaged; " + REINDEX_HINT, Map.of("dir", indexDir.toString()),
                    false, null);
        }
        String dimension = Integer.toString(embedder.dimension());
        if (!model.equals(embedder.model()) || !dimension.equals(data.get(KEY_DIMENSION))) {
            throw new MemoryError("The memory index " + indexDir + " was built with embedding model '" + model
                    + "' (" + data.get(KEY_DIMENSION) + " dimensions) but the configured model is '"
                    + embedder.model() + "' (" + dimension + ")",
                    (embedder.model().equals(Settings.Memory.DEFAULTS.embeddingModel())
                            ? "the default embedding model is now " + embedder.model() + "; " : "")
                            + REINDEX_HINT + ", or set memory.embedding_model back to " + model,
                    Map.of("index_model", model, "configured_model", embedder.model()), false, null);
        }
    }

    static MemoryError corrupted(Path indexDir, Exception e) {
        return new MemoryError("The memory index " + indexDir + " is damaged: " + e.getMessage(),
                "run `sigil memory reindex` to rebuild it from the resource journal, or restore the data directory "
                        + "from a backup", Map.of("dir", indexDir.toString()), false, e);
    }

    /** The embedding model the latest commit in {@code indexDir} records, if any. */
    static Optional<String> recordedModel(Path indexDir) {
        try (Directory d = FSDirectory.open(indexDir)) {
            if (!DirectoryReader.indexExists(d)) return Optional.empty();
            return Optional.ofNullable(SegmentInfos.readLatestCommit(d).getUserData().get(KEY_MODEL));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
