-- The daily stock summary: one row per local day it was sent, so replicas and
-- restarts send it once.
CREATE TABLE daily_summaries (
    day     TEXT    PRIMARY KEY, -- YYYY-MM-DD in the shop's time zone
    sent_at INTEGER NOT NULL
);
