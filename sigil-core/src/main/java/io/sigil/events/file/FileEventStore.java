package io.sigil.events.file;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;
import io.sigil.events.AppendOption;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.events.EventStore;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
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
 *
 * <p>Its parts: {@link LogRecovery} opens the log, {@link LogIndex} knows where everything is (and what a retried
 * batch already stored), {@link GroupCommit} makes appends durable, {@link RecordReader} reads records back,
 * {@link SpaceWatch} remembers a full disk, {@link Preallocator} zeroes segment space ahead of the appends.
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
    private final GroupCommit commits;
    private final RecordReader reader;
    private final Preallocator preallocator; // null when read-only
    private volatile GroupCommit.Head head;
    private volatile Throwable stopped;
    private final SpaceWatch space;
    private volatile boolean closed;

    private FileEventStore(Config config, boolean readOnly, LogRecovery.Opened opened) {
        this.config = config;
        this.where = config.dataDir().toAbsolutePath().normalize().toString();
        this.readOnly = readOnly;
        this.lock = opened.lock();
        this.logDir = opened.logDir();
        this.index = opened.index();
        this.segments.addAll(opened.segments());
        this.space = new SpaceWatch(where, logDir);
        this.head = new GroupCommit.Head(segments.isEmpty() ? null : segments.getLast(), 0, index.lastPosition());
        this.reader = new RecordReader(this.segments, this::checkRunning);
        this.commits = new GroupCommit(readOnly ? null : where, new GroupCommit.Log() {
            @Override public GroupCommit.Head head() { return head; }
            @Override public boolean running() { return !closed && stopped == null; }
            @Override public void checkRunning() { FileEventStore.this.checkRunning(); }
            @Override public void forceFailed(IOException e) { if (!closed) stop(e); }
        }, index.lastPosition());
        this.preallocator = readOnly ? null
                : new Preallocator(where, this.logDir, config.io(), config.segmentBytes(), this.segments.getLast());
        commits.start();
    }

    /** Opens (creating if needed) the store in a data directory for writing; the directory is locked until close. */
    public static FileEventStore open(Config config) {
        LogRecovery.Opened opened = LogRecovery.forWriting(config);
        try {
            return new FileEventStore(config, false, opened);
        } catch (RuntimeException e) {
            closeQuietly(opened.lock());
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
        return new FileEventStore(config, true, LogRecovery.snapshot(config));
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
            AppendResult retry = index.previousAppend(sessionId, events);
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
        commits.awaitDurable(commit);
        return result;
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
        commits.awaitDurable(commit);
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
                head = new GroupCommit.Head(seg, head.commit() + 1, head.lastPosition());
            } else {
                for (int i = 0; i < n; i++) {
                    int len = (i + 1 < n ? offsets[i + 1] : bytes) - offsets[i];
                    String finding = index.addEvent(sessionId, events.get(i).eventType(), events.get(i).eventId(),
                            firstPosition + i, firstVersion + i, seg.number, start + offsets[i], len);
                    if (finding != null) throw new IllegalStateException("index out of step: " + finding);
                }
                head = new GroupCommit.Head(seg, head.commit() + 1, firstPosition + n - 1);
            }
            space.written();
        } catch (IOException e) {
            if (StorageFullError.isNoSpace(e)) throw space.full(e);
            throw stop(e);
        }
    }

    /**
     * Why appends cannot be made durable now, or empty when they can: the store stopped (restart needed), or it ran
     * out of space and the device has not got {@link SpaceWatch#RESUME_FREE_BYTES} free again. For health checks.
     */
    public java.util.Optional<String> writeProblem() {
        if (closed) return java.util.Optional.of("the event store is closed");
        if (stopped != null) {
            return java.util.Optional.of("stopped after an I/O failure (" + stopped.getMessage() + "); restart Sigil");
        }
        return space.problem();
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

    private EventStoreStoppedError stop(IOException cause) {
        if (stopped == null) {
            stopped = cause;
            commits.wake();
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
        RecordReader.Locations where;
        indexLock.readLock().lock();
        try {
            checkRunning();
            int session = index.session(sessionId);
            if (session == SessionTable.NONE) return List.of();
            int from = (int) Math.max(0, fromVersion - 1);
            int to = index.countUpTo(session, commits.durablePosition());
            if (to <= from) return List.of();
            where = RecordReader.locate(index, index.positions(session, from, to));
        } finally {
            indexLock.readLock().unlock();
        }
        return reader.load(where, fromVersion < 1 ? 1 : fromVersion);
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
        RecordReader.Locations where;
        indexLock.readLock().lock();
        try {
            checkRunning();
            long durable = commits.durablePosition();
            var positions = new long[(int) Math.max(0, Math.min(maxCount, durable - fromPosition + 1))];
            int n = 0;
            for (long p = Math.max(1, fromPosition); p <= durable && n < positions.length; p++) {
                if (index.location(p) != -1) positions[n++] = p;
            }
            where = RecordReader.locate(index, Arrays.copyOf(positions, n));
        } finally {
            indexLock.readLock().unlock();
        }
        return reader.load(where, -1);
    }

    @Override
    public long version(String sessionId) {
        indexLock.readLock().lock();
        try {
            checkRunning();
            int session = index.session(sessionId);
            return session == SessionTable.NONE ? 0 : index.countUpTo(session, commits.durablePosition());
        } finally {
            indexLock.readLock().unlock();
        }
    }

    @Override
    public List<StreamInfo> sessions() {
        indexLock.readLock().lock();
        try {
            checkRunning();
            return index.streams(commits.durablePosition());
        } finally {
            indexLock.readLock().unlock();
        }
    }

    @Override
    public long lastPosition() { return commits.durablePosition(); }

    /** Appends written and waiting for the group commit to make them durable (for {@code /debug/state}). */
    public int pendingAppends() { return commits.pending(); }

    @Override
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        return commits.awaitPosition(position, timeout);
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
        commits.close();
        if (preallocator != null) preallocator.close();
        for (Segment s : segments) closeQuietly(s.channel);
        closeQuietly(lock);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }
}
