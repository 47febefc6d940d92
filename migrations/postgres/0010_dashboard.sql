-- Shop settings an owner sets on the dashboard's Settings page (shop name,
-- currency, time zone, default alert level). Environment variables win
-- over these; see `config::prefs`.
CREATE TABLE shop_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- What the parser found in each message ("3 × hammer, 50 × screw"), for
-- the dashboard's conversation pages.
ALTER TABLE inbox ADD COLUMN parse_items TEXT;
