-- Event webhooks: subscriptions, their secrets and event patterns, one
-- delivery per (subscription, event), and every attempt.

ALTER TABLE events ADD COLUMN entity TEXT; -- order:12, item:3: what `ordered` keeps in order

CREATE TABLE webhook_subscriptions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    description     TEXT,
    events          TEXT    NOT NULL, -- the patterns as given, space-separated
    active          INTEGER NOT NULL DEFAULT 1,
    ordered         INTEGER NOT NULL DEFAULT 0,
    failing_since   INTEGER,          -- first failure since the last success
    disabled_reason TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- One row per pattern: `*`, an exact type, or a prefix (`order.*` → `order.`).
CREATE TABLE webhook_patterns (
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    pattern         TEXT    NOT NULL,
    prefix          TEXT,
    PRIMARY KEY (subscription_id, pattern)
);

-- Signing secrets; during a rotation the old one signs beside the new until it expires.
CREATE TABLE webhook_secrets (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    secret          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER           -- NULL: current
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    entity          TEXT,
    status          TEXT    NOT NULL, -- pending, delivered, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_entity ON webhook_deliveries (subscription_id, entity, id) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id     INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    status_code     INTEGER,          -- NULL when no HTTP answer came
    latency_ms      INTEGER NOT NULL,
    response_body   TEXT,             -- the first KiB
    error           TEXT,
    next_retry_at   INTEGER
);
CREATE INDEX webhook_attempts_subscription ON webhook_attempts (subscription_id, id);
