-- The owner's dashboard: one-time sign-in codes and sessions (both stored hashed).

CREATE TABLE login_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    phone      TEXT    NOT NULL,
    code_hash  TEXT    NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX login_codes_phone ON login_codes (phone, id);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    phone      TEXT    NOT NULL,
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
