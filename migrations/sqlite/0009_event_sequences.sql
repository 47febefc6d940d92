-- The last `sequence` number given to an entity's events (`item:3`,
-- `order:12`), raised in the transaction that records them, so a subscriber
-- can tell a missed or out-of-order event.
CREATE TABLE entity_sequences (
    entity TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
);
