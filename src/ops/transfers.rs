//! Transfers between locations, inside the caller's transaction and stock
//! book (the chat's batch, or one API request): sending takes the stock out
//! of one location into transit and tells the other location's staff;
//! receiving puts it into the other location, all at once or in parts.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Shop, ShopError};
use crate::{
    config::WhatsAppSettings,
    domain::{
        ledger::Reason,
        location::{Places, TransferStatus},
        message::{OutboundKind, OutboundStatus},
    },
    inventory::{Change, Effects, Origin, StockBook},
    storage::{
        self, WriteTx, catalogue,
        locations::{self, NewTransfer, TransferRow},
        outbound::NewOutbound,
        pending,
    },
    whatsapp::outbound::window::{self, Notice, Purpose},
};

/// The stored action behind "✅ It arrived": the transfers it receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivedAsk {
    pub arrived: Vec<i64>,
}

/// How long the arrival button works (a delivery may take days).
const ARRIVAL_TTL_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// Who sends, from where, in which message.
pub struct Mover<'a> {
    pub by: &'a str,
    pub location: i64,
    pub source_message_id: Option<String>,
    pub now: i64,
}

/// One line sent: its transfer's reference and what is left where it left.
#[derive(Debug, Clone)]
pub struct SentLine {
    pub reference: String,
    pub name: String,
    pub quantity: i64,
    pub left: i64,
}

/// Sends `lines` (item name in `book`, count) from `m.location` to `to`: one
/// transfer per line, the stock out with reason `transfer_out`, and a note
/// with an arrival button to the staff of `to` (the sender excepted), from
/// `to`'s number. All lines or none.
pub async fn send(
    tx: &mut WriteTx,
    book: &mut StockBook,
    fx: &mut Effects,
    (wa, places): (&WhatsAppSettings, &Places),
    m: &Mover<'_>,
    to: i64,
    lines: &[(String, i64)],
) -> Result<(Vec<SentLine>, Vec<NewOutbound>), ShopError> {
    if to == m.location {
        return Err(ShopError::Conflict(format!(
            "that stock is already at {}",
            places.name(to)
        )));
    }
    let origin = Origin {
        reason: Reason::TransferOut.as_str(),
        actor: Some(m.by.to_string()),
        source_message_id: m.source_message_id.clone(),
        location: m.location,
    };
    let changes: Vec<(String, Change)> = lines
        .iter()
        .map(|(name, q)| (name.clone(), Change::Remove(*q)))
        .collect();
    let applied = fx
        .change(book, &changes, &origin)
        .map_err(ShopError::Refused)?;
    let mut sent = Vec::new();
    let mut ids = Vec::new();
    for a in &applied {
        let item_id = book.get(&a.name).map_or(0, |r| r.id);
        let t = NewTransfer {
            item_id,
            from: m.location,
            to,
            quantity: a.here_before - a.here_after,
            sent_by: m.by,
            source_message_id: m.source_message_id.as_deref(),
        };
        let id = locations::insert_transfer(tx, &t, m.now).await?;
        ids.push(id);
        sent.push(SentLine {
            reference: format!("T-{id}"),
            name: a.name.clone(),
            quantity: t.quantity,
            left: a.here_after,
        });
    }
    let what = sent
        .iter()
        .map(|s| format!("{} {} ({})", s.quantity, s.name, s.reference))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "🚚 {} sent {what} to {}. Tap when it arrives, or write \"received {}\".",
        places.name(m.location),
        places.name(to),
        sent[0].reference
    );
    let notice = Notice::new(Purpose::Alert, text);
    let mut notes = Vec::new();
    for keeper in locations::keepers_at(tx, to).await? {
        if keeper.wa_id == m.by {
            continue;
        }
        let mut row = window::compose(wa, &keeper, &notice, m.now);
        if let Some(number) = places.number_of(to) {
            row.phone_number_id = number.to_string();
        }
        let sendable = matches!(row.status, OutboundStatus::Queued | OutboundStatus::Sandbox);
        if row.kind == OutboundKind::Text && sendable {
            let ask = serde_json::to_value(ArrivedAsk {
                arrived: ids.clone(),
            })
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            let action =
                pending::create(tx, &keeper.wa_id, &ask, m.now, m.now + ARRIVAL_TTL_MS).await?;
            let button = json!({"type": "reply", "reply": {
                "id": super::reorder::button_id(action, 0), "title": "✅ It arrived"}});
            row.kind = OutboundKind::Interactive;
            row.content = Some(
                json!({"type": "button", "body": {"text": notice.text},
                    "action": {"buttons": [button]}})
                .to_string(),
            );
        }
        notes.push(row);
    }
    Ok((sent, notes))
}

/// What arrives: transfers by id (what is left of each), or counts of items
/// from a location (oldest transfers first).
pub enum Arrival<'a> {
    Ids(&'a [i64]),
    /// Part (or all) of one transfer.
    Part(i64, i64),
    Lines {
        from: i64,
        lines: &'a [(i64, String)],
    },
}

/// One line received: the item, how many, from where, what `here` holds now.
#[derive(Debug, Clone)]
pub struct ReceivedLine {
    pub name: String,
    pub quantity: i64,
    pub from: i64,
    pub here: i64,
}

/// Receives an arrival at `m.location` (reason `transfer_in`); refuses,
/// changing nothing, more than is on its way or a transfer headed elsewhere.
pub async fn receive(
    tx: &mut WriteTx,
    book: &mut StockBook,
    fx: &mut Effects,
    places: &Places,
    m: &Mover<'_>,
    arrival: Arrival<'_>,
) -> Result<Vec<ReceivedLine>, ShopError> {
    let here = m.location;
    // (transfer, units taking part now)
    let mut takes: Vec<(TransferRow, i64)> = Vec::new();
    let picked: Vec<(i64, Option<i64>)> = match arrival {
        Arrival::Ids(ids) => {
            // Each transfer once, however often it is named.
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter().map(|id| (id, None)).collect()
        }
        Arrival::Part(id, n) => vec![(id, Some(n))],
        Arrival::Lines { .. } => Vec::new(),
    };
    // Items are locked before transfers on every path (the chat locks the
    // items it names first), so two receipts cannot deadlock.
    let mut items = Vec::new();
    for (id, _) in &picked {
        if let Some(t) = locations::peek_transfer(tx, *id).await?
            && book.get(&t.item).is_none()
        {
            items.push(t.item_id);
        }
    }
    items.sort_unstable();
    items.dedup();
    for id in items {
        book.extend(catalogue::lock_id(tx, id).await?.into_iter().collect());
    }
    for (id, part) in picked {
        let t = locations::lock_transfer(tx, id)
            .await?
            .ok_or(ShopError::NotFound("transfer"))?;
        if t.status != TransferStatus::InTransit.as_str() {
            return Err(ShopError::Conflict(format!(
                "{} has arrived already",
                t.reference
            )));
        }
        if t.to_location != here {
            return Err(ShopError::Conflict(format!(
                "{} is on its way to {}, not {}",
                t.reference,
                places.name(t.to_location),
                places.name(here)
            )));
        }
        let left = t.quantity - t.received;
        let n = part.unwrap_or(left);
        if n < 1 || n > left {
            return Err(ShopError::Conflict(format!(
                "{left} still on the way on {}, not {n}",
                t.reference
            )));
        }
        takes.push((t, n));
    }
    if let Arrival::Lines { from, lines } = arrival {
        // "1 screw, 1 screw" is 2 screws: one allocation per item.
        let mut wanted: Vec<(String, i64)> = Vec::new();
        for (quantity, name) in lines {
            match wanted.iter_mut().find(|w| w.0 == *name) {
                Some(w) => w.1 += quantity,
                None => wanted.push((name.clone(), *quantity)),
            }
        }
        for (name, quantity) in &wanted {
            let item = book.get(name).map(|r| r.id);
            let open = match item {
                Some(id) => locations::open_to(tx, here, Some(id), Some(from), None).await?,
                None => Vec::new(),
            };
            let on_way: i64 = open.iter().map(|t| t.quantity - t.received).sum();
            if on_way < *quantity {
                return Err(ShopError::Conflict(format!(
                    "only {on_way} {name} on the way from {} to {}",
                    places.name(from),
                    places.name(here)
                )));
            }
            let mut need = *quantity;
            for t in open {
                if need == 0 {
                    break;
                }
                let part = need.min(t.quantity - t.received);
                need -= part;
                takes.push((t, part));
            }
        }
    }
    for (t, _) in &takes {
        if book.get(&t.item).is_none() {
            book.extend(
                catalogue::lock_id(tx, t.item_id)
                    .await?
                    .into_iter()
                    .collect(),
            );
        }
    }
    let origin = Origin {
        reason: Reason::TransferIn.as_str(),
        actor: Some(m.by.to_string()),
        source_message_id: m.source_message_id.clone(),
        location: here,
    };
    let changes: Vec<(String, Change)> = takes
        .iter()
        .map(|(t, n)| (t.item.clone(), Change::Add(*n)))
        .collect();
    let applied = fx
        .change(book, &changes, &origin)
        .map_err(ShopError::Refused)?;
    let mut out = Vec::new();
    for ((t, n), a) in takes.iter().zip(&applied) {
        locations::set_received(tx, t.id, t.received + n, m.by, m.now);
        out.push(ReceivedLine {
            name: t.item.clone(),
            quantity: *n,
            from: t.from_location,
            here: a.here_after,
        });
    }
    Ok(out)
}

impl Shop {
    /// `POST /api/v1/transfers`: one item from one location to another.
    pub async fn send_transfer(
        &self,
        item_id: i64,
        quantity: i64,
        (from, to): (i64, i64),
        by: &str,
    ) -> Result<TransferRow, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        let row = catalogue::lock_id(&mut tx, item_id)
            .await?
            .ok_or(ShopError::NotFound("item"))?;
        let mut book = StockBook::new(vec![row.clone()]);
        let mut fx = self.effects();
        let m = Mover {
            by,
            location: from,
            source_message_id: None,
            now,
        };
        let lines = [(row.name.clone(), quantity)];
        let ctx = (&self.settings.whatsapp, self.places.as_ref());
        let (sent, notes) = send(&mut tx, &mut book, &mut fx, ctx, &m, to, &lines).await?;
        let id: i64 = sent[0].reference[2..].parse().unwrap_or(0);
        self.finish(tx, book, fx, notes, now).await?;
        locations::transfer(&self.db, id)
            .await?
            .ok_or(ShopError::NotFound("transfer"))
    }

    /// `POST /api/v1/transfers/{id}/receive`: all that is left, or `quantity`,
    /// into the transfer's destination.
    pub async fn receive_transfer(
        &self,
        id: i64,
        quantity: Option<i64>,
        by: &str,
    ) -> Result<TransferRow, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        // Not locked yet: `receive` locks the item, then the transfer.
        let t = locations::peek_transfer(&mut tx, id)
            .await?
            .ok_or(ShopError::NotFound("transfer"))?;
        let mut book = StockBook::default();
        let mut fx = self.effects();
        let m = Mover {
            by,
            location: t.to_location,
            source_message_id: None,
            now,
        };
        // Without a quantity, whatever is left once the transfer is locked.
        let arrival = match quantity {
            Some(n) => Arrival::Part(id, n),
            None => Arrival::Ids(std::slice::from_ref(&id)),
        };
        receive(&mut tx, &mut book, &mut fx, &self.places, &m, arrival).await?;
        self.finish(tx, book, fx, Vec::new(), now).await?;
        locations::transfer(&self.db, id)
            .await?
            .ok_or(ShopError::NotFound("transfer"))
    }
}
