-- Running totals of the ledger, kept by the transaction that writes its
-- lines, so the Today page costs the same with a week of ledger or ten
-- years of it. Quarter hours because every time zone's midnight falls on one.
CREATE TABLE ledger_quarters (
    quarter    BIGINT PRIMARY KEY, -- created_at / 900000
    movements  BIGINT NOT NULL,
    units_in   BIGINT NOT NULL,
    units_out  BIGINT NOT NULL,
    units_sold BIGINT NOT NULL     -- out to customers: remove, order, sale
);
INSERT INTO ledger_quarters (quarter, movements, units_in, units_out, units_sold)
SELECT created_at / 900000, COUNT(*),
       CAST(SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS BIGINT),
       CAST(SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS BIGINT),
       CAST(SUM(CASE WHEN delta < 0 AND reason IN ('remove', 'order', 'sale') THEN -delta ELSE 0 END) AS BIGINT)
FROM stock_movements GROUP BY created_at / 900000;

-- Units each item sold per UTC day: sales rates and top sellers.
CREATE TABLE item_sales_days (
    item_id BIGINT NOT NULL REFERENCES items (id),
    day     BIGINT NOT NULL, -- created_at / 86400000
    units   BIGINT NOT NULL,
    PRIMARY KEY (item_id, day)
);
CREATE INDEX item_sales_days_day ON item_sales_days (day, item_id, units);
INSERT INTO item_sales_days (item_id, day, units)
SELECT item_id, created_at / 86400000, CAST(SUM(-delta) AS BIGINT) FROM stock_movements
WHERE delta < 0 AND reason IN ('remove', 'order', 'sale')
GROUP BY item_id, created_at / 86400000;
