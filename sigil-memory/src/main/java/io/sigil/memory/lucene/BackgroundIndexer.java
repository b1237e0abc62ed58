package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Applies logged writes to the index on one background thread, so a caller returns as soon as its write is in the
 * write-ahead log. Each round takes everything pending (up to {@link #MAX_BATCH} writes or about
 * {@link #MAX_ITEMS} items), embeds all the items that
 * came without vectors in one call, applies the writes and refreshes the searchers: that is when they become
 * visible. Rounds start at most once per refresh interval (immediately on {@link #flush}), so under load one
 * embedding call and one refresh serve many writers. A Lucene commit, recording the last applied log sequence,
 * happens at most once per commit interval and on close; the log is trimmed after it.
 *
 * <p>A failing round (embedding endpoint down, disk full) keeps its writes, is logged, and is retried with
 * back-off; nothing is dropped, since every write is idempotent. {@link #flush} reports such a failure instead of
 * waiting for ever. The thread is never interrupted: Lucene closes its files on an interrupt.
 */
final class BackgroundIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundIndexer.class);
    static final int MAX_BATCH = 1024;
    /** Items to embed in one round at most (bounds the embedding call's memory). */
    static final int MAX_ITEMS = 512;
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the indexer drives: the store's documents, its searchers and its commits. */
    interface Target {
        /** Applies writes in order; every {@link IndexOp.PutItems} carries vectors. */
        void apply(List<IndexOp> ops) throws IOException;

        /**
         * The vector the index already holds for this item if it holds the same content (a re-put after a merge
         * changes metadata only), or null: then it is embedded.
         */
        float[] indexedVector(MemoryItem item) throws IOException;

        /** Makes everything applied so far visible to searches. */
        void refresh() throws IOException;

        /** Commits everything applied so far, recording {@code appliedSeq}. */
        void commit(long appliedSeq) throws IOException;

        /**
         * When the index closed itself after a failed write (Lucene's "tragic" events: a full disk), opens it again
         * and returns the log sequence its last commit holds; -1 while it is open. Throws while it cannot reopen.
         */
        long reopenIfClosed() throws IOException;

        /** The logged writes after {@code seq}, in order (to apply again what a closed index lost). */
        List<Pending> loggedAfter(long seq) throws IOException;
    }

    /** A logged write waiting to be applied. */
    record Pending(long seq, IndexOp op) { }

    private final Target target;
    private final Embedder embedder;
    private final long refreshNanos;
    private final long commitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Thread thread;
    private long submitted;
    private long visible;
    private long committed;
    private long rounds;
    private long failedRound = -1;
    private Exception failure;
    private boolean flushWanted;
    private boolean closing;
    private volatile boolean abandoned;

    /**
     * @param appliedSeq the log sequence the index already holds (writes at or below it are never submitted)
     */
    BackgroundIndexer(Target target, Embedder embedder, long refreshMillis, long commitMillis, long appliedSeq,
                      String name) {
        this.target = target;
        this.embedder = embedder;
        this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, refreshMillis));
        this.commitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, commitMillis));
        this.submitted = this.visible = this.committed = appliedSeq;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Queues a logged write; writes must be submitted in log order. */
    void submit(long seq, IndexOp op) {
        lock.lock();
        try {
            if (closing) throw new IllegalStateException("the memory store is closed");
            pending.add(new Pending(seq, op));
            submitted = seq;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Returns once every write submitted before the call is visible to searches; throws if indexing is failing. */
    void flush() {
        lock.lock();
        try {
            long wanted = submitted;
            long since = rounds;
            flushWanted = true;
            work.signal();
            while (visible < wanted) {
                if (failure != null && failedRound > since) { // a round that began after this call failed
                    if (io.sigil.errors.StorageFullError.isNoSpace(failure)) {
                        // Kept in the write-ahead log and indexed once space is freed, but not acknowledged now.
                        throw new io.sigil.errors.StorageFullError("the memory write (kept in the write-ahead log,"
                                + " searchable once space is freed)", failure);
                    }
                    // A store problem the caller may retry (503), not a server bug.
                    throw new io.sigil.errors.StateError("Memory writes cannot be indexed: " + failure.getMessage(),
                            "the writes are safe in the write-ahead log and are retried; check the embedding model "
                                    + "or endpoint, free disk space and permissions",
                            Map.of(), true, failure);
                }
                if (!thread.isAlive()) throw new MemoryError("The memory indexer has stopped");
                progress.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryError("Interrupted while waiting for memory writes to be indexed");
        } finally {
            lock.unlock();
        }
    }

    /** Writes submitted but not yet visible. */
    int backlog() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long lastRound = System.nanoTime() - refreshNanos;
        long lastCommit = System.nanoTime();
        long backoff = 0;
        long retryAt = System.nanoTime();
        while (true) {
            List<Pending> batch;
            boolean stopping;
            lock.lock();
            try {
                while (true) {
                    long now = System.nanoTime();
                    stopping = closing;
                    boolean backingOff = now - retryAt < 0;
                    boolean due = !backingOff && (flushWanted || now - lastRound >= refreshNanos);
                    boolean commitDue = !backingOff && visible > committed && now - lastCommit >= commitNanos;
                    if (stopping || (!pending.isEmpty() && due) || commitDue) break;
                    long wait = Long.MAX_VALUE;
                    if (!pending.isEmpty()) {
                        wait = Math.max(flushWanted ? 0 : lastRound + refreshNanos - now, retryAt - now);
                    }
                    if (visible > committed) wait = Math.min(wait, Math.max(lastCommit + commitNanos - now, retryAt - now));
                    if (wait == Long.MAX_VALUE) work.await();
                    else work.awaitNanos(Math.max(1, wait));
                }
                batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
                int items = 0;
                for (Pending p : pending) {
                    if (batch.size() == MAX_BATCH || (!batch.isEmpty() && items >= MAX_ITEMS)) break;
                    batch.add(p);
                    if (p.op() instanceof IndexOp.PutItems put) items += put.items().size();
                }
                rounds++;
            } catch (InterruptedException e) {
                continue; // never interrupted on purpose; keep serving
            } finally {
                lock.unlock();
            }
            if (abandoned) return;
            try {
                if (recovered()) continue; // the lost writes are at the head of the queue now: start over
                if (!batch.isEmpty()) {
                    target.apply(withVectors(batch));
                    target.refresh();
                }
                lastRound = System.nanoTime();
                long appliedSeq;
                boolean more;
                lock.lock();
                try {
                    for (int i = 0; i < batch.size(); i++) pending.poll();
                    if (!batch.isEmpty()) visible = batch.getLast().seq();
                    appliedSeq = visible;
                    more = !pending.isEmpty();
                    if (!more) flushWanted = false;
                    failure = null;
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
                backoff = 0;
                if (abandoned) return;
                if (appliedSeq > committed && (stopping && !more || System.nanoTime() - lastCommit >= commitNanos)) {
                    target.commit(appliedSeq);
                    committed = appliedSeq;
                    lastCommit = System.nanoTime();
                }
                if (stopping && !more) return;
            } catch (Exception | Error e) {
                backoff = backoff == 0 ? TimeUnit.MILLISECONDS.toNanos(100) : Math.min(MAX_BACKOFF_NANOS, backoff * 2);
                retryAt = System.nanoTime() + backoff;
                log.warn("Indexing {} memory write(s) failed (retrying in {} ms; they are kept in the write-ahead log): {}",
                        batch.size(), TimeUnit.NANOSECONDS.toMillis(backoff), e.toString());
                lock.lock();
                try {
                    failure = e instanceof Exception ex ? ex : new RuntimeException(e);
                    failedRound = rounds;
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
                if (stopping) return; // the log keeps them: the next open replays what was not committed
            }
        }
    }

    /**
     * Reopens a closed index (see {@link Target#reopenIfClosed}) and queues again, ahead of everything pending,
     * the logged writes it had applied but not committed: they were lost with the writer. True when it did.
     */
    private boolean recovered() throws IOException {
        long reopenedAt = target.reopenIfClosed();
        if (reopenedAt < 0) return false;
        List<Pending> lost;
        lock.lock();
        try {
            long firstPending = pending.isEmpty() ? Long.MAX_VALUE : pending.peekFirst().seq();
            lost = target.loggedAfter(reopenedAt).stream().filter(p -> p.seq() < firstPending).toList();
            for (int i = lost.size() - 1; i >= 0; i--) pending.addFirst(lost.get(i));
            visible = committed = reopenedAt;
            flushWanted = true;
        } finally {
            lock.unlock();
        }
        log.info("The memory index was reopened after a failed write; {} logged write(s) are indexed again", lost.size());
        return true;
    }

    /** Why indexing fails right now (a full disk, the embedding endpoint down), empty while it works. */
    java.util.Optional<String> problem() {
        lock.lock();
        try {
            return failure == null ? java.util.Optional.empty() : java.util.Optional.of(
                    (io.sigil.errors.StorageFullError.isNoSpace(failure) ? "no space left on the device: " : "")
                            + failure.getMessage() + " (" + pending.size() + " logged write(s) wait to be indexed)");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The batch's operations, every item with a vector: the one the index holds for unchanged content, else from
     * one embedder call for all the others.
     */
    private List<IndexOp> withVectors(List<Pending> batch) throws IOException {
        var texts = new ArrayList<String>();
        var known = new ArrayList<float[]>(); // per item needing one, in order: the indexed vector or null
        for (Pending p : batch) {
            if (p.op() instanceof IndexOp.PutItems put && !put.embedded()) {
                for (MemoryItem item : put.items()) {
                    float[] v = target.indexedVector(item);
                    known.add(v);
                    if (v == null) texts.add(item.content());
                }
            }
        }
        List<float[]> embedded = texts.isEmpty() ? List.of() : embedder.embed(texts);
        if (embedded.size() != texts.size()) {
            throw new IllegalStateException("the embedder returned " + embedded.size() + " vectors for " + texts.size() + " texts");
        }
        var out = new ArrayList<IndexOp>(batch.size());
        int nextKnown = 0, nextEmbedded = 0;
        for (Pending p : batch) {
            if (p.op() instanceof IndexOp.PutItems put && !put.embedded()) {
                var vectors = new ArrayList<float[]>(put.items().size());
                for (int i = 0; i < put.items().size(); i++) {
                    float[] v = known.get(nextKnown++);
                    vectors.add(v != null ? v : embedded.get(nextEmbedded++));
                }
                out.add(IndexOp.PutItems.of(put.items(), vectors));
            } else {
                out.add(p.op());
            }
        }
        return out;
    }

    /**
     * Applies and commits everything pending, then stops the thread. If indexing keeps failing the writes stay in
     * the log (the next open replays them) and this returns false.
     */
    boolean drainAndStop() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        lock.lock();
        try {
            return pending.isEmpty() && committed == visible;
        } finally {
            lock.unlock();
        }
    }

    /** Stops without applying or committing anything more, as a crash would (tests). */
    void abandon() {
        abandoned = true;
        drainAndStop();
    }

    @Override
    public void close() { drainAndStop(); }
}
