package io.sigil.events.file;

import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 at random moments: a child JVM ({@link CrashWriter}) appends numbered events and prints what was
 * acknowledged; after each kill the store must hold every acknowledged event exactly once and in order, with
 * unacknowledged batches whole or absent and versions contiguous. {@code -Dsigil.crash.cycles=N} runs longer
 * (CI: 50).
 */
class FileEventStoreCrashIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKillNine() throws Exception {
        int cycles = Integer.getInteger("sigil.crash.cycles", 50);
        var random = new Random(Long.getLong("sigil.crash.seed", System.nanoTime()));
        long totalAcks = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Map<String, Long> acked = runAndKill(random.nextInt(0, 250));
            totalAcks += acked.values().stream().mapToLong(v -> v + 1).sum();
            check(acked, cycle);
        }
        assertThat(totalAcks).as("events acknowledged over all cycles").isPositive();
    }

    /** Runs the child until a random moment after it is ready, kills it, returns the highest acked number per session. */
    private Map<String, Long> runAndKill(int delayMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A class-data archive made by the first child makes the other 49 start faster.
        Path archive = Path.of(System.getProperty("java.io.tmpdir"), "sigil-crash-writer-" + Runtime.version().feature() + ".jsa");
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var acked = new ConcurrentHashMap<String, Long>();
        var ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) ready.countDown();
                    String[] f = line.split(" ");
                    if (f.length == 4 && f[0].equals("ACK")) acked.merge(f[1], Long.parseLong(f[3]), Math::max);
                }
            } catch (Exception e) {
                // the pipe breaks when the child dies
            }
        });
        assertThat(ready.await(30, TimeUnit.SECONDS)).as("child started").isTrue();
        Thread.sleep(delayMillis);
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return new HashMap<>(acked);
    }

    private void check(Map<String, Long> acked, int cycle) {
        try (FileEventStore store = FileEventStore.open(dir, 1_000_000)) {
            for (int s = 0; s < CrashWriter.SESSIONS; s++) {
                String session = "crash-" + s;
                List<RecordedEvent> events = store.read(session, 1);
                long highestAcked = acked.getOrDefault(session, -1L);
                assertThat((long) events.size()).as("cycle %d %s: acknowledged events present", cycle, session)
                        .isGreaterThan(highestAcked);
                for (int i = 0; i < events.size(); i++) {
                    RecordedEvent e = events.get(i);
                    Map<String, Object> p = e.event().payload();
                    assertThat(e.version()).isEqualTo(i + 1);
                    assertThat(((Number) p.get("n")).longValue()).as("cycle %d %s: event %d once, in order", cycle, session, i)
                            .isEqualTo(i);
                    long batch = ((Number) p.get("batch")).longValue();
                    int size = ((Number) p.get("size")).intValue();
                    // All or nothing: the batch this event belongs to is complete.
                    assertThat(batch + size).as("cycle %d %s: batch at %d complete", cycle, session, batch)
                            .isLessThanOrEqualTo(events.size());
                }
            }
        }
    }
}
