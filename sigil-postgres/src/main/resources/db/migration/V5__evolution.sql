-- Prompt versions of agents (evolution, issue #24): v1, v2, ... per agent; at most one active.
CREATE TABLE prompt_versions (
    agent            TEXT             NOT NULL,
    number           INTEGER          NOT NULL,
    prompt           TEXT             NOT NULL,
    score            DOUBLE PRECISION NOT NULL,
    confidence       DOUBLE PRECISION NOT NULL,
    drift            DOUBLE PRECISION NOT NULL,
    parent           TEXT,
    generation       INTEGER          NOT NULL,
    created_at       TIMESTAMPTZ      NOT NULL,
    status           TEXT             NOT NULL CHECK (status IN ('active', 'pending_approval', 'rejected', 'superseded')),
    optimization_id  TEXT,
    PRIMARY KEY (agent, number)
);

CREATE UNIQUE INDEX prompt_versions_one_active ON prompt_versions (agent) WHERE status = 'active';
