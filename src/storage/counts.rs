//! Stock counts: who started one, over which items, and each item's answer.

use super::{Db, DbResult, Stmt, WriteTx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountRow {
    pub id: i64,
    pub started_by: String,
    pub scope: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

/// One item of a count, by item name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub count_id: i64,
    pub item_id: i64,
    pub name: String,
    pub expected: i64,
    pub counted: Option<i64>,
    pub counted_at: Option<i64>,
}

const COUNT_COLS: &str = "id, started_by, scope, started_at, finished_at";
const LINE_SQL: &str = "SELECT l.count_id, l.item_id, i.name, l.expected, l.counted, l.counted_at \
     FROM count_lines l JOIN items i ON i.id = l.item_id WHERE l.count_id = $1 ORDER BY i.name";
/// Items a scope word covers: its category, or names containing it.
const SCOPE_SQL: &str = "FROM items WHERE deleted_at IS NULL \
     AND ($1 IS NULL OR lower(category) = $1 OR name LIKE $2)";

/// The count `who` started after `since` and has not finished.
pub async fn open(tx: &mut WriteTx, who: &str, since: i64) -> DbResult<Option<CountRow>> {
    let sql = format!(
        "SELECT {COUNT_COLS} FROM counts WHERE started_by = $1 AND finished_at IS NULL \
         AND started_at > $2 ORDER BY id DESC LIMIT 1"
    );
    let rows = tx.fetch_all(Stmt::new(sql).bind(who).bind(since)).await?;
    Ok(rows.into_iter().next())
}

fn scoped(stmt: String, scope: Option<&str>) -> Stmt {
    let like = scope.map(|s| format!("%{}%", s.replace(['%', '_'], "")));
    Stmt::new(stmt).bind(scope).bind(like)
}

/// Starts a count of the items `scope` covers (all without one); `None`
/// when it covers none, and then nothing is stored.
pub async fn start(
    tx: &mut WriteTx,
    who: &str,
    scope: Option<&str>,
    now: i64,
) -> DbResult<Option<i64>> {
    let n: Vec<(i64,)> = tx
        .fetch_all(scoped(format!("SELECT COUNT(*) {SCOPE_SQL}"), scope))
        .await?;
    if n.first().is_none_or(|r| r.0 == 0) {
        return Ok(None);
    }
    let ids: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO counts (started_by, scope, started_at) VALUES ($1, $2, $3) \
                 RETURNING id",
            )
            .bind(who)
            .bind(scope)
            .bind(now),
        )
        .await?;
    let id = ids.first().ok_or(sqlx::Error::RowNotFound)?.0;
    let insert = format!(
        "INSERT INTO count_lines (count_id, item_id, expected) SELECT $3, id, quantity {SCOPE_SQL}"
    );
    tx.queue(scoped(insert, scope).bind(id));
    Ok(Some(id))
}

/// A count's lines, by item name, inside the transaction.
pub async fn lines_in(tx: &mut WriteTx, count_id: i64) -> DbResult<Vec<LineRow>> {
    tx.fetch_all(Stmt::new(LINE_SQL).bind(count_id)).await
}

/// Records an answer: the line's count and the balance it replaced, and
/// when the item was last counted.
pub fn record(
    tx: &mut WriteTx,
    count_id: i64,
    item_id: i64,
    expected: i64,
    counted: i64,
    now: i64,
) {
    tx.queue(
        Stmt::new(
            "UPDATE count_lines SET expected = $3, counted = $4, counted_at = $5 \
             WHERE count_id = $1 AND item_id = $2",
        )
        .bind(count_id)
        .bind(item_id)
        .bind(expected)
        .bind(counted)
        .bind(now),
    );
    tx.queue(
        Stmt::new("UPDATE items SET last_counted_at = $2 WHERE id = $1")
            .bind(item_id)
            .bind(now),
    );
}

pub fn finish(tx: &mut WriteTx, count_id: i64, now: i64) {
    tx.queue(
        Stmt::new("UPDATE counts SET finished_at = $2 WHERE id = $1")
            .bind(count_id)
            .bind(now),
    );
}

/// Counts, newest first.
pub async fn recent(db: &Db, limit: i64, offset: i64) -> DbResult<Vec<CountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COUNT_COLS} FROM counts ORDER BY id DESC LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}

pub async fn lines(db: &Db, count_id: i64) -> DbResult<Vec<LineRow>> {
    sqlx::query_as(LINE_SQL)
        .bind(count_id)
        .fetch_all(db.pool())
        .await
}

/// Items not counted since `cutoff` (or never): name and when last counted.
pub async fn not_counted_since(db: &Db, cutoff: i64) -> DbResult<Vec<(String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT name, last_counted_at FROM items WHERE deleted_at IS NULL \
         AND (last_counted_at IS NULL OR last_counted_at < $1) ORDER BY name",
    )
    .bind(cutoff)
    .fetch_all(db.pool())
    .await
}
