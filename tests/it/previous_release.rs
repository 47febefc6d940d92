//! A database written by the previous release is carried forward unchanged by
//! this release's migrations.
//!
//! `fixtures/previous-release/` holds a dump of a real shop's database made by
//! the previous release's binary (SQLite and PostgreSQL; its README says which
//! commit and how). Each run loads the dump into a fresh database, takes a
//! [`Snapshot`] of what matters, applies this build's migrations the way the
//! app does at start-up, takes the snapshot again and compares; then it starts
//! the app on the migrated database and reads the stock through the API.
//!
//! A new migration that reshapes data (for example stock kept per location)
//! should teach [`snapshot`] to read the new shape, so the comparison keeps
//! meaning "the shop's stock, orders and history did not change", and add
//! checks of its own after [`carried_forward`]'s comparison.

use std::collections::BTreeMap;

use backroom::{
    api::auth::Scope,
    storage::{Backend, Db},
};
use sqlx::{AssertSqlSafe, Connection};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, TestApp, TestDb},
};

both_databases!(carried_forward);

/// The migrations the previous release had applied: 0001 to 0015.
const PREVIOUS_MIGRATIONS: i64 = 15;

/// What a migration must leave alone, read from a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Every item, by id.
    pub items: Vec<Item>,
    /// The ledger per item id: rows, sum of deltas, the last `balance_after`.
    pub ledger_by_item: BTreeMap<i64, LedgerSummary>,
    /// Every ledger row in id order.
    pub ledger: Vec<Movement>,
    /// Every customer order with its lines, by id.
    pub orders: Vec<Order>,
    /// Every purchase order with its lines, by id.
    pub purchase_orders: Vec<PurchaseOrder>,
    /// `(id, name, wa_id)` of every supplier.
    pub suppliers: Vec<(i64, String, String)>,
    /// `(wa_id, role, opted out)` of every contact.
    pub contacts: Vec<(String, String, bool)>,
    /// `(id, finished)` of every stock count, and its lines
    /// `(count_id, item_id, expected, counted)`.
    pub counts: Vec<(i64, bool)>,
    pub count_lines: Vec<(i64, i64, i64, Option<i64>)>,
    /// Rows in every table of the schema (not `_sqlx_migrations`). Compared
    /// only for the tables the earlier snapshot has: a migration may add tables.
    pub table_rows: BTreeMap<String, i64>,
    /// `(version, success)` of the applied migrations.
    pub migrations: Vec<(i64, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub quantity: i64,
    pub sku: Option<String>,
    pub price_minor: Option<i64>,
    pub threshold: Option<i64>,
    pub category: Option<String>,
    pub supplier_id: Option<i64>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSummary {
    pub rows: i64,
    pub sum: i64,
    pub last_balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub item_id: i64,
    pub delta: i64,
    pub balance_after: i64,
    pub reason: String,
    pub actor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub contact: String,
    pub status: String,
    pub source: String,
    /// `(item_id, quantity, price_minor)`.
    pub lines: Vec<(i64, i64, Option<i64>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrder {
    pub id: i64,
    pub reference: Option<String>,
    pub supplier_id: i64,
    pub status: String,
    /// `(item_id, quantity, received)`.
    pub lines: Vec<(i64, i64, i64)>,
}

/// Reads a [`Snapshot`]. Integers are cast to BIGINT so both backends decode
/// them alike through the `Any` driver.
pub async fn snapshot(db: &Db) -> Snapshot {
    let pool = db.pool();
    let items = sqlx::query_as::<_, ItemRow>(
        "SELECT CAST(id AS BIGINT), name, CAST(quantity AS BIGINT), sku, \
                CAST(price_minor AS BIGINT), CAST(threshold AS BIGINT), category, \
                CAST(supplier_id AS BIGINT), CAST(deleted_at AS BIGINT) \
         FROM items ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("items")
    .into_iter()
    .map(
        |(id, name, quantity, sku, price_minor, threshold, category, supplier_id, deleted_at)| {
            Item {
                id,
                name,
                quantity,
                sku,
                price_minor,
                threshold,
                category,
                supplier_id,
                deleted: deleted_at.is_some(),
            }
        },
    )
    .collect();

    let ledger: Vec<Movement> = sqlx::query_as::<_, (i64, i64, i64, i64, String, Option<String>)>(
        "SELECT CAST(id AS BIGINT), CAST(item_id AS BIGINT), CAST(delta AS BIGINT), \
                CAST(balance_after AS BIGINT), reason, actor \
         FROM stock_movements ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("ledger")
    .into_iter()
    .map(
        |(id, item_id, delta, balance_after, reason, actor)| Movement {
            id,
            item_id,
            delta,
            balance_after,
            reason,
            actor,
        },
    )
    .collect();
    let mut ledger_by_item = BTreeMap::<i64, LedgerSummary>::new();
    for m in &ledger {
        let s = ledger_by_item.entry(m.item_id).or_insert(LedgerSummary {
            rows: 0,
            sum: 0,
            last_balance: 0,
        });
        s.rows += 1;
        s.sum += m.delta;
        s.last_balance = m.balance_after;
    }

    let order_lines = sqlx::query_as::<_, (i64, i64, i64, Option<i64>)>(
        "SELECT CAST(order_id AS BIGINT), CAST(item_id AS BIGINT), CAST(quantity AS BIGINT), \
                CAST(price_minor AS BIGINT) \
         FROM order_lines ORDER BY order_id, line",
    )
    .fetch_all(pool)
    .await
    .expect("order lines");
    let orders = sqlx::query_as::<_, (i64, String, String, String, String)>(
        "SELECT CAST(id AS BIGINT), number, contact, status, source FROM orders ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("orders")
    .into_iter()
    .map(|(id, number, contact, status, source)| Order {
        id,
        number,
        contact,
        status,
        source,
        lines: order_lines
            .iter()
            .filter(|l| l.0 == id)
            .map(|l| (l.1, l.2, l.3))
            .collect(),
    })
    .collect();

    let po_lines = sqlx::query_as::<_, (i64, i64, i64, i64)>(
        "SELECT CAST(po_id AS BIGINT), CAST(item_id AS BIGINT), CAST(quantity AS BIGINT), \
                CAST(received AS BIGINT) \
         FROM purchase_order_lines ORDER BY po_id, item_id",
    )
    .fetch_all(pool)
    .await
    .expect("purchase order lines");
    let purchase_orders = sqlx::query_as::<_, (i64, Option<String>, i64, String)>(
        "SELECT CAST(id AS BIGINT), reference, CAST(supplier_id AS BIGINT), status \
         FROM purchase_orders ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("purchase orders")
    .into_iter()
    .map(|(id, reference, supplier_id, status)| PurchaseOrder {
        id,
        reference,
        supplier_id,
        status,
        lines: po_lines
            .iter()
            .filter(|l| l.0 == id)
            .map(|l| (l.1, l.2, l.3))
            .collect(),
    })
    .collect();

    let suppliers =
        sqlx::query_as("SELECT CAST(id AS BIGINT), name, wa_id FROM suppliers ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("suppliers");
    let contacts = sqlx::query_as::<_, (String, String, Option<i64>)>(
        "SELECT wa_id, role, CAST(opted_out_at AS BIGINT) FROM contacts ORDER BY wa_id",
    )
    .fetch_all(pool)
    .await
    .expect("contacts")
    .into_iter()
    .map(|(wa_id, role, opted_out_at)| (wa_id, role, opted_out_at.is_some()))
    .collect();
    let counts = sqlx::query_as::<_, (i64, Option<i64>)>(
        "SELECT CAST(id AS BIGINT), CAST(finished_at AS BIGINT) FROM counts ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("counts")
    .into_iter()
    .map(|(id, finished_at)| (id, finished_at.is_some()))
    .collect();
    let count_lines = sqlx::query_as(
        "SELECT CAST(count_id AS BIGINT), CAST(item_id AS BIGINT), CAST(expected AS BIGINT), \
                CAST(counted AS BIGINT) \
         FROM count_lines ORDER BY count_id, item_id",
    )
    .fetch_all(pool)
    .await
    .expect("count lines");

    let tables_sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' \
             AND tablename <> '_sqlx_migrations' ORDER BY tablename"
        }
    };
    let tables: Vec<(String,)> = sqlx::query_as(tables_sql)
        .fetch_all(pool)
        .await
        .expect("tables");
    let mut table_rows = BTreeMap::new();
    for (table,) in tables {
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"
        )))
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("count {table}: {e}"));
        table_rows.insert(table, n);
    }

    let migrations = sqlx::query_as::<_, (i64, i64)>(
        "SELECT CAST(version AS BIGINT), CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT) \
         FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(pool)
    .await
    .expect("migrations")
    .into_iter()
    .map(|(version, success)| (version, success == 1))
    .collect();

    Snapshot {
        items,
        ledger_by_item,
        ledger,
        orders,
        purchase_orders,
        suppliers,
        contacts,
        counts,
        count_lines,
        table_rows,
        migrations,
    }
}

type ItemRow = (
    i64,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// The ledger agrees with every item's balance: its deltas sum to the
/// quantity, and its last row's `balance_after` is the quantity.
fn assert_ledger_balances(s: &Snapshot, when: &str) {
    for item in &s.items {
        match s.ledger_by_item.get(&item.id) {
            Some(l) => {
                assert_eq!(l.sum, item.quantity, "{when}: ledger sum of {}", item.name);
                assert_eq!(
                    l.last_balance, item.quantity,
                    "{when}: last balance of {}",
                    item.name
                );
            }
            None => assert_eq!(item.quantity, 0, "{when}: {} has no ledger", item.name),
        }
    }
}

/// Compares two lists row by row, so a failure names the row that changed.
fn same_rows<T: std::fmt::Debug + PartialEq>(what: &str, before: &[T], after: &[T]) {
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        assert_eq!(a, b, "{what}: row {i} changed by migrating");
    }
    assert_eq!(after.len(), before.len(), "{what}: rows before and after");
}

/// Loads the previous release's dump for this backend into the empty
/// test database, on a connection of its own (the PostgreSQL dump
/// changes the session's `search_path`).
async fn load_dump(db: &TestDb) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/previous-release");
    if db.is_postgres() {
        let dump = std::fs::read_to_string(dir.join("postgres.sql")).expect("postgres.sql");
        // psql meta-commands (pg_dump writes `\restrict …` / `\unrestrict …`)
        // are not SQL; everything else is.
        let sql: String = dump
            .lines()
            .filter(|l| !l.starts_with('\\'))
            .map(|l| format!("{l}\n"))
            .collect();
        let mut conn = sqlx::PgConnection::connect(db.url())
            .await
            .expect("connect to the fresh database");
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("load postgres.sql");
        conn.close().await.expect("close");
    } else {
        let sql = std::fs::read_to_string(dir.join("sqlite.sql")).expect("sqlite.sql");
        let url = format!("{}?mode=rwc", db.url());
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("create the SQLite file");
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("load sqlite.sql");
        conn.close().await.expect("close");
    }
}

/// How many migrations this build has for the backend.
fn migrations_in_this_build(backend: Backend) -> i64 {
    let dir = match backend {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres => "migrations/postgres",
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    std::fs::read_dir(dir)
        .expect("migrations folder")
        .filter(|e| {
            e.as_ref()
                .map(|e| e.path().extension().is_some_and(|x| x == "sql"))
                .unwrap_or(false)
        })
        .count() as i64
}

async fn carried_forward(test_db: TestDb) {
    load_dump(&test_db).await;
    let url = test_db.url().to_string();
    let url = if test_db.is_postgres() {
        url
    } else {
        format!("{url}?mode=rwc")
    };

    // Before: the fixture as the previous release left it.
    let db = Db::connect(&url).await.expect("connect");
    let before = snapshot(&db).await;
    assert_eq!(
        before.migrations,
        (1..=PREVIOUS_MIGRATIONS)
            .map(|v| (v, true))
            .collect::<Vec<_>>(),
        "the fixture records the previous release's migrations as applied"
    );
    // The fixture is worth testing with: a shop with stock, history and orders.
    let stocked = before.items.iter().filter(|i| i.quantity > 0).count();
    assert!(stocked >= 8, "only {stocked} items in stock in the fixture");
    assert!(
        before.ledger.len() >= 24,
        "{} ledger rows",
        before.ledger.len()
    );
    assert!(!before.orders.is_empty() && !before.purchase_orders.is_empty());
    assert_ledger_balances(&before, "before migrating");

    // Migrate the way the app does at start-up.
    db.migrate().await.expect("this build's migrations apply");
    let after = snapshot(&db).await;
    db.pool().close().await;

    assert_eq!(
        after.migrations,
        (1..=migrations_in_this_build(db.backend()))
            .map(|v| (v, true))
            .collect::<Vec<_>>(),
        "every migration of this build is applied, the old ones kept"
    );
    same_rows("items", &before.items, &after.items);
    same_rows("ledger rows", &before.ledger, &after.ledger);
    assert_eq!(
        after.ledger_by_item, before.ledger_by_item,
        "ledger per item"
    );
    assert_eq!(after.orders, before.orders, "orders");
    assert_eq!(
        after.purchase_orders, before.purchase_orders,
        "purchase orders"
    );
    assert_eq!(after.suppliers, before.suppliers, "suppliers");
    assert_eq!(after.contacts, before.contacts, "contacts");
    assert_eq!(after.counts, before.counts, "counts");
    assert_eq!(after.count_lines, before.count_lines, "count lines");
    for (table, rows) in &before.table_rows {
        assert_eq!(
            after.table_rows.get(table),
            Some(rows),
            "rows in {table} after migrating"
        );
    }
    assert_ledger_balances(&after, "after migrating");

    // Locations (0016): all of each item's stock is at the first location,
    // and every old ledger line and order reads as made there.
    let db = Db::connect(&url).await.expect("connect again");
    let split: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT CAST(item_id AS BIGINT), CAST(location_id AS BIGINT), CAST(quantity AS BIGINT) \
         FROM item_stock ORDER BY item_id, location_id",
    )
    .fetch_all(db.pool())
    .await
    .expect("item_stock");
    let expected: Vec<(i64, i64, i64)> = before
        .items
        .iter()
        .filter(|i| i.quantity > 0)
        .map(|i| (i.id, 1, i.quantity))
        .collect();
    assert_eq!(split, expected, "each item's stock at location 1");
    let elsewhere: (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM stock_movements WHERE location_id IS NOT NULL",
    )
    .fetch_one(db.pool())
    .await
    .expect("ledger locations");
    assert_eq!(elsewhere.0, 0, "old ledger lines are not rewritten");
    db.pool().close().await;

    // The app starts on the migrated database and reports the same stock.
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&test_db, &graph)).await;
    let token = backroom::api::auth::create(&app.db, "previous-release", &[Scope::Read])
        .await
        .expect("token")
        .token;
    let listed: serde_json::Value = app
        .http
        .get(format!("{}/api/v1/items?limit=200", app.addr))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET /api/v1/items")
        .error_for_status()
        .expect("GET /api/v1/items succeeds")
        .json()
        .await
        .expect("json");
    let listed: BTreeMap<String, i64> = listed["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|i| {
            (
                i["name"].as_str().expect("name").to_string(),
                i["quantity"].as_i64().expect("quantity"),
            )
        })
        .collect();
    let expected: BTreeMap<String, i64> = before
        .items
        .iter()
        .filter(|i| !i.deleted)
        .map(|i| (i.name.clone(), i.quantity))
        .collect();
    assert_eq!(listed, expected, "GET /api/v1/items after migrating");
    for order in &before.orders {
        let got: serde_json::Value = app
            .http
            .get(format!("{}/api/v1/orders/{}", app.addr, order.id))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET /api/v1/orders/{id}")
            .json()
            .await
            .expect("json");
        assert_eq!(
            got["status"],
            order.status.as_str(),
            "order {}",
            order.number
        );
    }
    app.stop().await;
}
