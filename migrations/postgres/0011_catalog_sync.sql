-- The WhatsApp catalogue kept in step with the stock: one row per item whose
-- availability, count or price Meta's catalogue should be told again. A
-- change upserts the row in the transaction of the change, so many changes
-- to one item within the coalescing window become one update; the sender
-- reads the item's current values when it sends.
CREATE TABLE catalog_updates (
    item_id      BIGINT  PRIMARY KEY REFERENCES items (id),
    -- pending (to send, perhaps after failures), failed (given up), done.
    status       TEXT    NOT NULL DEFAULT 'pending',
    due_at       BIGINT  NOT NULL,
    -- Bumped by every change, so a change during a send is sent again.
    version      BIGINT  NOT NULL DEFAULT 1,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    locked_until BIGINT  NOT NULL DEFAULT 0,
    last_error   TEXT,
    -- Meta's handle for the last batch that carried this item.
    handle       TEXT,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX catalog_updates_due ON catalog_updates (due_at) WHERE status = 'pending';
