-- The events table keeps the indexes Sigil reads through: position (primary key), event_id (unique: idempotent
-- retries), (session_id, version) (unique: a session in order, optimistic concurrency). The guide's two others are
-- for people's own queries, and cost every append (docs/benchmarks.md, "PostgreSQL appends in parallel"):
-- - idx_events_timestamp becomes a BRIN index: events are appended in time order, so a block range summary finds
--   a time window about as well as a B-tree, at almost no cost per append;
-- - idx_events_type is dropped: Sigil never looks events up by type alone (a query by type and time uses the
--   timestamp index). Who needs it can add it back (docs/postgres.md), at about 5% of append throughput.
DROP INDEX IF EXISTS idx_events_type;
DROP INDEX IF EXISTS idx_events_timestamp;
CREATE INDEX idx_events_timestamp ON events USING brin (timestamp);
