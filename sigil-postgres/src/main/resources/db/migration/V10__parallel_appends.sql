-- Appends of different groups commit in parallel (docs/postgres.md "Positions and the read horizon").
--
-- Until V9 every append moved event_store_head.last_position under that row's lock, which PostgreSQL holds until
-- the commit's WAL flush: one group at a time, the flush inside the serial section (measured: the lock holder was
-- waiting for the flush in ~45% of the samples at 256 writers). Now an event's position is derived from its
-- transaction's id: ((xid8 + xid_offset) << 13) + its index in the transaction (1..8191; a group holds at most
-- 8,191 events). Positions still increase in the order transactions got their ids, and the events of one append
-- stay contiguous, but they are no longer dense. Transaction ids are handed out in order, so a reader must not
-- pass a writer that is still open: sigil_event_horizon() (below) is the first position that may still be
-- written; ordered reads and subscriptions read below it only.
--
-- `xid_offset` keeps new positions above every stored one when the database's transaction ids start lower than
-- its positions suggest: positions written before V10 (dense, from 1), or a dump restored into another cluster.
-- Sigil checks it when an event store opens and after a lost connection (PositionBase) and raises it when needed.
--
-- Stop every Sigil process of an older version before migrating: they would keep writing positions from the
-- dropped head column (they fail on it instead).

ALTER TABLE event_store_head ADD COLUMN xid_offset BIGINT NOT NULL DEFAULT 0;
-- The highest position a deletion removed: the readable head counts it, as the file store's head does, so that a
-- subscription steps over the gap instead of waking again and again for positions that are gone.
ALTER TABLE event_store_head ADD COLUMN deleted_upto BIGINT NOT NULL DEFAULT 0;
UPDATE event_store_head SET deleted_upto = last_position;
ALTER TABLE event_store_head DROP COLUMN last_position;
UPDATE event_store_head
SET xid_offset = GREATEST(0, GREATEST(deleted_upto, (SELECT COALESCE(max(position), 0) FROM events)) / 8192 + 1
                             - pg_current_xact_id()::text::bigint);

-- The first position an event writer may still commit, as seen from the calling statement's snapshot: positions
-- below it are final (committed and visible to that statement, or never to be written). An open transaction
-- holds the horizon back only if it writes events: every event writer locks the events table (ROW EXCLUSIVE, or
-- SHARE ROW EXCLUSIVE on the careful way) before it has a transaction id, so an open transaction that holds no
-- such lock can never write events. A long transaction elsewhere on the cluster (another database, a report, a
-- migration) therefore does not delay subscribers.
-- Order matters for a writer that commits while this runs: the snapshot is the caller's (STABLE); the locks are
-- read after it, and an id's status after the locks, so a writer open in the snapshot is either still holding its
-- lock (seen as a writer) or already finished (its status says so): either way the horizon stops at it.
CREATE FUNCTION sigil_event_horizon() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    snap    pg_snapshot := pg_current_snapshot();
    horizon xid8 := pg_snapshot_xmax(snap);
    writers bigint[];
BEGIN
    IF pg_snapshot_xmin(snap) = horizon THEN
        RETURN (horizon::text::bigint + (SELECT xid_offset FROM event_store_head WHERE id = 1)) << 13; -- nothing open
    END IF;
    SELECT array_agg(own.xid) INTO writers
    FROM (SELECT pid, max(transactionid::text::bigint) FILTER (WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock') AS xid,
                 bool_or(locktype = 'relation' AND relation = 'events'::regclass AND mode <> 'AccessShareLock') AS writes
          FROM pg_locks
          WHERE granted AND (locktype = 'transactionid'
                             OR database = (SELECT oid FROM pg_database WHERE datname = current_database()))
          GROUP BY pid) own
    WHERE own.writes AND own.xid IS NOT NULL;
    SELECT LEAST(horizon, min(x)) INTO horizon FROM pg_snapshot_xip(snap) AS x
    WHERE (x::text::bigint & 4294967295) = ANY (COALESCE(writers, '{}'))
       OR pg_xact_status(x) IS DISTINCT FROM 'in progress';
    RETURN (horizon::text::bigint + (SELECT xid_offset FROM event_store_head WHERE id = 1)) << 13;
END $$;
