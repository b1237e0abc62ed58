package io.sigil.events.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Keeps zeroed, synced space ahead of the appends in the newest segment, on a thread of its own. Zeroing used to
 * happen inside an append, under the store's write lock: a 4 MiB write that stalled every append for 1-10 ms a few
 * times a second under load. Now appends only ask for more space ({@link #request}) when less than
 * {@link #LOW_WATER} is left, and the thread fills {@link #CHUNK} at a time (an append that does outrun it waits
 * for one chunk at most) up to {@link #HIGH_WATER} ahead, then syncs the fill, so that the group commit's
 * fdatasync stays a data-only sync.
 */
final class Preallocator implements AutoCloseable {
    static final long CHUNK = 1L << 20;
    static final long LOW_WATER = 4L << 20;
    static final long HIGH_WATER = 8L << 20;

    private final long segmentBytes;
    private final Consumer<IOException> onFailure;
    private final Thread thread;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect((int) CHUNK); // direct: no per-write copy
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Segment target;
    private volatile boolean closed;

    /**
     * @param onFailure told of a failed write or sync (the store stops: the disk is not to be trusted)
     */
    Preallocator(String name, long segmentBytes, Consumer<IOException> onFailure) {
        this.segmentBytes = segmentBytes;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().daemon().name("sigil-event-prealloc " + name).unstarted(this::loop);
        thread.start();
    }

    /** Called after each append: asks for more space in {@code seg} when little is left. Cheap otherwise. */
    void request(Segment seg) {
        if (seg.allocated - seg.size >= LOW_WATER || seg.allocated >= segmentBytes) return;
        target = seg;
        if (requested.compareAndSet(false, true)) LockSupport.unpark(thread);
    }

    private void loop() {
        while (!closed) {
            if (!requested.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            Segment seg = target;
            try {
                boolean filled = false;
                while (!closed && seg == target && seg.allocated - seg.size < HIGH_WATER && seg.allocated < segmentBytes) {
                    fillChunk(seg);
                    filled = true;
                }
                // One sync for the whole fill; appends reach this space only later (LOW_WATER is megabytes),
                // by when their own syncs are data-only again.
                if (filled) seg.channel.force(false);
            } catch (ClosedChannelException e) {
                if (!closed) onFailure.accept(e);
                return;
            } catch (IOException e) {
                onFailure.accept(e);
                return;
            }
        }
    }

    /** Zeroes the next chunk, holding the segment's space lock so that no append writes there meanwhile. */
    private void fillChunk(Segment seg) throws IOException {
        seg.space.lock();
        try {
            long from = seg.allocated;
            long to = Math.min(from + CHUNK, segmentBytes);
            zeros.clear().limit((int) (to - from));
            for (long at = from; zeros.hasRemaining(); ) at += seg.channel.write(zeros, at);
            seg.allocated = to;
        } finally {
            seg.space.unlock();
        }
    }

    /** Stops the thread after the chunk in progress; the caller closes the channels afterwards. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
