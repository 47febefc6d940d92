-- Several locations (a shop and a store room, or branches), each reached by
-- its own WhatsApp number. `items.quantity` stays the item's total on hand
-- across locations (what alerts, the catalogue and reports read);
-- `item_stock` splits it by location. Location 1 is the shop as it was:
-- every existing item's stock is carried there unchanged.
CREATE TABLE locations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    -- The business number whose messages change this location's stock.
    phone_number_id TEXT    UNIQUE,
    created_at      INTEGER NOT NULL
);
INSERT INTO locations (id, name, created_at)
VALUES (1, 'Main', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE item_stock (
    item_id     INTEGER NOT NULL REFERENCES items (id),
    location_id INTEGER NOT NULL REFERENCES locations (id),
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (item_id, location_id)
);
CREATE INDEX item_stock_location ON item_stock (location_id, item_id);
INSERT INTO item_stock (item_id, location_id, quantity)
SELECT id, 1, quantity FROM items WHERE quantity > 0;

-- Ledger lines name the location they changed; NULL (every line written
-- before locations) means location 1. Not back-filled: ledgers are large.
ALTER TABLE stock_movements ADD COLUMN location_id INTEGER REFERENCES locations (id);

-- An order takes its stock from one location, and gives it back there.
ALTER TABLE orders ADD COLUMN location_id INTEGER REFERENCES locations (id);

-- Staff limited to some locations; none listed means every location.
CREATE TABLE contact_locations (
    wa_id       TEXT    NOT NULL REFERENCES contacts (wa_id),
    location_id INTEGER NOT NULL REFERENCES locations (id),
    PRIMARY KEY (wa_id, location_id)
);

-- Stock on its way from one location to another: out of `from_location`
-- when sent, into `to_location` as it is received (partly, or at once).
-- `reference` is 'T-' || id, set in the creating transaction.
CREATE TABLE transfers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reference     TEXT    UNIQUE,
    item_id       INTEGER NOT NULL REFERENCES items (id),
    from_location INTEGER NOT NULL REFERENCES locations (id),
    to_location   INTEGER NOT NULL REFERENCES locations (id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    received      INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= quantity),
    status        TEXT    NOT NULL, -- in_transit, received
    sent_by       TEXT,
    received_by   TEXT,
    source_message_id TEXT,
    created_at    INTEGER NOT NULL,
    received_at   INTEGER,
    CHECK (from_location <> to_location)
);
CREATE INDEX transfers_open ON transfers (to_location, item_id, id) WHERE status = 'in_transit';
