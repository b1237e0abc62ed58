-- What a process's memory projection needs to be reused across restarts (see LocalIndexDirectory), and the trimming
-- of memory_changes.
--
-- database_id: a random identity of this database, recorded in every projection directory so that a directory built
-- from another database (another DATABASE_URL sharing memory.data_dir, or a dropped and recreated database) is
-- never reused. trimmed_through: the change log holds every position after it; a projection that applied less must
-- reload the tables instead of catching up (the changes it would need are gone). One row, updated in the same
-- transaction that deletes the trimmed changes.
CREATE TABLE memory_change_log_state (
    singleton       BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    database_id     UUID        NOT NULL DEFAULT gen_random_uuid(),
    trimmed_through BIGINT      NOT NULL DEFAULT 0,
    trimmed_at      TIMESTAMPTZ
);
INSERT INTO memory_change_log_state DEFAULT VALUES;

-- Trimming by age looks for the newest old change.
CREATE INDEX idx_memory_changes_changed_at ON memory_changes (changed_at);
