package io.sigil.events.file;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;
import io.sigil.events.AppendOption;
import io.sigil.events.AppendResult;
import io.sigil.events.DuplicateEventError;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.events.EventStore;
import io.sigil.events.EventStoreCorruptedError;
import io.sigil.errors.StorageFullError;
import io.sigil.events.EventStoreStoppedError;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.SessionEndedError;
import io.sigil.events.SessionFullError;
import io.sigil.events.StreamInfo;
import io.sigil.events.WrongExpectedVersionError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded event store: an append-only log of CRC32C-checked records in segment files
 * (see {@link RecordFormat}, {@link StoreLayout}).
 *
 * <p>Writing: an append checks and assigns versions and positions, writes its batch at the end of the current
 * segment under the write lock, then parks until the data is durable. Durability is a group commit: one syncer
 * thread forces the channel for everything written so far and wakes every append that force covered; while it
 * forces, other appends keep writing and ride on the next force. A failed write or force stops
 * the store: nothing after the last successful force is acknowledged and every later call fails until a
 * restart recovers the log.
 *
 * <p>Reading sees only durable events. Opening rebuilds the index from the record headers, cuts a torn tail
 * (an incomplete last batch: never acknowledged) and refuses a corrupted log.
 */
public final class FileEventStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(FileEventStore.class);
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    /** How to open a store. {@code segmentBytes} is where a new segment starts (small in tests to exercise rolling). */
    public record Config(Path dataDir, int maxEventsPerSession, long segmentBytes, FileIo io) {
        public Config {
            if (maxEventsPerSession < 1) {
                throw new InvalidInputError("max_events_per_session must be at least 1, got " + maxEventsPerSession,
                        "set SIGIL_STATE_MAX_EVENTS_PER_SESSION to a positive number (default 10000)");
            }
            if (segmentBytes < 4096 || segmentBytes > (1L << 30)) {
                throw new IllegalArgumentException("segment size must be between 4 KiB and 1 GiB");
            }
        }

        public Config(Path dataDir, int maxEventsPerSession) {
            this(dataDir, maxEventsPerSession, DEFAULT_SEGMENT_BYTES, FileIo.DEFAULT);
        }

        public Config withSegmentBytes(long bytes) { return new Config(dataDir, maxEventsPerSession, bytes, io); }

        public Config withIo(FileIo fileIo) { return new Config(dataDir, maxEventsPerSession, segmentBytes, fileIo); }
    }

    /** What has been written: the segment holding the newest bytes, the commit count and the newest position. */
    private record Head(Segment segment, long commit, long lastPosition) { }

    private final Config config;
    private final String where;
    private final boolean readOnly;
    private final DirectoryLock lock;
    private final Path logDir;
    private final EventCodec codec = new EventCodec();
    private ByteBuffer batchBlock; // see batchBuffer()
    private final ReentrantReadWriteLock indexLock = new ReentrantReadWriteLock();
    private final LogIndex index;
    /** Appended to under the write lock; read without it (copy-on-write), so disk reads need no lock. */
    private final List<Segment> segments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong requestedCommit = new AtomicLong();
    private final Thread syncer;
    private final Preallocator preallocator; // null when read-only
    /** How long the syncer lets appends gather before a force, when the previous force covered several. */
    static final long COMMIT_DELAY_NANOS = 200_000;
    private final Object durableSignal = new Object();
    private volatile Head head;
    private volatile long durableCommit;
    private volatile long durablePosition;
    private volatile Throwable stopped;
    /** Why the last append was refused for lack of space (null: appends are accepted); cleared by the next success. */
    private volatile String noSpace;
    private volatile boolean closed;
    /** Free bytes at which a store that ran out of space reports itself usable again. */
    static final long RESUME_FREE_BYTES = 256 << 10;

    private FileEventStore(Config config, boolean readOnly, DirectoryLock lock, Path logDir, LogIndex index,
                           List<Segment> segments) {
        this.config = config;
        this.where = config.dataDir().toAbsolutePath().normalize().toString();
        this.readOnly = readOnly;
        this.lock = lock;
        this.logDir = logDir;
        this.index = index;
        this.segments.addAll(segments);
        this.head = new Head(segments.isEmpty() ? null : segments.getLast(), 0, index.lastPosition());
        this.durablePosition = index.lastPosition();
        this.syncer = readOnly ? null
                : Thread.ofPlatform().daemon().name("sigil-event-sync " + where).unstarted(this::syncLoop);
        this.preallocator = readOnly ? null
                : new Preallocator(where, logDir, config.io(), config.segmentBytes(), this.segments.getLast());
        if (syncer != null) syncer.start();
    }

    /** Opens (creating if needed) the store in a data directory for writing; the directory is locked until close. */
    public static FileEventStore open(Config config) {
        DirectoryLock lock = null;
        try {
            lock = DirectoryLock.acquire(config.dataDir());
            Path logDir = StoreLayout.initialize(config.dataDir(), config.io());
            StoreLayout.removeStaleGenerations(config.dataDir(), logDir);
            LogScan.Result scan = LogScan.scan(logDir, config.io(), null);
            if (scan.corrupted()) throw new EventStoreCorruptedError(config.dataDir().toString(), scan.corruption());
            List<Segment> segments = new ArrayList<>();
            for (LogScan.SegmentState s : scan.segments()) {
                FileChannel ch = config.io().open(s.file().path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                long allocated = s.size();
                if (s.torn()) {
                    allocated = s.validEnd();
                    log.warn("event store {}: cutting torn tail of {} at offset {} ({} bytes never acknowledged)",
                            config.dataDir(), s.file().path().getFileName(), s.validEnd(), s.size() - s.validEnd());
                    ch.truncate(s.validEnd());
                    ch.force(true);
                }
                segments.add(new Segment(s.file().number(), s.file().path(), ch, s.validEnd(), allocated));
            }
            if (segments.isEmpty()) segments.add(Segment.create(logDir, 1, config.io()));
            return new FileEventStore(config, false, lock, logDir, scan.index(), segments);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new StateError("cannot open the event store at " + config.dataDir() + ": " + e.getMessage(),
                    "check that the directory exists and is writable (SIGIL_STATE_DATA_DIR)",
                    java.util.Map.of("data_dir", config.dataDir().toString()), false, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    public static FileEventStore open(Path dataDir, int maxEventsPerSession) {
        return open(new Config(dataDir, maxEventsPerSession));
    }

    /**
     * Opens a snapshot of the store for reading without taking the lock, so it works while a server writes.
     * A torn tail is ignored, not cut; appends are refused. A missing directory is an empty store.
     */
    public static FileEventStore openReadOnly(Path dataDir, int maxEventsPerSession) {
        var config = new Config(dataDir, maxEventsPerSession);
        try {
            Path logDir = StoreLayout.currentLogDir(dataDir).orElse(dataDir.resolve(StoreLayout.generationName(1)));
            LogScan.Result scan = LogScan.scan(logDir, config.io(), null);
            if (scan.corrupted()) throw new EventStoreCorruptedError(dataDir.toString(), scan.corruption());
            List<Segment> segments = new ArrayList<>();
            for (LogScan.SegmentState s : scan.segments()) {
                segments.add(new Segment(s.file().number(), s.file().path(),
                        config.io().open(s.file().path(), StandardOpenOption.READ), s.validEnd(), s.size()));
            }
            return new FileEventStore(config, true, null, logDir, scan.index(), segments);
        } catch (IOException e) {
            throw new StateError("cannot read the event store at " + dataDir + ": " + e.getMessage(),
                    "check SIGIL_STATE_DATA_DIR and the directory's permissions");
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public AppendResult append(String sessionId, ExpectedVersion expected, List<Event> events, AppendOption... options) {
        Event.checkBatch(sessionId, events);
        byte[][] json = new byte[events.size()][];
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            json[i] = codec.encode(e);
        }
        boolean admin = Arrays.asList(options).contains(AppendOption.ADMIN_OVERRIDE);
        AppendResult result;
        long commit;
        indexLock.writeLock().lock();
        try {
            checkWritable();
            AppendResult retry = previousAppend(sessionId, events);
            if (retry != null) {
                result = retry;
                commit = head.commit();
            } else {
                int session = index.session(sessionId);
                long current = session == SessionTable.NONE ? 0 : index.count(session);
                if (!expected.accepts(current)) throw new WrongExpectedVersionError(sessionId, expected, current);
                if (session != SessionTable.NONE && index.ended(session) && !admin) throw new SessionEndedError(sessionId);
                if (current + events.size() > config.maxEventsPerSession()) {
                    throw new SessionFullError(sessionId, current, events.size(), config.maxEventsPerSession());
                }
                long firstPosition = index.lastPosition() + 1;
                writeBatch(RecordFormat.KIND_EVENT, sessionId, events, json, firstPosition, current + 1);
                result = new AppendResult(sessionId, current + 1, current + events.size(), firstPosition,
                        firstPosition + events.size() - 1);
                commit = head.commit();
            }
        } finally {
            indexLock.writeLock().unlock();
        }
        awaitDurable(commit);
        return result;
    }

    /**
     * The result of an earlier append of exactly these events to this session (an idempotent retry), null when
     * none of them is stored, or a conflict when some are stored elsewhere or only some are stored.
     */
    private AppendResult previousAppend(String sessionId, List<Event> events) {
        Long first = index.positionOf(events.getFirst().eventId());
        if (first == null) {
            for (Event e : events) {
                if (index.contains(e.eventId())) throw new DuplicateEventError(e.eventId(), elsewhere(index.positionOf(e.eventId())));
            }
            return null;
        }
        int session = index.session(sessionId);
        long firstVersion = session == SessionTable.NONE ? -1 : index.versionAt(session, first);
        if (firstVersion < 0) throw new DuplicateEventError(events.getFirst().eventId(), elsewhere(first));
        for (int i = 0; i < events.size(); i++) {
            long v = firstVersion + i;
            Long p = index.positionOf(events.get(i).eventId());
            if (p == null || v > index.count(session) || index.position(session, v) != p) {
                throw new DuplicateEventError(events.get(i).eventId(),
                        "in session '" + sessionId + "' but not as part of the same batch");
            }
        }
        long lastVersion = firstVersion + events.size() - 1;
        return new AppendResult(sessionId, firstVersion, lastVersion, first, index.position(session, lastVersion));
    }

    private String elsewhere(Long position) {
        return "at global position " + position + ", not as the first event of this retried batch";
    }

    @Override
    public boolean delete(String sessionId) {
        Event.checkSessionId(sessionId);
        long commit;
        indexLock.writeLock().lock();
        try {
            checkWritable();
            if (index.session(sessionId) == SessionTable.NONE) return false;
            writeBatch(RecordFormat.KIND_TOMBSTONE, sessionId, null, null, 0, 0);
            commit = head.commit();
        } finally {
            indexLock.writeLock().unlock();
        }
        awaitDurable(commit);
        return true;
    }

    /** Writes one batch at the end of the current segment and indexes it. Caller holds the write lock. */
    private void writeBatch(byte kind, String sessionId, List<Event> events, byte[][] json, long firstPosition,
                            long firstVersion) {
        int n = events == null ? 1 : events.size();
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            String type = events == null ? "" : events.get(i).eventType();
            bytes += RecordFormat.size(sessionId, type, events == null ? 0 : json[i].length);
        }
        ByteBuffer buf = batchBuffer(bytes);
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = buf.position();
            if (events == null) {
                RecordFormat.write(buf, kind, 1, 0, 0, 0, new UUID(0, 0), sessionId, "", new byte[0]);
            } else {
                Event e = events.get(i);
                RecordFormat.write(buf, kind, n, i, firstPosition + i, firstVersion + i, e.eventId(), sessionId,
                        e.eventType(), json[i]);
            }
        }
        buf.flip();
        try {
            Segment seg = segmentWithRoomFor(bytes);
            long start = seg.append(buf);
            preallocator.request(seg);
            if (events == null) {
                index.delete(sessionId);
                head = new Head(seg, head.commit() + 1, head.lastPosition());
            } else {
                for (int i = 0; i < n; i++) {
                    int len = (i + 1 < n ? offsets[i + 1] : bytes) - offsets[i];
                    String finding = index.addEvent(sessionId, events.get(i).eventType(), events.get(i).eventId(),
                            firstPosition + i, firstVersion + i, seg.number, start + offsets[i], len);
                    if (finding != null) throw new IllegalStateException("index out of step: " + finding);
                }
                head = new Head(seg, head.commit() + 1, firstPosition + n - 1);
            }
            noSpace = null;
        } catch (IOException e) {
            if (StorageFullError.isNoSpace(e)) throw full(e);
            throw stop(e);
        }
    }

    /**
     * An append that found no space: it was not written (the segment's end stays where it was, so the next append
     * writes over any partial bytes, and recovery cuts them as a torn tail), nothing stops, and appends are tried
     * again as they come: they succeed as soon as space is freed.
     */
    private StorageFullError full(IOException cause) {
        if (noSpace == null) log.error("event store {} is out of space: appends are refused until space is freed", where);
        noSpace = "no space left on the device holding " + where + ": appends are refused until space is freed";
        return new StorageFullError("events", cause);
    }

    /**
     * Why appends cannot be made durable now, or empty when they can: the store stopped (restart needed), or it ran
     * out of space and the device has not got {@link #RESUME_FREE_BYTES} free again. For health checks.
     */
    public java.util.Optional<String> writeProblem() {
        if (closed) return java.util.Optional.of("the event store is closed");
        if (stopped != null) {
            return java.util.Optional.of("stopped after an I/O failure (" + stopped.getMessage() + "); restart Sigil");
        }
        String full = noSpace;
        if (full == null) return java.util.Optional.empty();
        try {
            long free = Files.getFileStore(logDir).getUsableSpace();
            if (free >= RESUME_FREE_BYTES) {
                noSpace = null; // space was freed: the next append will tell if it is still not enough
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(full + " (" + free + " bytes free)");
        } catch (IOException e) {
            return java.util.Optional.of(full);
        }
    }

    /** The current segment, or a new one when the batch does not fit (a batch never spans segments). */
    private Segment segmentWithRoomFor(int bytes) throws IOException {
        Segment seg = segments.getLast();
        if (seg.size > 0 && seg.size + bytes > config.segmentBytes()) {
            // Everything in the old segment becomes durable before the new one is used, so a force of the
            // newest segment always covers all earlier writes.
            try {
                seg.channel.force(false);
            } catch (IOException e) {
                throw stop(e); // a failed sync may have dropped written pages: only a restart's recovery is safe
            }
            seg = preallocator.next(seg.number + 1); // normally made ahead, zeroed and synced
            segments.add(seg);
        }
        return seg;
    }

    /**
     * A cleared direct buffer of at least {@code bytes}, reused across batches under the write lock: a heap buffer
     * would be copied into a temporary direct one on every write, and virtual threads do not keep the JDK's
     * per-thread cache of those.
     */
    private ByteBuffer batchBuffer(int bytes) {
        if (batchBlock == null || batchBlock.capacity() < bytes) {
            batchBlock = ByteBuffer.allocateDirect(Math.max(bytes, 64 << 10));
        }
        return batchBlock.clear().limit(bytes);
    }

    /** An append waiting for its commit to be durable. */
    private record Waiter(long commit, Thread thread) { }

    /** Parks until commit {@code commit} is on disk; the syncer thread forces and wakes every append it covered. */
    private void awaitDurable(long commit) {
        if (durableCommit >= commit) return;
        waiters.add(new Waiter(commit, Thread.currentThread()));
        if (requestedCommit.getAndAccumulate(commit, Math::max) < commit) LockSupport.unpark(syncer);
        while (durableCommit < commit) {
            checkRunning();
            LockSupport.park(this);
        }
    }

    /**
     * The group commit loop, on its own thread: force everything written so far, then wake each append that
     * the force covered. Appends that arrive during a force ride on the next one. A failed force stops the store
     * and wakes everyone (they see the stop and fail).
     */
    private void syncLoop() {
        long covered = 0; // commits the previous force made durable
        while (!closed && stopped == null) {
            if (requestedCommit.get() <= durableCommit) {
                LockSupport.park(this);
                continue;
            }
            // Under load (the previous force covered several appends), let appends gather briefly so that one
            // force covers more of them: each force costs CPU here and in the kernel's journal thread.
            if (covered > 1) LockSupport.parkNanos(this, COMMIT_DELAY_NANOS);
            Head h = head; // everything written so far rides on this force
            try {
                h.segment().channel.force(false);
            } catch (IOException e) {
                if (!closed) stop(e);
                break;
            }
            covered = h.commit() - durableCommit;
            durableCommit = h.commit();
            durablePosition = h.lastPosition();
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.commit() <= h.commit()) {
                    it.remove();
                    LockSupport.unpark(w.thread());
                }
            }
            synchronized (durableSignal) {
                durableSignal.notifyAll();
            }
        }
        for (Waiter w : waiters) LockSupport.unpark(w.thread());
        synchronized (durableSignal) {
            durableSignal.notifyAll();
        }
    }

    private EventStoreStoppedError stop(IOException cause) {
        if (stopped == null) {
            stopped = cause;
            if (syncer != null) LockSupport.unpark(syncer);
            log.error("event store {} stopped after an I/O failure; nothing unsynced was acknowledged", where, cause);
        }
        return new EventStoreStoppedError(where, cause);
    }

    private void checkWritable() {
        checkRunning();
        if (readOnly) {
            throw new StateError("the event store at " + where + " was opened read-only",
                    "stop the server that holds the data directory to change it from the command line");
        }
    }

    private void checkRunning() {
        if (closed) throw new StateError("the event store at " + where + " is closed");
        if (stopped != null) throw new EventStoreStoppedError(where, stopped);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<RecordedEvent> read(String sessionId, long fromVersion) {
        Locations where;
        indexLock.readLock().lock();
        try {
            checkRunning();
            int session = index.session(sessionId);
            if (session == SessionTable.NONE) return List.of();
            int from = (int) Math.max(0, fromVersion - 1);
            int to = index.countUpTo(session, durablePosition);
            if (to <= from) return List.of();
            where = locate(index.positions(session, from, to));
        } finally {
            indexLock.readLock().unlock();
        }
        return load(where, fromVersion < 1 ? 1 : fromVersion);
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
        Locations where;
        indexLock.readLock().lock();
        try {
            checkRunning();
            long durable = durablePosition;
            var positions = new long[(int) Math.max(0, Math.min(maxCount, durable - fromPosition + 1))];
            int n = 0;
            for (long p = Math.max(1, fromPosition); p <= durable && n < positions.length; p++) {
                if (index.location(p) != -1) positions[n++] = p;
            }
            where = locate(Arrays.copyOf(positions, n));
        } finally {
            indexLock.readLock().unlock();
        }
        return load(where, -1);
    }

    /** Positions with their packed locations and record lengths, taken from the index under the read lock. */
    private record Locations(long[] positions, long[] locations, int[] lengths) { }

    private Locations locate(long[] positions) {
        long[] locations = new long[positions.length];
        int[] lengths = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            locations[i] = index.location(positions[i]);
            lengths[i] = index.length(positions[i]);
        }
        return new Locations(positions, locations, lengths);
    }

    /**
     * Reads the records at these locations, verifying each checksum; no lock is held (written records never
     * change). Neighbouring records are read with one positional read. {@code firstVersion} is the version of
     * the first one when they are one session's consecutive events, else -1 (the version is then taken from the
     * record header).
     */
    private List<RecordedEvent> load(Locations where, long firstVersion) {
        long[] positions = where.positions();
        var out = new ArrayList<RecordedEvent>(positions.length);
        int i = 0;
        while (i < positions.length) {
            long loc = where.locations()[i];
            int seg = LogIndex.segmentOf(loc);
            long start = LogIndex.offsetOf(loc);
            long end = start + where.lengths()[i];
            int j = i + 1;
            while (j < positions.length && end - start < (1 << 20)) {
                long l = where.locations()[j];
                if (LogIndex.segmentOf(l) != seg || LogIndex.offsetOf(l) != end) break;
                end += where.lengths()[j];
                j++;
            }
            ByteBuffer buf = readRange(segments.get(seg - 1), start, (int) (end - start));
            int at = 0;
            for (int k = i; k < j; k++) {
                int len = RecordFormat.verifiedLength(buf, at, buf.limit());
                if (len < 0 || RecordFormat.position(buf, at) != positions[k]) {
                    throw new StateError("the record of position " + positions[k] + " in " + LogScan.segmentName(seg)
                            + " at offset " + (start + at) + " fails its checksum",
                            "the file changed on disk after the store opened; run 'sigil verify'");
                }
                int json = RecordFormat.jsonOffset(buf, at);
                Event e = codec.decode(buf.array(), at + json, len - json);
                long version = firstVersion < 0 ? RecordFormat.version(buf, at) : firstVersion + k;
                out.add(new RecordedEvent(e, version, positions[k]));
                at += len;
            }
            i = j;
        }
        return out;
    }

    private ByteBuffer readRange(Segment seg, long offset, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int r = seg.channel.read(buf, offset + buf.position());
                if (r < 0) throw new IOException("unexpected end of " + seg.path.getFileName());
            }
        } catch (IOException e) {
            checkRunning(); // closed or stopped meanwhile: say so rather than report the closed channel
            throw new StateError("cannot read " + seg.path + ": " + e.getMessage(), "check the disk");
        }
        return buf.flip();
    }

    @Override
    public long version(String sessionId) {
        indexLock.readLock().lock();
        try {
            checkRunning();
            int session = index.session(sessionId);
            return session == SessionTable.NONE ? 0 : index.countUpTo(session, durablePosition);
        } finally {
            indexLock.readLock().unlock();
        }
    }

    @Override
    public List<StreamInfo> sessions() {
        indexLock.readLock().lock();
        try {
            checkRunning();
            return index.streams(durablePosition);
        } finally {
            indexLock.readLock().unlock();
        }
    }

    @Override
    public long lastPosition() { return durablePosition; }

    /** Appends written and waiting for the group commit to make them durable (for {@code /debug/state}). */
    public int pendingAppends() { return waiters.size(); }

    @Override
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (durableSignal) {
            while (durablePosition <= position && !closed && stopped == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                durableSignal.wait(Math.max(1, left / 1_000_000));
            }
        }
        return durablePosition > position;
    }

    /** The data directory this store lives in. */
    public Path dataDir() { return config.dataDir(); }

    public boolean isReadOnly() { return readOnly; }

    @Override
    public void close() {
        if (closed) return;
        indexLock.writeLock().lock();
        try {
            closed = true;
        } finally {
            indexLock.writeLock().unlock();
        }
        if (syncer != null) {
            LockSupport.unpark(syncer);
            try {
                syncer.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (preallocator != null) preallocator.close();
        for (Segment s : segments) closeQuietly(s.channel);
        closeQuietly(lock);
        synchronized (durableSignal) {
            durableSignal.notifyAll();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }
}
