-- Appends no longer write the session row (sigil-design.md section 4; docs/postgres.md "How appends are written").
--
-- A session's version is its last event's version, read from the (session_id, version) index; the unique key on
-- it is the optimistic-concurrency check (two writers of the same next version: one gets a conflict). Storing the
-- version in `sessions` as well made every append update that row under the head lock (a fifth of PostgreSQL's
-- work per append, measured). The row is now written only when a session starts, ends, or first names its agent.
--
-- `generation` counts session deletions: a process that writes without reading trusts the versions it remembers
-- only while the generation is the one it saw (a session deleted and started again would otherwise take events
-- after versions it no longer has).
ALTER TABLE event_store_head ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions DROP COLUMN version, DROP COLUMN last_position;
