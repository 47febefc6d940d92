-- The core loop: inbound messages, stock, and the replies we owe.
-- Times are milliseconds since the Unix epoch unless a column says otherwise.

-- Every inbound WhatsApp message, written before Meta gets its 200.
CREATE TABLE inbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_number_id TEXT    NOT NULL,
    wamid           TEXT    NOT NULL,
    sender          TEXT,            -- wa_id, or the BSUID of a username user
    profile_name    TEXT,
    msg_type        TEXT    NOT NULL,
    body            TEXT,            -- text body or button title, when there is one
    payload         TEXT    NOT NULL, -- the message object as Meta sent it
    sent_at         INTEGER NOT NULL, -- Meta's timestamp, in seconds
    received_at     INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending, done, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    processed_at    INTEGER,
    parser          TEXT,
    parse_micros    INTEGER,
    intent          TEXT,
    error           TEXT,
    UNIQUE (phone_number_id, wamid)
);
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';

CREATE TABLE items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE, -- lower case, singular
    quantity   INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    unit       TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Append-only ledger: the balance of an item is the sum of its deltas.
CREATE TABLE stock_movements (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id           INTEGER NOT NULL REFERENCES items (id),
    delta             INTEGER NOT NULL,
    balance_after     INTEGER NOT NULL,
    reason            TEXT    NOT NULL,
    actor             TEXT,
    source_message_id TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX stock_movements_item ON stock_movements (item_id, id);

-- Outbox of WhatsApp messages to send, written in the transaction that decided them.
CREATE TABLE outbound_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_number_id TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    kind            TEXT    NOT NULL, -- text, interactive, template
    preview         TEXT    NOT NULL, -- what a person reads; a text message's body
    content         TEXT,            -- the kind's object (interactive, template) as JSON
    in_reply_to     TEXT,
    status          TEXT    NOT NULL, -- queued, accepted, sent, delivered, read, failed, sandbox
    status_rank     INTEGER NOT NULL DEFAULT 0,
    wamid           TEXT,
    wa_id           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    error_code      INTEGER,
    error_message   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX outbound_wamid ON outbound_messages (wamid);
CREATE INDEX outbound_due ON outbound_messages (next_attempt_at) WHERE status = 'queued';

-- Status callbacks as received (deduplicated); they may arrive before we know the wamid.
CREATE TABLE message_statuses (
    wamid       TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    status_rank INTEGER NOT NULL, -- as outbound_messages.status_rank
    recipient   TEXT,
    status_at   INTEGER NOT NULL, -- Meta's timestamp, in seconds
    error_code  INTEGER,
    error_title TEXT,
    payload     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (wamid, status)
);
