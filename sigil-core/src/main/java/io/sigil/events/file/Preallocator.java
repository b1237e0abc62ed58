package io.sigil.events.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the log's space ahead of the appends, on a thread of its own, so that no append waits for it, and so
 * that the group commit's fdatasync stays a data-only sync: it has to wait for a file-system journal commit
 * whenever the file's size changed since the last sync, and on ext4 (data=ordered) such a commit first writes
 * out every other file's pending data, the server's logs included: tens of milliseconds under load.
 *
 * <ul>
 *   <li><b>The next segment</b>, as soon as the newest one is zeroed to its end: created (its directory entry
 *       synced), zeroed to its full size at a steady pace and synced. Rolling over ({@link #next}) then only switches to it. Until
 *       it is used it is an empty last segment, which recovery accepts (see {@link LogScan}); close deletes it.</li>
 *   <li><b>Zeroed space</b> in a segment that was not made ahead (a new store's first, or one the log reached
 *       before its spare was ready). Appends ask for more ({@link #request}) when less than {@link #LOW_WATER}
 *       is left; the thread fills {@link #CHUNK} at a time (an append that outruns it waits for one chunk at
 *       most) up to {@link #HIGH_WATER} ahead, then syncs the fill.</li>
 * </ul>
 *
 * Both used to happen inside an append, under the store's write lock: at 5,000 runs/s a 4 MiB zero fill stalled
 * every append for 1-10 ms a few times a second, and each segment roll for 20-60 ms.
 */
final class Preallocator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Preallocator.class);
    static final long CHUNK = 1L << 20;
    static final long LOW_WATER = 4L << 20;
    static final long HIGH_WATER = 8L << 20;
    static final long PACE_NANOS = 5_000_000;

    /** Space the zero fill always leaves free on the device, for the appends themselves and everything else. */
    static final long RESERVE_BYTES = 1L << 20;
    /** After a failed fill, how long before the next attempt. */
    static final long RETRY_NANOS = 1_000_000_000L;

    private final Path logDir;
    private final FileIo io;
    private final long segmentBytes;
    private volatile String lastProblem;
    private volatile long retryAfter;
    private final Thread thread;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect((int) CHUNK); // direct: no per-write copy
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Segment target;
    /** The highest segment number created, here or by {@link #next}: each number is created once. */
    private volatile int created;
    private Segment spare; // made ahead and not yet taken; guarded by this
    private volatile boolean closed;

    /**
     * Reserving space ahead is an optimisation, never a condition of appending: when it fails (a full or failing
     * disk) it is logged and tried again later, and the store goes on appending while its appends fit. An append
     * that does not fit fails by itself (see {@code FileEventStore}).
     *
     * @param newest the log's newest segment
     */
    Preallocator(String name, Path logDir, FileIo io, long segmentBytes, Segment newest) {
        this.logDir = logDir;
        this.io = io;
        this.segmentBytes = segmentBytes;
        this.created = newest.number;
        this.thread = Thread.ofPlatform().daemon().name("sigil-event-prealloc " + name).unstarted(this::loop);
        thread.start(); // idle until the first append asks for something: a store opened to read costs no writes
    }

    /** Called after each append to {@code seg}, the newest segment: asks for what it will need. Cheap otherwise. */
    void request(Segment seg) {
        boolean wantsSpace = seg.allocated - seg.size < LOW_WATER && seg.allocated < segmentBytes;
        boolean wantsNext = seg.allocated >= segmentBytes && created == seg.number;
        if (!wantsSpace && !wantsNext) return;
        target = seg;
        if (requested.compareAndSet(false, true)) LockSupport.unpark(thread);
    }

    /**
     * Segment {@code number}, the log's next: the one made ahead (possibly still being zeroed, which then goes on
     * under its space lock), or, when none is, a new empty one created here. Called under the store's write lock.
     */
    synchronized Segment next(int number) throws IOException {
        Segment s = spare;
        spare = null;
        if (s != null && s.number == number) return s;
        if (s != null) discard(s); // cannot happen while numbers go up one at a time; never append to a stranger
        created = Math.max(created, number);
        return Segment.create(logDir, number, io);
    }

    private void loop() {
        while (!closed) {
            if (!requested.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            if (System.nanoTime() - retryAfter < 0) {
                LockSupport.parkNanos(this, retryAfter - System.nanoTime());
                requested.set(true);
                continue;
            }
            Segment seg = target;
            try {
                fill(seg, HIGH_WATER);
                if (!closed && seg.allocated >= segmentBytes && created == seg.number) makeNext(seg.number + 1);
                if (lastProblem != null) log.info("space ahead of the event log is being reserved again");
                lastProblem = null;
            } catch (ClosedChannelException e) {
                if (closed) return;
                failed(e);
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    private void failed(IOException e) {
        if (lastProblem == null) {
            log.warn("could not reserve space ahead of the event log in {} ({}); appends go on while they fit, and"
                    + " the reservation is retried", logDir, e.toString());
        }
        lastProblem = e.toString();
        retryAfter = System.nanoTime() + RETRY_NANOS;
    }

    /** Why space ahead could not be reserved lately, or null. */
    String lastProblem() { return lastProblem; }

    /** True when zeroing one more chunk would leave the device with less than {@link #RESERVE_BYTES} free. */
    private boolean lowOnSpace() throws IOException {
        return Files.getFileStore(logDir).getUsableSpace() < CHUNK + RESERVE_BYTES;
    }

    /** Zeroes {@code seg} to {@code ahead} past its appends (or to its end), then syncs what it wrote. */
    private void fill(Segment seg, long ahead) throws IOException {
        boolean filled = false;
        while (!closed && seg.allocated - seg.size < ahead && seg.allocated < segmentBytes && !lowOnSpace()) {
            fillChunk(seg);
            filled = true;
        }
        if (filled) seg.channel.force(false);
    }

    /**
     * Zeroes a whole segment made ahead, paced (a chunk every {@link #PACE_NANOS}), then syncs it once. Unpaced,
     * the 64 MiB took 30-170 ms of a core and a burst of disk writes that the group commit's syncs queued behind,
     * every segment; paced it takes about half a second, far less than filling a segment does. Syncing every
     * 8 MiB as well cost the group commit about a sixth of its appends per second (each such sync commits the
     * file system's journal, as the file grew), so the fill is synced once, at its end.
     */
    private void fillPaced(Segment seg) throws IOException {
        boolean filled = false;
        while (!closed && seg.allocated < segmentBytes && !lowOnSpace()) {
            fillChunk(seg);
            filled = true;
            LockSupport.parkNanos(this, PACE_NANOS);
        }
        if (filled) seg.channel.force(false);
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

    private void makeNext(int number) throws IOException {
        Segment s;
        synchronized (this) {
            if (closed || created >= number) return;
            s = Segment.create(logDir, number, io);
            created = number;
            spare = s;
        }
        fillPaced(s);
    }

    private void discard(Segment s) {
        try {
            s.channel.close();
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            log.warn("could not delete the unused segment {}: {}", s.path, e.getMessage());
        }
    }

    /** Stops the thread after the chunk in progress and deletes the next segment if unused. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (spare != null) discard(spare);
            spare = null;
        }
    }
}
