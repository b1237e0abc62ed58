-- Optimisation jobs of the evolution API (issue #24): any replica answers for one; at most one runs per agent.
CREATE TABLE evolution_jobs (
    id           TEXT        PRIMARY KEY,
    agent        TEXT        NOT NULL,
    owner        TEXT,
    status       TEXT        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
    generation   INTEGER     NOT NULL,
    generations  INTEGER     NOT NULL,
    result       JSONB,
    reason       TEXT,
    node         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX evolution_jobs_one_running ON evolution_jobs (agent) WHERE status = 'running';
