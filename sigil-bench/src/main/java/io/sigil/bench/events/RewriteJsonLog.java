package io.sigil.bench.events;

import io.sigil.events.Event;
import io.sigil.events.EventCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The original Python design, made durable: one JSON file per session holding all its events, rewritten
 * completely on every append and then fsynced. Sessions are kept in memory (as the original did), so the
 * cost measured is serialising and rewriting the file, not reading it back.
 */
final class RewriteJsonLog implements BenchEventLog {
    private final Path dir;
    private final EventCodec codec = new EventCodec();
    private final Map<String, List<byte[]>> sessions = new ConcurrentHashMap<>();

    RewriteJsonLog(Path dir) { this.dir = dir; }

    @Override
    public void append(String sessionId, List<Event> events) {
        List<byte[]> session = sessions.computeIfAbsent(sessionId, k -> new ArrayList<>());
        synchronized (session) {
            for (Event e : events) session.add(codec.encode(e));
            var out = new ByteArrayOutputStream(session.size() * 256);
            out.write('[');
            for (int i = 0; i < session.size(); i++) {
                if (i > 0) out.write(',');
                out.writeBytes(session.get(i));
            }
            out.write(']');
            try (FileChannel ch = FileChannel.open(dir.resolve(sessionId + ".json"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() { }
}
