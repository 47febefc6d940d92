//! The outbox of WhatsApp messages: written in the transaction that decided
//! them, claimed and sent by the sender, then advanced by status callbacks.

use sqlx::FromRow;

use crate::domain::{
    event::{Event, MessageSent},
    message::{OutboundKind, OutboundStatus, StatusUpdate},
};

use super::{
    Col, Db, DbResult, Stmt, WriteTx,
    events::{self, NewEvent},
    json_rows, keys_from, keys_json, skip_locked, to_json,
};

/// A message to send, as decided inside a business transaction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewOutbound {
    pub phone_number_id: String,
    pub recipient: String,
    pub kind: OutboundKind,
    /// What the recipient will read: a text message's body, or a summary.
    pub preview: String,
    /// For kinds other than text, the kind's object (e.g. `interactive`) as JSON.
    pub content: Option<String>,
    pub in_reply_to: Option<String>,
    /// `queued`; `sandbox` when there is no access token to send with;
    /// `held` outside the 24-hour window (see `whatsapp::outbound::window`).
    pub status: OutboundStatus,
    /// Why it is not `queued`, for people reading the log.
    pub error_message: Option<String>,
    /// The request that brought in the message this answers, for the logs.
    pub request_id: Option<String>,
    /// A secret (a sign-in code) sealed with `SECRETS_KEY`; the sender puts it
    /// in place of `domain::whatsapp::CODE_MASK` at send time, and it is
    /// cleared once the message no longer waits to be sent.
    pub sealed: Option<String>,
}

/// A claimed message, ready for the Graph API.
#[derive(Debug, Clone, FromRow)]
pub struct OutboundJob {
    pub id: i64,
    pub phone_number_id: String,
    pub recipient: String,
    pub kind: String,
    pub preview: String,
    pub content: Option<String>,
    pub in_reply_to: Option<String>,
    pub attempts: i64,
    pub request_id: Option<String>,
    pub sealed: Option<String>,
}

/// How one send attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Accepted {
        wamid: String,
        wa_id: Option<String>,
    },
    /// Succeeded without a message to track (a read receipt).
    Done,
    Retry {
        at: i64,
        code: Option<i64>,
        message: String,
    },
    /// Not attempted: pacing put it off until `at`; the claim is not counted.
    Deferred {
        at: i64,
    },
    /// WhatsApp's 24-hour window is closed: kept until the user writes again.
    Held {
        code: Option<i64>,
        message: String,
    },
    Failed {
        code: Option<i64>,
        message: String,
    },
}

pub use crate::domain::message::status_rank;

const NEW_COLS: [Col; 10] = [
    Col::Text("phone_number_id"),
    Col::Text("recipient"),
    Col::Text("kind"),
    Col::Text("preview"),
    Col::Text("content"),
    Col::Text("in_reply_to"),
    Col::Text("status"),
    Col::Text("error_message"),
    Col::Text("request_id"),
    Col::Text("sealed"),
];

/// The columns `NEW_COLS` fill, in order.
const NEW_COLUMNS: &str = "phone_number_id, recipient, kind, preview, content, in_reply_to, status, error_message, request_id, sealed";

/// Queues messages for the sender.
pub fn insert(tx: &mut WriteTx, rows: &[NewOutbound], now: i64) {
    if rows.is_empty() {
        return;
    }
    let stmt = insert_stmt(tx, rows, now, "");
    tx.queue(stmt);
}

/// The insert of messages, returning their ids. Send it last (`commit_with`).
pub fn insert_returning_id(tx: &WriteTx, rows: &[NewOutbound], now: i64) -> Stmt {
    insert_stmt(tx, rows, now, "RETURNING id")
}

/// The insert of messages already leased to this process's sender, returning
/// them as jobs: the sender gets fresh replies straight from the transaction
/// that wrote them, without a claim of its own. Send it last (`commit_with`).
pub fn insert_leased(tx: &WriteTx, rows: &[NewOutbound], now: i64, lease_ms: i64) -> Stmt {
    let sql = format!(
        "INSERT INTO outbound_messages ({NEW_COLUMNS}, attempts, locked_until, next_attempt_at, \
         created_at, updated_at) \
         SELECT {NEW_COLUMNS}, 1, $3, $2, $2, $2 FROM {} \
         RETURNING {JOB_COLUMNS}",
        json_rows(tx.backend(), 1, &NEW_COLS)
    );
    Stmt::new(sql)
        .bind(to_json(rows))
        .bind(now)
        .bind(now + lease_ms)
}

/// Queued rows, due at once, with whatever `returning` clause the caller needs.
fn insert_stmt(tx: &WriteTx, rows: &[NewOutbound], now: i64, returning: &str) -> Stmt {
    let sql = format!(
        "INSERT INTO outbound_messages ({NEW_COLUMNS}, next_attempt_at, created_at, updated_at) \
         SELECT {NEW_COLUMNS}, $2, $2, $2 FROM {} {returning}",
        json_rows(tx.backend(), 1, &NEW_COLS)
    );
    Stmt::new(sql).bind(to_json(rows)).bind(now)
}

const JOB_COLUMNS: &str = "id, phone_number_id, recipient, kind, preview, content, in_reply_to, attempts, \
     request_id, sealed";

/// When a queued message may be claimed: once due, and — if a lease on it
/// lapsed, so its last send is in doubt — `in_doubt` (a placeholder holding
/// milliseconds) after the lapse: time for Meta's status callback to say it
/// went. Read receipts are harmless to repeat.
fn claimable_at(backend: super::Backend, in_doubt: &str) -> String {
    let max = match backend {
        super::Backend::Sqlite => "MAX",
        super::Backend::Postgres => "GREATEST",
    };
    format!(
        "CASE WHEN locked_until = 0 OR kind = 'read' THEN next_attempt_at \
         ELSE {max}(next_attempt_at, locked_until + {in_doubt}) END"
    )
}

/// The claim statement: leases up to `limit` due messages. The sender sends it
/// last in the transaction that recorded its previous outcomes, so the lease
/// (the record that an attempt started) is durable before any request leaves.
pub fn claim(tx: &WriteTx, limit: usize, now: i64, lease_ms: i64, in_doubt_ms: i64) -> Stmt {
    let sql = format!(
        "UPDATE outbound_messages SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbound_messages \
                      WHERE status = 'queued' AND next_attempt_at <= $2 AND locked_until < $2 \
                      AND {} <= $2 \
                      ORDER BY next_attempt_at, id LIMIT $3 {}) \
         RETURNING {JOB_COLUMNS}",
        claimable_at(tx.backend(), "$4"),
        skip_locked(tx.backend())
    );
    Stmt::new(sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit as i64)
        .bind(in_doubt_ms)
}

/// The earliest time a queued message becomes claimable, if any is waiting.
pub async fn next_due(db: &Db, in_doubt_ms: i64) -> DbResult<Option<i64>> {
    // A lease still running ends before its row can be claimed again.
    let sql = format!(
        "SELECT MIN(CASE WHEN locked_until > {0} THEN locked_until ELSE {0} END) \
         FROM outbound_messages WHERE status = 'queued'",
        claimable_at(db.backend(), "$1")
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(in_doubt_ms)
        .fetch_one(db.pool())
        .await
}

/// Settles sends a crash left in doubt, named by the status callbacks Meta
/// sent for them (`biz_opaque_callback_data`): the row takes the callback's
/// wamid, as if Graph's answer had arrived, and is never sent again. Queue
/// `apply_statuses` for the wamids after this to bring the row up to date.
pub fn adopt(tx: &mut WriteTx, named: &[&StatusUpdate], now: i64) {
    let sent: Vec<NewEvent> = named
        .iter()
        .filter(|s| s.status == OutboundStatus::Sent.as_str())
        .filter_map(|s| Some(sent_event(s.outbound_id?, &s.wamid, s.recipient.as_deref())))
        .collect();
    events::insert(tx, &sent, now);
    let named: Vec<(i64, &str)> = named
        .iter()
        .filter_map(|s| Some((s.outbound_id?, s.wamid.as_str())))
        .collect();
    if named.is_empty() {
        return;
    }
    #[derive(serde::Serialize)]
    struct Named<'a> {
        id: i64,
        wamid: &'a str,
    }
    let rows: Vec<Named<'_>> = named
        .iter()
        .map(|&(id, wamid)| Named { id, wamid })
        .collect();
    let sql = format!(
        "UPDATE outbound_messages SET wamid = v.wamid, status = 'accepted', status_rank = {}, \
         locked_until = 0, sealed = NULL, error_code = NULL, error_message = NULL, updated_at = $2 \
         FROM {} WHERE outbound_messages.id = v.id AND outbound_messages.status = 'queued' \
         AND outbound_messages.wamid IS NULL \
         AND NOT EXISTS (SELECT 1 FROM outbound_messages o WHERE o.wamid = v.wamid)",
        OutboundStatus::Accepted.rank(),
        json_rows(tx.backend(), 1, &[Col::Int("id"), Col::Text("wamid")])
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(now));
}

/// One outcome as the `record` statement reads it.
#[derive(serde::Serialize)]
struct OutcomeRow<'a> {
    id: i64,
    status: OutboundStatus,
    status_rank: i64,
    wamid: Option<&'a str>,
    wa_id: Option<&'a str>,
    next_attempt_at: Option<i64>,
    error_code: Option<i64>,
    error_message: Option<&'a str>,
    /// 1 when the claim should not count as an attempt.
    refund: i64,
}

const OUTCOME_COLS: [Col; 9] = [
    Col::Int("id"),
    Col::Text("status"),
    Col::Int("status_rank"),
    Col::Text("wamid"),
    Col::Text("wa_id"),
    Col::Int("next_attempt_at"),
    Col::Int("error_code"),
    Col::Text("error_message"),
    Col::Int("refund"),
];

fn outcome_row(id: i64, outcome: &SendOutcome) -> OutcomeRow<'_> {
    let mut row = OutcomeRow {
        id,
        status: OutboundStatus::Queued,
        status_rank: 0,
        wamid: None,
        wa_id: None,
        next_attempt_at: None,
        error_code: None,
        error_message: None,
        refund: 0,
    };
    match outcome {
        SendOutcome::Accepted { wamid, wa_id } => {
            row.status = OutboundStatus::Accepted;
            row.wamid = Some(wamid);
            row.wa_id = wa_id.as_deref();
        }
        SendOutcome::Done => row.status = OutboundStatus::Done,
        SendOutcome::Retry { at, code, message } => {
            row.next_attempt_at = Some(*at);
            row.error_code = *code;
            row.error_message = Some(message);
        }
        SendOutcome::Deferred { at } => {
            row.next_attempt_at = Some(*at);
            row.refund = 1;
        }
        SendOutcome::Held { code, message } => {
            row.status = OutboundStatus::Held;
            row.error_code = *code;
            row.error_message = Some(message);
            row.refund = 1;
        }
        SendOutcome::Failed { code, message } => {
            row.status = OutboundStatus::Failed;
            row.error_code = *code;
            row.error_message = Some(message);
        }
    }
    row.status_rank = row.status.rank();
    row
}

/// Queues the outcomes of send attempts, then brings newly accepted messages
/// up to any status callback that arrived before Graph's answer did.
pub fn record(tx: &mut WriteTx, outcomes: &[(i64, SendOutcome)], now: i64) {
    if outcomes.is_empty() {
        return;
    }
    let rows: Vec<OutcomeRow<'_>> = outcomes.iter().map(|(id, o)| outcome_row(*id, o)).collect();
    let sql = format!(
        "UPDATE outbound_messages SET status = v.status, status_rank = v.status_rank, \
         wamid = COALESCE(v.wamid, outbound_messages.wamid), \
         wa_id = COALESCE(v.wa_id, outbound_messages.wa_id), \
         next_attempt_at = COALESCE(v.next_attempt_at, outbound_messages.next_attempt_at), \
         error_code = CASE WHEN v.refund = 1 AND v.status = 'queued' \
                      THEN outbound_messages.error_code ELSE v.error_code END, \
         error_message = CASE WHEN v.refund = 1 AND v.status = 'queued' \
                         THEN outbound_messages.error_message ELSE v.error_message END, \
         attempts = outbound_messages.attempts - v.refund, \
         sealed = CASE WHEN v.status IN ('queued', 'held') THEN outbound_messages.sealed END, \
         locked_until = 0, updated_at = $2 \
         FROM {} WHERE outbound_messages.id = v.id AND outbound_messages.status = 'queued'",
        json_rows(tx.backend(), 1, &OUTCOME_COLS)
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(now));
    let accepted: Vec<&str> = rows.iter().filter_map(|r| r.wamid).collect();
    apply_statuses(tx, &accepted, now);
    // A 131047 callback may have overtaken Graph's answer.
    super::held::hold_refused(tx, &accepted, now);
    let sent: Vec<NewEvent> = rows
        .iter()
        .filter_map(|r| Some(sent_event(r.id, r.wamid?, r.wa_id)))
        .collect();
    events::insert(tx, &sent, now);
}

/// `message.sent`: Graph accepted a message we sent. Its id follows from the
/// wamid, so Graph's answer and a `sent` callback naming the row (after a
/// crash cut the answer off) record it once between them.
pub fn sent_event(outbound_id: i64, wamid: &str, to: Option<&str>) -> NewEvent {
    let data = MessageSent {
        message_id: wamid.into(),
        outbound_id,
        to: to.map(String::from),
    };
    NewEvent::derived(Event::MessageSent(data), wamid)
}

/// Queues moving the given messages forward to the best status stored for
/// them in `message_statuses`, never back.
pub fn apply_statuses(tx: &mut WriteTx, wamids: &[&str], now: i64) {
    if wamids.is_empty() {
        return;
    }
    let sql = format!(
        "UPDATE outbound_messages SET status = s.status, status_rank = s.status_rank, \
         error_code = COALESCE(s.error_code, outbound_messages.error_code), \
         error_message = COALESCE(s.error_title, outbound_messages.error_message), \
         updated_at = $2 \
         FROM message_statuses s \
         WHERE s.wamid = outbound_messages.wamid \
         AND outbound_messages.wamid IN (SELECT v.k FROM {}) \
         AND s.status_rank = (SELECT MAX(b.status_rank) FROM message_statuses b \
                              WHERE b.wamid = s.wamid) \
         AND outbound_messages.status_rank < s.status_rank",
        keys_from(tx.backend(), 1)
    );
    tx.queue(Stmt::new(sql).bind(keys_json(wamids)).bind(now));
}

/// A stored outbound message, for tests, the API and the dashboard.
#[derive(Debug, Clone, FromRow)]
pub struct OutboundRow {
    pub id: i64,
    pub recipient: String,
    pub kind: String,
    pub preview: String,
    pub content: Option<String>,
    pub in_reply_to: Option<String>,
    pub status: String,
    pub wamid: Option<String>,
    pub attempts: i64,
    pub error_code: Option<i64>,
    pub error_message: Option<String>,
    pub request_id: Option<String>,
}

pub async fn list(db: &Db) -> DbResult<Vec<OutboundRow>> {
    sqlx::query_as(
        "SELECT id, recipient, kind, preview, content, in_reply_to, status, wamid, attempts, \
         error_code, error_message, request_id FROM outbound_messages ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
}
