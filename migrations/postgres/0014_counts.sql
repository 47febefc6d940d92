-- Stock counts over chat: a staff member starts one ("count", "count
-- paint"), answers with numbers, and finishes it ("done"). An open count
-- (finished_at NULL) older than two hours is treated as expired.
CREATE TABLE counts (
    id          BIGSERIAL PRIMARY KEY,
    started_by  TEXT    NOT NULL,
    -- The category or name word it was started with; NULL for every item.
    scope       TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX counts_open ON counts (started_by, finished_at);

CREATE TABLE count_lines (
    count_id   BIGINT NOT NULL REFERENCES counts (id),
    item_id    BIGINT NOT NULL REFERENCES items (id),
    -- The balance just before the count set it (at the start until counted).
    expected   BIGINT NOT NULL,
    counted    BIGINT,
    counted_at BIGINT,
    PRIMARY KEY (count_id, item_id)
);

ALTER TABLE items ADD COLUMN last_counted_at BIGINT;
