-- The shop conversation: people and roles, orders, questions awaiting an answer,
-- and the event log that later feeds subscriber webhooks.

CREATE TABLE contacts (
    wa_id             TEXT    PRIMARY KEY, -- digits, or a username user's BSUID
    profile_name      TEXT,
    role              TEXT    NOT NULL DEFAULT 'customer', -- owner, staff, customer
    lang              TEXT,            -- language of their last message: en, fr
    first_seen        INTEGER,
    last_seen         INTEGER,         -- last inbound message: opens WhatsApp's 24 h window
    nontext_notice_at INTEGER,         -- last "I read text and voice notes" reply
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

ALTER TABLE items ADD COLUMN sku TEXT;
ALTER TABLE items ADD COLUMN threshold INTEGER; -- NULL: the shop's default
ALTER TABLE items ADD COLUMN pack_unit TEXT;    -- e.g. box, with pack_size singles in it
ALTER TABLE items ADD COLUMN pack_size INTEGER;
ALTER TABLE items ADD COLUMN price_minor INTEGER; -- in cents
CREATE UNIQUE INDEX items_sku ON items (sku);

-- Undo looks up a person's latest change.
CREATE INDEX stock_movements_actor ON stock_movements (actor, id);

CREATE TABLE orders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    number            TEXT    NOT NULL UNIQUE, -- short, for people: A7K2
    contact           TEXT    NOT NULL,
    status            TEXT    NOT NULL, -- placed, confirmed, ready, fulfilled, cancelled
    source            TEXT    NOT NULL, -- chat, catalog, api
    source_message_id TEXT,
    currency          TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX orders_contact ON orders (contact, id);

CREATE TABLE order_lines (
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    line        INTEGER NOT NULL,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    name        TEXT    NOT NULL,
    quantity    INTEGER NOT NULL,
    price_minor INTEGER,
    PRIMARY KEY (order_id, line)
);

-- A question the bot asked with reply buttons ("Did you mean screw?"); the
-- tapped button carries the id back.
CREATE TABLE pending_actions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact    TEXT    NOT NULL,
    action     TEXT    NOT NULL, -- JSON: what a "yes" does
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- Every event, written in the transaction of the change that caused it.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE, -- evt_…, stable for subscribers
    type       TEXT    NOT NULL,
    data       TEXT    NOT NULL,        -- JSON
    created_at INTEGER NOT NULL
);
CREATE INDEX events_type ON events (type, seq);
