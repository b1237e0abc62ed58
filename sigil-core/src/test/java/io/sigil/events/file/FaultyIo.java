package io.sigil.events.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real files, but {@code force} fails with an I/O error once armed: a disk that stops accepting syncs; and
 * positional writes at or beyond {@link #failWritesFrom} fail: a disk that fills up. Built
 * with {@link #unsynced()}, syncs are skipped instead: for tests of recovery logic that open a store thousands
 * of times and do not test durability.
 */
final class FaultyIo implements FileIo {
    final AtomicBoolean failForce = new AtomicBoolean();
    final AtomicInteger failedForces = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong failWritesFrom = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    private final boolean syncs;

    FaultyIo() { this(true); }

    private FaultyIo(boolean syncs) { this.syncs = syncs; }

    static FaultyIo unsynced() { return new FaultyIo(false); }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        return new Channel(FileChannel.open(path, options));
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (failForce.get()) throw injected();
        if (syncs) FileIo.DEFAULT.syncDirectory(dir);
    }

    private IOException injected() {
        failedForces.incrementAndGet();
        return new IOException("injected: fsync failed (EIO)");
    }

    private final class Channel extends FileChannel {
        private final FileChannel d;

        Channel(FileChannel delegate) { this.d = delegate; }

        @Override public void force(boolean metaData) throws IOException {
            if (failForce.get()) throw injected();
            if (syncs) d.force(metaData);
        }
        @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
        @Override public int write(ByteBuffer src) throws IOException { return d.write(src); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return d.write(srcs, offset, length); }
        @Override public long position() throws IOException { return d.position(); }
        @Override public FileChannel position(long newPosition) throws IOException { d.position(newPosition); return this; }
        @Override public long size() throws IOException { return d.size(); }
        @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
        @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException { return d.transferTo(position, count, target); }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException { return d.transferFrom(src, position, count); }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return d.read(dst, position); }
        @Override public int write(ByteBuffer src, long position) throws IOException {
            if (position + src.remaining() > failWritesFrom.get()) throw new IOException("injected: No space left on device");
            return d.write(src, position);
        }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { return d.map(mode, position, size); }
        @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return d.lock(position, size, shared); }
        @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return d.tryLock(position, size, shared); }
        @Override protected void implCloseChannel() throws IOException { d.close(); }
    }
}
