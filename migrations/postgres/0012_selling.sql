-- Selling on WhatsApp: an item's category groups the customer's list
-- message; a customer who asked for an item while it was out of stock is
-- told once when it comes back (within a week of asking).
ALTER TABLE items ADD COLUMN category TEXT;

CREATE TABLE stock_requests (
    contact  TEXT   NOT NULL,
    item_id  BIGINT NOT NULL REFERENCES items (id),
    asked_at BIGINT NOT NULL,
    -- When the back-in-stock note was queued (or found stale and dropped).
    told_at  BIGINT,
    PRIMARY KEY (contact, item_id)
);
CREATE INDEX stock_requests_item ON stock_requests (item_id, asked_at);
