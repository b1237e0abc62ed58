-- Sigil's event store (sigil-design.md section 4, deployment guide 7.1).
--
-- Every append takes the single row of event_store_head FOR UPDATE first: writers of all processes are
-- serialized there, so global positions are contiguous and become visible in position order, which is what
-- ordered reads and subscriptions (catch-up by position) rely on. Each process groups its concurrent appends
-- into one transaction, so the lock is taken once per group, not once per append.

CREATE TABLE event_store_head (
    id            SMALLINT PRIMARY KEY CHECK (id = 1),
    last_position BIGINT   NOT NULL
);
INSERT INTO event_store_head (id, last_position) VALUES (1, 0);

-- One row per session: its version (event count) is the optimistic-concurrency check of an append.
CREATE TABLE sessions (
    session_id    VARCHAR(100) PRIMARY KEY,
    agent_id      TEXT,
    status        VARCHAR(20)  NOT NULL DEFAULT 'active',
    metadata      JSONB        NOT NULL DEFAULT '{}',
    version       BIGINT       NOT NULL,
    last_position BIGINT       NOT NULL,
    started_at    TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    ended_at      TIMESTAMPTZ
);
CREATE INDEX idx_sessions_status ON sessions (status);

CREATE TABLE events (
    position       BIGINT       PRIMARY KEY,
    event_id       UUID         NOT NULL UNIQUE,
    -- No foreign key to sessions: rows are written only by the store, under the head lock, after their session
    -- row; a per-row key check would be a trigger call per event in the hot path. Deleting a session deletes its
    -- events explicitly.
    session_id     VARCHAR(100) NOT NULL,
    version        BIGINT       NOT NULL,
    event_type     VARCHAR(50)  NOT NULL,
    timestamp      TIMESTAMPTZ  NOT NULL,
    agent_id       TEXT,
    correlation_id TEXT,
    schema_version INTEGER      NOT NULL,
    payload        JSONB        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    UNIQUE (session_id, version)
);
CREATE INDEX idx_events_timestamp ON events (timestamp);
CREATE INDEX idx_events_type ON events (event_type);
