//! The people who write to the shop, and what each may do.

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, to_json};

/// What a person may do: owners and staff keep the stock, customers ask and buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Staff,
    Customer,
    /// Sells to the shop: their messages change nothing and order nothing.
    Supplier,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
            Role::Customer => "customer",
            Role::Supplier => "supplier",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Role::Owner),
            "staff" => Some(Role::Staff),
            "customer" => Some(Role::Customer),
            "supplier" => Some(Role::Supplier),
            _ => None,
        }
    }

    /// Owners can do everything staff can.
    pub fn keeps_stock(self) -> bool {
        matches!(self, Role::Owner | Role::Staff)
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ContactRow {
    pub wa_id: String,
    pub profile_name: Option<String>,
    pub role: String,
    pub lang: Option<String>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub nontext_notice_at: Option<i64>,
    /// When they asked not to get messages the shop starts.
    pub opted_out_at: Option<i64>,
}

impl ContactRow {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Customer)
    }
}

const COLUMNS: &str =
    "wa_id, profile_name, role, lang, first_seen, last_seen, nontext_notice_at, opted_out_at";

/// A message's sender, as last seen.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Seen {
    pub wa_id: String,
    pub profile_name: Option<String>,
    pub lang: Option<&'static str>,
    pub seen_at: i64,
}

/// Reads the named contacts inside a write transaction.
pub async fn load(tx: &mut WriteTx, wa_ids: &[&str]) -> DbResult<Vec<ContactRow>> {
    if wa_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<serde_json::Value> = wa_ids
        .iter()
        .map(|id| serde_json::json!({ "wa_id": id }))
        .collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts WHERE wa_id IN (SELECT v.wa_id FROM {})",
        json_rows(tx.backend(), 1, &[Col::Text("wa_id")])
    );
    tx.fetch_all(Stmt::new(sql).bind(to_json(&ids))).await
}

/// Queues recording that these people wrote (new ones become customers).
pub fn seen(tx: &mut WriteTx, rows: &[Seen], now: i64) {
    if rows.is_empty() {
        return;
    }
    // One row per person: PostgreSQL refuses an upsert touching a row twice.
    let mut latest: std::collections::BTreeMap<&str, &Seen> = std::collections::BTreeMap::new();
    for row in rows {
        let entry = latest.entry(row.wa_id.as_str()).or_insert(row);
        if row.lang.is_some() || entry.lang.is_none() {
            *entry = row;
        }
    }
    let rows: Vec<&Seen> = latest.into_values().collect();
    let sql = format!(
        "INSERT INTO contacts (wa_id, profile_name, role, lang, first_seen, last_seen, \
         created_at, updated_at) \
         SELECT wa_id, profile_name, 'customer', lang, seen_at, seen_at, $2, $2 FROM {} \
         WHERE true ON CONFLICT (wa_id) DO UPDATE SET \
         profile_name = COALESCE(excluded.profile_name, contacts.profile_name), \
         lang = COALESCE(excluded.lang, contacts.lang), \
         first_seen = COALESCE(contacts.first_seen, excluded.first_seen), \
         last_seen = excluded.last_seen, updated_at = excluded.updated_at",
        json_rows(
            tx.backend(),
            1,
            &[
                Col::Text("wa_id"),
                Col::Text("profile_name"),
                Col::Text("lang"),
                Col::Int("seen_at"),
            ]
        )
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(now));
}

/// Queues noting that a person was told we only read text and voice notes.
pub fn noticed_nontext(tx: &mut WriteTx, wa_id: &str, now: i64) {
    tx.queue(
        Stmt::new("UPDATE contacts SET nontext_notice_at = $1 WHERE wa_id = $2")
            .bind(now)
            .bind(wa_id),
    );
}

/// Someone the shop may write to, and when they last wrote (which opens
/// WhatsApp's 24-hour window).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Recipient {
    pub wa_id: String,
    pub last_seen: Option<i64>,
    pub lang: Option<String>,
    /// When they asked not to get messages the shop starts.
    pub opted_out_at: Option<i64>,
}

const RECIPIENT: &str = "wa_id, last_seen, lang, opted_out_at";

/// Owners, for alerts.
pub async fn owners_in(tx: &mut WriteTx) -> DbResult<Vec<Recipient>> {
    tx.fetch_all(Stmt::new(format!(
        "SELECT {RECIPIENT} FROM contacts WHERE role = 'owner' ORDER BY wa_id"
    )))
    .await
}

/// One person as a recipient; someone never heard from has no `last_seen`.
pub async fn recipient_in(tx: &mut WriteTx, wa_id: &str) -> DbResult<Recipient> {
    let found: Vec<Recipient> = tx
        .fetch_all(
            Stmt::new(format!("SELECT {RECIPIENT} FROM contacts WHERE wa_id = $1")).bind(wa_id),
        )
        .await?;
    Ok(found.into_iter().next().unwrap_or(Recipient {
        wa_id: wa_id.to_string(),
        last_seen: None,
        lang: None,
        opted_out_at: None,
    }))
}

/// Records that a person opted out of (`Some(time)`) or back into (`None`)
/// messages the shop starts, creating the contact when new. Returns whether
/// that changed anything, so a repeated STOP records no second event.
pub async fn set_opted_out(
    tx: &mut WriteTx,
    wa_id: &str,
    at: Option<i64>,
    now: i64,
) -> DbResult<bool> {
    let changed: Vec<(String,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO contacts (wa_id, role, created_at, updated_at, opted_out_at) \
                 VALUES ($1, 'customer', $3, $3, $2) \
                 ON CONFLICT (wa_id) DO UPDATE SET opted_out_at = excluded.opted_out_at, \
                 updated_at = excluded.updated_at \
                 WHERE (contacts.opted_out_at IS NULL) <> (excluded.opted_out_at IS NULL) \
                 RETURNING wa_id",
            )
            .bind(wa_id)
            .bind(at)
            .bind(now),
        )
        .await?;
    Ok(!changed.is_empty())
}

/// Gives a person a role, creating the contact when new. Taking an owner's
/// role away ends their dashboard sessions.
pub async fn set_role(db: &Db, wa_id: &str, role: Role) -> DbResult<()> {
    let mut tx = db.begin().await?;
    if role != Role::Owner {
        super::sessions::end_all(&mut tx, wa_id);
    }
    tx.queue(
        Stmt::new(
            "INSERT INTO contacts (wa_id, role, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (wa_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at",
        )
        .bind(wa_id)
        .bind(role.as_str())
        .bind(super::now_ms()),
    );
    tx.commit().await
}

pub async fn get(db: &Db, wa_id: &str) -> DbResult<Option<ContactRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contacts WHERE wa_id = $1"
    )))
    .bind(wa_id)
    .fetch_optional(db.pool())
    .await
}

/// The numbers of everyone who keeps the stock (staff and owners).
pub async fn keepers(db: &Db) -> DbResult<Vec<String>> {
    sqlx::query_scalar("SELECT wa_id FROM contacts WHERE role IN ('staff', 'owner')")
        .fetch_all(db.pool())
        .await
}

/// Contacts, optionally of one role, by number.
pub async fn list(db: &Db, role: Option<Role>) -> DbResult<Vec<ContactRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contacts WHERE ($1 IS NULL OR role = $1) ORDER BY wa_id"
    )))
    .bind(role.map(Role::as_str))
    .fetch_all(db.pool())
    .await
}

/// Gives the configured numbers their roles (owners win over staff). Others
/// keep theirs, so roles changed on the command line survive a restart
/// unless the environment names the number.
pub async fn seed(db: &Db, owners: &[String], staff: &[String]) -> DbResult<()> {
    for wa_id in staff.iter().filter(|s| !owners.contains(s)) {
        set_role(db, wa_id, Role::Staff).await?;
    }
    for wa_id in owners {
        set_role(db, wa_id, Role::Owner).await?;
    }
    Ok(())
}

/// A page of contacts; one more than `limit` tells a page follows.
pub async fn page(
    db: &Db,
    role: Option<Role>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<ContactRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contacts WHERE ($1 IS NULL OR role = $1) ORDER BY wa_id LIMIT $2 OFFSET $3"
    )))
    .bind(role.map(Role::as_str))
    .bind(limit + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}
