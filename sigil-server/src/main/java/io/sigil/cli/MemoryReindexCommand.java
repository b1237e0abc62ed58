package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.extract.Extractor;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.lucene.LuceneReindexer;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.UUID;

/**
 * {@code sigil memory reindex}: on PostgreSQL, embeds the database's items again (every process's index follows the
 * change log); on files, rebuilds the local index with the configured model.
 */
@Command(name = "reindex", description = "Rebuild the index with the configured embedding model (after a model change or damage).")
final class MemoryReindexCommand extends MemoryCommand.Base {
    @Override
    public Integer call() throws Exception {
        Settings s = settings();
        if ("postgres".equals(s.state().backend()) && dataDir == null) {
            // Memory lives in PostgreSQL: embed its items again; every server's index follows the change log.
            try (Embedder embedder = Embedders.fromSettings(s.memory(), s.llm());
                 var pg = io.sigil.postgres.PostgresStateBackend.open(s, false)) {
                var report = io.sigil.postgres.MemoryReembedder.run(pg.database(), embedder, true);
                out().printf("Re-embedded %d of %d memory items in PostgreSQL with %s; running servers' indexes "
                        + "follow by themselves, others catch up when they start.%n", report.reembedded(),
                        report.total(), report.model());
            }
            return ExitCodes.OK;
        }
        Extractor extractor = extractor(chatModel());
        String before = LuceneMemoryStore.recordedModel(s.memory().dataDir()).orElse(null);
        try (Embedder embedder = Embedders.fromSettings(s.memory(), s.llm())) {
            if (before != null && !before.equals(embedder.model())) {
                out().printf("Moving the index from embedding model %s to %s%s: every vector is computed again.%n",
                        before, embedder.model(), embedder.model().equals(Settings.Memory.DEFAULTS.embeddingModel())
                                ? " (the default model changed)" : "");
            }
            var report = LuceneReindexer.rebuild(s.memory().dataDir(), embedder, r -> extractor.extract(r).stream()
                    .map(e -> new MemoryItem(UUID.randomUUID().toString(), r.id(), e.content(), e.category(),
                            e.confidence(), Map.of("extractor", extractor.name()), r.scope(), r.createdAt()))
                    .toList());
            out().printf("Reindexed %s with %s: %d resources, %d items, %d categories%s.%n", s.memory().dataDir(),
                    report.model(), report.resources(), report.items(), report.categories(),
                    report.fromJournal() ? " (index unreadable: items extracted again from the resource journal)" : "");
        }
        return ExitCodes.OK;
    }
}
