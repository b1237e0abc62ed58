package io.sigil.events.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open segment file of the event log. {@code size} is where the next batch goes; {@code allocated} is how far
 * the file is already written with zeros and synced. Appending into that space changes no file metadata, so the
 * sync of an append is a data-only fdatasync that does not wait for a file-system journal commit.
 *
 * <p>Two writers share the file: appends (one at a time, under the store's write lock) write below
 * {@code allocated}, and the {@link Preallocator} writes zeros at and beyond it. Whoever writes at or beyond
 * {@code allocated} holds {@link #space}, so the two never overlap.
 */
final class Segment {
    final int number;
    final Path path;
    final FileChannel channel;
    /** Written under the store's write lock, read by the preallocator. */
    volatile long size;
    /** Only grows; changed under {@link #space}. */
    volatile long allocated;
    final ReentrantLock space = new ReentrantLock();

    Segment(int number, Path path, FileChannel channel, long size, long allocated) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.allocated = allocated;
    }

    /**
     * Writes a batch at the end and returns its offset; the caller holds the store's write lock. In zeroed space
     * this takes no other lock; past it (a new segment, or appends outrunning the preallocator) it takes
     * {@link #space} and counts what it wrote as allocated.
     */
    long append(ByteBuffer batch) throws IOException {
        long start = size;
        long end = start + batch.remaining();
        if (end <= allocated) {
            write(batch, start);
        } else {
            space.lock();
            try {
                write(batch, start);
                if (end > allocated) allocated = end;
            } finally {
                space.unlock();
            }
        }
        size = end;
        return start;
    }

    /** Creates segment file {@code number} (empty) and makes its directory entry durable. */
    static Segment create(Path logDir, int number, FileIo io) throws IOException {
        Path path = logDir.resolve(LogScan.segmentName(number));
        FileChannel ch = io.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        io.syncDirectory(logDir);
        return new Segment(number, path, ch, 0, 0);
    }

    private void write(ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) at += channel.write(buf, at);
    }
}
