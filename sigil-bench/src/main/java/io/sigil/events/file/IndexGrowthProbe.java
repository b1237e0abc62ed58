package io.sigil.events.file;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The worst single index update while the file event store's in-memory index grows to a million sessions of six
 * events each: what one append waits behind the store's write lock when a table has to grow. Times the index
 * directly (no disk), so the figure is the growth stall itself. Run it with the JVM options of interest, e.g.
 * {@code java -Xmx4g -XX:MaxGCPauseMillis=20 -cp sigil-bench/target/benchmarks.jar io.sigil.events.file.IndexGrowthProbe}
 * (G1: the worst case includes young pauses) or with {@code -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC
 * -Xms12g -Xmx12g} (no collector: growth alone). In the same package as the index, which is not public API.
 */
public final class IndexGrowthProbe {
    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        var log = new LogIndex();
        var random = ThreadLocalRandom.current();
        long worstEvent = 0, total = 0, position = 0;
        for (int s = 0; s < sessions; s++) {
            String sessionId = new UUID(random.nextLong(), random.nextLong()).toString();
            for (int v = 1; v <= 6; v++) {
                position++;
                long start = System.nanoTime();
                String finding = log.addEvent(sessionId, "message.added", new UUID(random.nextLong(), random.nextLong()),
                        position, v, 1, position * 200, 200);
                long took = System.nanoTime() - start;
                if (finding != null) throw new IllegalStateException(finding);
                worstEvent = Math.max(worstEvent, took);
                total += took;
            }
        }
        System.out.printf("%,d sessions, %,d events: worst index update %.1f ms, mean %.0f ns%n", sessions, position,
                worstEvent / 1e6, (double) total / position);
    }
}
