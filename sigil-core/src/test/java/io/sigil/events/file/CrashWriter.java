package io.sigil.events.file;

import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child process of {@link FileEventStoreCrashIT}: appends numbered events in batches of 1 to 4 to a few
 * sessions from several threads until it is killed, printing {@code ACK session first last} after each append
 * returns. Each event carries its number, its batch's first number and the batch size.
 */
public final class CrashWriter {
    public static final int SESSIONS = 3;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        var config = new FileEventStore.Config(dir, 1_000_000).withSegmentBytes(64 * 1024);
        FileEventStore store = FileEventStore.open(config);
        var threads = new ArrayList<Thread>();
        for (int t = 0; t < SESSIONS; t++) {
            String session = "crash-" + t;
            threads.add(Thread.ofPlatform().start(() -> {
                long next = store.version(session);
                var random = ThreadLocalRandom.current();
                while (true) {
                    int size = random.nextInt(1, 5);
                    var batch = new ArrayList<Event>(size);
                    for (int i = 0; i < size; i++) {
                        batch.add(Event.of(EventType.MESSAGE_ADDED, session,
                                Map.of("n", next + i, "batch", next, "size", size, "content", "x".repeat(random.nextInt(200)))));
                    }
                    AppendResult r = store.append(session, ExpectedVersion.exact(next), batch);
                    synchronized (System.out) {
                        System.out.println("ACK " + session + " " + (r.firstVersion() - 1) + " " + (r.lastVersion() - 1));
                        System.out.flush();
                    }
                    next += size;
                }
            }));
        }
        System.out.println("READY");
        System.out.flush();
        for (Thread t : threads) t.join();
    }
}
