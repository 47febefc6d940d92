//! Grows a shop's database in bulk for the scale benchmark: items with their
//! stock, a year of ledger lines, events and contacts, written with plain SQL
//! (a row at a time through the API would take hours).
//!
//! The history is shaped, not balanced: every item holds 100 at the first
//! location whatever its ledger lines add up to. Half the ledger falls on
//! eleven busy items (the shop's first and the first ten grown ones), the
//! rest is spread over the grown items.

use sqlx::AssertSqlSafe;

#[derive(Clone, Copy)]
pub struct Size {
    pub items: i64,
    pub ledger: i64,
    pub events: i64,
    pub contacts: i64,
}

impl Size {
    /// 100,000 items, 10 million ledger lines, 1 million events and 1,000
    /// contacts, times `f`.
    pub fn scaled(f: f64) -> Self {
        let n = |v: f64| ((v * f) as i64).max(10);
        Self {
            items: n(100_000.0),
            ledger: n(10_000_000.0),
            events: n(1_000_000.0),
            contacts: n(1_000.0),
        }
    }
}

const YEAR_MS: i64 = 365 * 24 * 3_600_000;
/// Rows per INSERT, so progress shows and no statement runs for minutes.
const CHUNK: i64 = 1_000_000;

pub async fn grow(database_url: &str, size: Size) {
    let db = backroom::storage::Db::connect(database_url)
        .await
        .expect("connect");
    let pool = db.pool();
    let pg = database_url.starts_with("postgres");
    let now = backroom::storage::now_ms();
    let run = |sql: String| async move {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    };

    run(format!(
        "INSERT INTO items (name, quantity, sku, price_minor, created_at, updated_at) \
         SELECT 'scale item ' || n, 100, 'SC-' || n, 100 + n % 5000, {now}, {now} FROM {}",
        series(pg, 1, size.items)
    ))
    .await;
    run("INSERT INTO item_stock (item_id, location_id, quantity) \
         SELECT id, 1, 100 FROM items WHERE name LIKE 'scale item %'"
        .into())
    .await;
    // The grown items' ids are contiguous (one statement made them); the
    // shop's first item joins the busy ones, so the fresh and grown figures
    // read the same item.
    let (lo, hi, count, first): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT MIN(id), MAX(id), CAST(COUNT(*) AS BIGINT), (SELECT MIN(id) FROM items) \
         FROM items WHERE name LIKE 'scale item %'",
    )
    .fetch_one(pool)
    .await
    .expect("item ids");
    assert_eq!(hi - lo + 1, count, "grown item ids are not contiguous");

    let step = (YEAR_MS / size.ledger).max(1);
    let start = now - step * size.ledger;
    let staff = super::support::STAFF;
    for from in (1..=size.ledger).step_by(CHUNK as usize) {
        let to = (from + CHUNK - 1).min(size.ledger);
        run(format!(
            "INSERT INTO stock_movements \
             (item_id, delta, balance_after, reason, actor, created_at) \
             SELECT CASE WHEN n % 20 = 0 THEN {first} WHEN n % 2 = 0 THEN {lo} + (n / 2) % 10 \
             ELSE {lo} + (n * 7919) % {count} END, \
             CASE WHEN n % 4 = 3 THEN -1 ELSE 1 END, 100, \
             CASE WHEN n % 4 = 3 THEN 'remove' ELSE 'add' END, '{staff}', {start} + n * {step} \
             FROM {}",
            series(pg, from, to)
        ))
        .await;
        eprintln!("ledger: {to} of {} lines", size.ledger);
    }

    // Copies of a real event, so the feed serves what it would serve.
    let step = (YEAR_MS / size.events).max(1);
    let start = now - step * size.events;
    for from in (1..=size.events).step_by(CHUNK as usize) {
        let to = (from + CHUNK - 1).min(size.events);
        run(format!(
            "INSERT INTO events (id, type, data, created_at, entity) \
             SELECT 'evt_scale' || n, e.type, e.data, {start} + n * {step}, e.entity \
             FROM {}, (SELECT type, data, entity FROM events \
                       WHERE type = 'inventory.updated' ORDER BY seq LIMIT 1) AS e",
            series(pg, from, to)
        ))
        .await;
    }

    let wa_id = if pg {
        "'2783' || lpad(n::text, 7, '0')"
    } else {
        "'2783' || printf('%07d', n)"
    };
    run(format!(
        "INSERT INTO contacts \
         (wa_id, profile_name, role, first_seen, last_seen, created_at, updated_at) \
         SELECT {wa_id}, 'Customer ' || n, 'customer', {now}, {now}, {now}, {now} FROM {}",
        series(pg, 1, size.contacts)
    ))
    .await;

    // The ledger went in around the app, so its running totals are rebuilt
    // the way migration 0017 first filled them.
    backroom::storage::reports::rebuild_totals(&db)
        .await
        .expect("rebuild the ledger's totals");

    // PostgreSQL's autovacuum would have analysed tables grown this much.
    if pg {
        run("ANALYZE".into()).await;
    }
}

/// The integers `from..=to` as a table `s(n)` of BIGINTs.
fn series(pg: bool, from: i64, to: i64) -> String {
    if pg {
        format!("generate_series({from}::bigint, {to}::bigint) AS s(n)")
    } else {
        format!(
            "(WITH RECURSIVE r(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM r WHERE n < {to}) \
             SELECT n FROM r) AS s"
        )
    }
}
