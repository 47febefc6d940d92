-- Stock counts over chat: a staff member starts one ("count", "count
-- paint"), answers with numbers, and finishes it ("done"). An open count
-- (finished_at NULL) older than two hours is treated as expired.
CREATE TABLE counts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_by  TEXT    NOT NULL,
    -- The category or name word it was started with; NULL for every item.
    scope       TEXT,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX counts_open ON counts (started_by, finished_at);

CREATE TABLE count_lines (
    count_id   INTEGER NOT NULL REFERENCES counts (id),
    item_id    INTEGER NOT NULL REFERENCES items (id),
    -- The balance just before the count set it (at the start until counted).
    expected   INTEGER NOT NULL,
    counted    INTEGER,
    counted_at INTEGER,
    PRIMARY KEY (count_id, item_id)
);

ALTER TABLE items ADD COLUMN last_counted_at INTEGER;
