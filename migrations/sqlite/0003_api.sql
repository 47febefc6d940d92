-- The developer API: tokens, idempotent requests, and deletable items.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL, -- the first characters, for people to recognise it
    token_hash   TEXT    NOT NULL UNIQUE, -- SHA-256 of the whole token; the token itself is never stored
    scopes       TEXT    NOT NULL, -- space-separated: read write admin
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- A request made with an Idempotency-Key, and the answer it got, replayed
-- for a retry of the same request.
CREATE TABLE idempotency_keys (
    token_id    INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL, -- SHA-256 of method, path and body
    status      INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);

-- A deleted item keeps its ledger; it is renamed out of the way so the name
-- can be used again.
ALTER TABLE items ADD COLUMN deleted_at INTEGER;
