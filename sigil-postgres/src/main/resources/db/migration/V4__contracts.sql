-- Contracts (deployment guide 7.1) and when each API key was last used.

-- One row per stored contract version; its definition is the JSON tree of its YAML form (ContractWriter.toTree).
-- Bundled templates are not stored: a row of a template's name overrides it, deleting the rows brings it back.
-- A version is never overwritten (the primary key refuses it): a changed contract gets a higher version.
CREATE TABLE contracts (
    name        VARCHAR(64)  NOT NULL,
    version     VARCHAR(100) NOT NULL,
    description TEXT         NOT NULL DEFAULT '',
    definition  JSONB        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    PRIMARY KEY (name, version)
);

-- Written at most about once a minute per key (coalesced in each process), never once per request.
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMPTZ;
