-- Suppliers and purchase orders. A supplier is also a contact (role
-- 'supplier') so its messages are recognised; an item may name the supplier
-- it is reordered from and how many to reorder (its alert level stays the
-- reorder point).
CREATE TABLE suppliers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE,
    wa_id          TEXT    NOT NULL UNIQUE,
    email          TEXT,
    lead_time_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

ALTER TABLE items ADD COLUMN supplier_id INTEGER REFERENCES suppliers (id);
ALTER TABLE items ADD COLUMN reorder_qty INTEGER CHECK (reorder_qty > 0);

-- `reference` is 'PO-' || id, set in the creating transaction.
CREATE TABLE purchase_orders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    reference   TEXT    UNIQUE,
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    status      TEXT    NOT NULL, -- sent, partly_received, closed, cancelled
    created_by  TEXT,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    closed_at   INTEGER
);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, status);

CREATE TABLE purchase_order_lines (
    po_id    INTEGER NOT NULL REFERENCES purchase_orders (id),
    item_id  INTEGER NOT NULL REFERENCES items (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= quantity),
    PRIMARY KEY (po_id, item_id)
);
CREATE INDEX purchase_order_lines_item ON purchase_order_lines (item_id);
