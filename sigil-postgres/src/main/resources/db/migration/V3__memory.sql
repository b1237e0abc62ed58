-- Memory on PostgreSQL (deployment guide 7.1 resources / memory_items / categories), the source of truth shared by
-- every process. Search runs on a Lucene projection per process that is rebuilt from these tables at start and
-- kept current by following memory_changes (LISTEN sigil_memory + catch-up by position).
--
-- Ids are text (Sigil's ids are UUIDs or caller-chosen), every row carries its scope ('global', 'user:<id>',
-- 'agent:<name>', 'user:<id>+agent:<name>') so tenancy is the same as in the embedded store.

-- Layer 1: raw material, verbatim.
CREATE TABLE resources (
    resource_id   TEXT        PRIMARY KEY,
    resource_type VARCHAR(50) NOT NULL,
    content       TEXT        NOT NULL,
    metadata      JSONB       NOT NULL DEFAULT '{}',
    session_id    VARCHAR(100),
    scope         TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    created_at_ns SMALLINT    NOT NULL DEFAULT 0 -- nanoseconds below the microsecond: reads return the exact instant
);
CREATE INDEX idx_resources_created ON resources (created_at, resource_id);
CREATE INDEX idx_resources_session ON resources (session_id);

-- Layer 2: items with their embedding. No pgvector on these machines: the vector is little-endian float32 bytes
-- (dimension = length / 4) with the model that computed it; docs/memory-postgres.md shows the pgvector variant.
CREATE TABLE memory_items (
    item_id            TEXT             PRIMARY KEY,
    source_resource_id TEXT,
    content            TEXT             NOT NULL,
    category           VARCHAR(100)     NOT NULL,
    confidence         DOUBLE PRECISION NOT NULL,
    metadata           JSONB            NOT NULL DEFAULT '{}',
    scope              TEXT             NOT NULL,
    created_at         TIMESTAMPTZ      NOT NULL,
    created_at_ns      SMALLINT         NOT NULL DEFAULT 0,
    embedding          BYTEA            NOT NULL,
    embedding_model    TEXT             NOT NULL
);
CREATE INDEX idx_items_scope_category ON memory_items (scope, category, created_at DESC);
CREATE INDEX idx_items_source ON memory_items (source_resource_id);

-- Layer 3: a category's description and summary per scope (its item count is derived from memory_items).
CREATE TABLE categories (
    scope             TEXT         NOT NULL,
    name              VARCHAR(100) NOT NULL,
    description       TEXT         NOT NULL DEFAULT '',
    content           TEXT         NOT NULL DEFAULT '',
    last_consolidated TIMESTAMPTZ,
    last_consolidated_ns SMALLINT    NOT NULL DEFAULT 0,
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    PRIMARY KEY (scope, name)
);

-- The change log the projections follow: one row per written or deleted item and per written category
-- (resources are read from the table itself, projections do not hold them). Writers hold a
-- transaction-scoped advisory lock from taking a position to commit, so positions become visible in order and a
-- reader that asks for "position > last seen" never skips a change that commits later.
CREATE SEQUENCE memory_change_position;
CREATE TABLE memory_changes (
    position   BIGINT      PRIMARY KEY,
    kind       VARCHAR(16) NOT NULL CHECK (kind IN ('item', 'category')),
    key        TEXT        NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
