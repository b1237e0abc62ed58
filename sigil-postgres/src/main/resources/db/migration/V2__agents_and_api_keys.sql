-- Agent definitions and API keys (deployment guide 7.1), shared by every process.

-- An agent's definition as the JSON tree of its YAML form (AgentDefinitions.toTree). Bundled example agents are
-- not stored: a row of the same name overrides one, deleting the row brings it back.
CREATE TABLE agents (
    name       VARCHAR(64) PRIMARY KEY,
    definition JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Only the SHA-256 of a key is stored, never the key.
CREATE TABLE api_keys (
    key_id       TEXT        PRIMARY KEY,
    key_hash     VARCHAR(64) NOT NULL,
    name         TEXT        NOT NULL,
    scopes       JSONB       NOT NULL DEFAULT '[]',
    rate_limit   INTEGER     NOT NULL DEFAULT 60,
    expires_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX idx_api_keys_hash ON api_keys (key_hash);
