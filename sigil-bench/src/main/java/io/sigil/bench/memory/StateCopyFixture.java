package io.sigil.bench.memory;

import io.sigil.events.Event;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.file.FileEventStore;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a file installation for timing {@code sigil state copy} (sigil-bench/statecopy/state-copy-bench.sh):
 * {@code items} memory items of the synthetic corpus with vectors of {@code model} (so a copy to a target on the
 * same model moves vectors, not texts to embed) under {@code root/memory}, and {@code sessions} sessions of
 * {@code eventsPerSession} events under {@code root/state}.
 * <p>Usage: {@code StateCopyFixture <root> <items> <sessions> <eventsPerSession> [model]}.
 */
public final class StateCopyFixture {
    private StateCopyFixture() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: StateCopyFixture <root> <items> <sessions> <eventsPerSession> [model]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        int items = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int perSession = Integer.parseInt(args[3]);
        String model = args.length > 4 ? args[4] : OnnxEmbedder.E5_SMALL_QUANTIZED;
        if (Files.exists(root)) throw new IllegalArgumentException(root + " exists: give a new directory");
        long t0 = System.nanoTime();
        try (var embedder = OnnxEmbedder.of(model);
             var memory = LuceneMemoryStore.open(root.resolve("memory"), embedder)) {
            SyntheticCorpus.fill(memory, embedder, items, 11);
        }
        long t1 = System.nanoTime();
        try (var events = FileEventStore.open(root.resolve("state"), Math.max(perSession, 1) + 1)) {
            Instant at = Instant.parse("2026-11-01T09:00:00Z");
            for (int s = 0; s < sessions; s++) {
                String session = "copy-" + s;
                var batch = new ArrayList<Event>(perSession);
                for (int e = 0; e < perSession; e++) {
                    batch.add(new Event(UUID.randomUUID(), "message.added", at.plusSeconds(s * 60L + e), session,
                            "bench", null, Map.of("role", "user", "content", "message " + e + " of session " + s), 1));
                }
                events.append(session, ExpectedVersion.NO_STREAM, List.copyOf(batch));
            }
        }
        long t2 = System.nanoTime();
        System.out.printf("fixture at %s: %,d memory items (%s) in %.1f s, %,d sessions x %,d events in %.1f s%n",
                root, items, model, (t1 - t0) / 1e9, sessions, perSession, (t2 - t1) / 1e9);
    }
}
