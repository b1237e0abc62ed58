package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store's write-ahead log: a write is durable once its record is forced to disk, which costs one fsync of an
 * append-only file instead of a Lucene commit. Concurrent writers share fsyncs (group commit): the thread that
 * forces the file covers every record appended before it, so writers queued behind it usually return at once.
 *
 * <p>Records carry increasing sequence numbers. The index commit records the last sequence it holds; on open
 * the records after it are replayed, and segments wholly at or below it are deleted after each commit.
 * A record is {@code int length, int crc32c, long seq, payload}; a torn or corrupt record at the end of the last
 * segment (a crash mid-append) is cut off, anywhere else it is reported as damage.
 */
final class WriteAheadLog implements AutoCloseable {
    /** One logged write. */
    record Entry(long seq, byte[] payload) { }

    private static final int HEADER = 16;
    private static final String SUFFIX = ".wal";

    private final Path dir;
    private final long segmentBytes;
    /** First sequence number of each segment file, oldest first; the last one is open for appends. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final Object syncLock = new Object();
    private final AtomicLong durableSeq = new AtomicLong();
    private final List<Entry> recovered;
    private FileChannel channel;
    private long segmentSize;
    private long lastSeq;

    private WriteAheadLog(Path dir, long segmentBytes, List<Entry> recovered, long lastSeq) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.recovered = recovered;
        this.lastSeq = lastSeq;
        this.durableSeq.set(lastSeq);
    }

    /**
     * Opens the log in {@code dir}, reading the records after {@code committedSeq} (see {@link #recovered()}).
     * New records continue after the larger of {@code committedSeq} and the last record found.
     */
    static WriteAheadLog open(Path dir, long committedSeq, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        var files = new TreeMap<Long, Path>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(SUFFIX)) continue;
                try {
                    files.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
                } catch (NumberFormatException e) {
                    // not one of ours; leave it alone
                }
            }
        }
        var recovered = new ArrayList<Entry>();
        long last = committedSeq;
        for (var it = files.entrySet().iterator(); it.hasNext(); ) {
            var segment = it.next();
            boolean lastSegment = !it.hasNext();
            last = Math.max(last, readSegment(segment.getValue(), lastSegment, committedSeq, recovered, true));
        }
        var log = new WriteAheadLog(dir, segmentBytes, List.copyOf(recovered), last);
        log.segments.putAll(files);
        if (files.isEmpty()) {
            log.openSegment(last + 1);
        } else {
            Path tail = files.lastEntry().getValue();
            log.channel = FileChannel.open(tail, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            log.segmentSize = log.channel.size();
        }
        return log;
    }

    /**
     * Reads one segment, adding records after {@code after} to {@code out}; returns the last sequence seen. A torn
     * record at the end of the last segment is cut off when {@code repair} (opening), else only skipped.
     */
    private static long readSegment(Path file, boolean lastSegment, long after, List<Entry> out, boolean repair)
            throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        long last = 0;
        while (buf.remaining() > 0) {
            int start = buf.position();
            String damage = null;
            if (buf.remaining() < HEADER) {
                damage = "a torn record header";
            } else {
                int length = buf.getInt();
                int crc = buf.getInt();
                long seq = buf.getLong();
                if (length < 0 || length > buf.remaining()) {
                    damage = "a torn record";
                } else {
                    byte[] payload = new byte[length];
                    buf.get(payload);
                    if (crc != crc(seq, payload)) {
                        damage = "a record with a bad checksum";
                    } else {
                        last = seq;
                        if (seq > after) out.add(new Entry(seq, payload));
                        continue;
                    }
                }
            }
            if (!lastSegment) {
                throw new MemoryError("The memory write-ahead log " + file + " has " + damage + " at byte " + start,
                        "the log is damaged in the middle, not just at its end; restore the data directory from a "
                                + "backup or run `sigil memory reindex`", Map.of("file", file.toString()), false, null);
            }
            // A crash mid-append: the write never returned, so cutting it off loses nothing acknowledged.
            if (!repair) break;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(start);
                ch.force(true);
            }
            break;
        }
        return last;
    }

    /** The records found after the committed sequence when the log was opened, in order. */
    List<Entry> recovered() { return recovered; }

    /** Appends a record (not yet durable: see {@link #sync}) and returns its sequence number. */
    synchronized long append(byte[] payload) throws IOException {
        long seq = lastSeq + 1;
        var buf = ByteBuffer.allocate(HEADER + payload.length);
        buf.putInt(payload.length).putInt(crc(seq, payload)).putLong(seq).put(payload).flip();
        long start = channel.position();
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            // A record cut short by a full disk would read as damage in the middle of the log once later records
            // follow it: take it back, so the log stays whole and the next append writes where this one began.
            try {
                channel.truncate(start);
                channel.position(start);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            if (io.sigil.errors.StorageFullError.isNoSpace(e)) throw new io.sigil.errors.StorageFullError("the memory write", e);
            throw e;
        }
        lastSeq = seq;
        segmentSize += HEADER + payload.length;
        if (segmentSize >= segmentBytes) {
            channel.force(false);
            durableSeq.accumulateAndGet(seq, Math::max);
            channel.close();
            openSegment(seq + 1);
        }
        return seq;
    }

    /** Returns once the record {@code seq} and all before it are on disk; one fsync serves every waiting writer. */
    void sync(long seq) throws IOException {
        while (durableSeq.get() < seq) {
            synchronized (syncLock) {
                if (durableSeq.get() >= seq) return;
                FileChannel ch;
                long upTo;
                synchronized (this) {
                    ch = channel;
                    upTo = lastSeq;
                }
                try {
                    ch.force(false);
                    durableSeq.accumulateAndGet(upTo, Math::max);
                } catch (ClosedChannelException rolled) {
                    // append rolled to a new segment after forcing this one; look again
                    if (!isOpen()) throw rolled;
                }
            }
        }
    }

    /**
     * Deletes the segments whose records are all at or below {@code committedSeq} (the index holds them); when
     * that is every record, the open segment is replaced by an empty one too.
     */
    synchronized void truncateThrough(long committedSeq) throws IOException {
        if (committedSeq >= lastSeq && segmentSize > 0) {
            channel.force(false);
            durableSeq.accumulateAndGet(lastSeq, Math::max);
            channel.close();
            openSegment(lastSeq + 1);
        }
        while (segments.size() > 1) {
            var first = segments.firstEntry();
            long nextStart = segments.higherKey(first.getKey());
            if (nextStart - 1 > committedSeq) break;
            Files.deleteIfExists(first.getValue());
            segments.remove(first.getKey());
        }
    }

    synchronized long lastSeq() { return lastSeq; }

    /**
     * The records after {@code after}, read back from the segment files (the index lost writes it had not
     * committed, e.g. when a full disk closed its writer, and applies them again).
     */
    synchronized List<Entry> readAfter(long after) throws IOException {
        var out = new ArrayList<Entry>();
        for (var it = segments.entrySet().iterator(); it.hasNext(); ) {
            var segment = it.next();
            boolean lastSegment = !it.hasNext();
            if (!lastSegment && segments.higherKey(segment.getKey()) - 1 <= after) continue;
            readSegment(segment.getValue(), lastSegment, after, out, false);
        }
        return out;
    }

    private synchronized boolean isOpen() { return channel != null && channel.isOpen(); }

    private void openSegment(long firstSeq) throws IOException {
        Path file = dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segments.put(firstSeq, file);
        segmentSize = channel.size();
        IOUtils.fsync(dir, true); // the new file's directory entry must survive a crash too
    }

    private static int crc(long seq, byte[] payload) {
        var crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, seq));
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.force(false);
            channel.close();
        }
    }
}
