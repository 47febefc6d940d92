//! Purchase orders: made and sent to the supplier, and goods received into
//! stock, inside the caller's transaction and stock book. The chat (a tap on
//! an alert's button, "reorder screws", "received PO-12: 40 screws"), the API
//! and the dashboard all come through here, so an order, its message to the
//! supplier, its stock and its events are the same whoever caused them.

use super::ShopError;
use crate::{
    config::WhatsAppSettings,
    domain::{
        event::Event,
        ledger::Reason,
        purchase::{PurchaseOrderChanged, PurchaseOrderPayload, PurchaseOrderReceived},
        purchase::{PurchaseStatus, ReceivedLine},
    },
    inventory::{Change, Effects, Origin, StockBook},
    storage::{
        WriteTx, catalogue, contacts,
        events::NewEvent,
        outbound::NewOutbound,
        purchase_orders::{self, PoRow},
        suppliers::{Reorderable, SupplierRow},
    },
    whatsapp::outbound::window::{self, Notice, Purpose},
};

/// One line to order or to receive: an item and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub item_id: i64,
    pub quantity: i64,
}

/// The low items of a supplier that are not on order already, at their
/// reorder quantities: what one tap or "reorder" gathers into one order.
pub fn gather(items: &[Reorderable], default_threshold: i64) -> Vec<Wanted> {
    items
        .iter()
        .filter(|r| r.quantity <= r.threshold.unwrap_or(default_threshold) && r.on_order == 0)
        .map(|r| Wanted {
            item_id: r.item_id,
            quantity: r.reorder_qty,
        })
        .collect()
}

/// Writes a purchase order to `supplier`, records `purchase_order.created`
/// and `purchase_order.sent`, and returns it with the message that sends it
/// (text inside the supplier's 24-hour window, the template outside it,
/// held otherwise).
pub async fn place(
    tx: &mut WriteTx,
    fx: &mut Effects,
    wa: &WhatsAppSettings,
    supplier: &SupplierRow,
    lines: &[Wanted],
    by: &str,
    now: i64,
) -> Result<(PurchaseOrderPayload, NewOutbound), ShopError> {
    if lines.is_empty() {
        return Err(ShopError::Conflict("nothing to order".into()));
    }
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for l in lines {
        if catalogue::lock_id(tx, l.item_id).await?.is_none() {
            return Err(ShopError::NotFound("item"));
        }
        match merged.iter_mut().find(|m| m.0 == l.item_id) {
            Some(m) => m.1 += l.quantity,
            None => merged.push((l.item_id, l.quantity)),
        }
    }
    let id = purchase_orders::create(tx, supplier.id, by, &merged, now).await?;
    let po = purchase_orders::lock(tx, id)
        .await?
        .ok_or(ShopError::NotFound("purchase order"))?;
    let payload = po.payload(&purchase_orders::lines_in(tx, id).await?);
    for kind in [
        crate::domain::event::EventType::PurchaseOrderCreated,
        crate::domain::event::EventType::PurchaseOrderSent,
    ] {
        let change = PurchaseOrderChanged {
            purchase_order: payload.clone(),
            changed_by: by.to_string(),
            sequence: 0,
        };
        fx.events
            .push(NewEvent::new(Event::PurchaseOrder(kind, change)));
    }
    let to = contacts::recipient_in(tx, &supplier.wa_id).await?;
    let text = super::notices::purchase_order(&payload);
    let message = window::compose(wa, &to, &Notice::new(Purpose::PurchaseOrder, text), now);
    Ok((payload, message))
}

/// Receives goods of an open order into `book`: every outstanding line when
/// `lines` is `None`. Refuses (changing nothing) an item the order lacks or
/// more than is still to come. Records `purchase_order.received`, and
/// `purchase_order.closed` when nothing is left to come.
#[allow(clippy::too_many_arguments)]
pub async fn receive(
    tx: &mut WriteTx,
    book: &mut StockBook,
    fx: &mut Effects,
    po: &PoRow,
    lines: Option<&[Wanted]>,
    by: &str,
    source_message_id: Option<String>,
    location: i64,
    now: i64,
) -> Result<PurchaseOrderPayload, ShopError> {
    if !po.status.is_open() {
        return Err(ShopError::Conflict(format!(
            "{} is {}: nothing more to receive",
            po.reference,
            po.status.words()
        )));
    }
    let mut current = purchase_orders::lines_in(tx, po.id).await?;
    let wanted: Vec<Wanted> = match lines {
        Some(l) => l.to_vec(),
        None => current
            .iter()
            .filter(|l| l.quantity > l.received)
            .map(|l| Wanted {
                item_id: l.item_id,
                quantity: l.quantity - l.received,
            })
            .collect(),
    };
    let mut received = Vec::new();
    for w in &wanted {
        let Some(line) = current.iter_mut().find(|l| l.item_id == w.item_id) else {
            return Err(ShopError::Conflict(format!(
                "item {} is not on {}",
                w.item_id, po.reference
            )));
        };
        let left = line.quantity - line.received;
        if w.quantity < 1 || w.quantity > left {
            return Err(ShopError::Conflict(format!(
                "{}: {left} still to come on {}, not {}",
                line.name, po.reference, w.quantity
            )));
        }
        line.received += w.quantity;
        received.push(ReceivedLine {
            item_id: line.item_id,
            name: line.name.clone(),
            quantity: w.quantity,
        });
    }
    if received.is_empty() {
        return Err(ShopError::Conflict("nothing to receive".into()));
    }
    for r in &received {
        if book.get(&r.name).is_none() {
            book.extend(
                catalogue::lock_id(tx, r.item_id)
                    .await?
                    .into_iter()
                    .collect(),
            );
        }
    }
    let origin = Origin {
        reason: Reason::Received.as_str(),
        // The ledger line names the order; undo (by actor) leaves it alone.
        actor: Some(format!("{} by {by}", po.reference)),
        source_message_id,
        location,
    };
    let changes: Vec<(String, Change)> = received
        .iter()
        .map(|r| (r.name.clone(), Change::Add(r.quantity)))
        .collect();
    fx.change(book, &changes, &origin)
        .map_err(ShopError::Refused)?;
    for line in &current {
        purchase_orders::set_received(tx, po.id, line.item_id, line.received);
    }
    let done = current.iter().all(|l| l.received >= l.quantity);
    let mut moved = po.clone();
    moved.status = if done {
        PurchaseStatus::Closed
    } else {
        PurchaseStatus::PartlyReceived
    };
    moved.closed_at = done.then_some(now);
    purchase_orders::set_status(tx, po.id, moved.status, moved.closed_at);
    let payload = moved.payload(&current);
    fx.events.push(NewEvent::new(Event::PurchaseOrderReceived(
        PurchaseOrderReceived {
            purchase_order: payload.clone(),
            received,
            changed_by: by.to_string(),
            sequence: 0,
        },
    )));
    if done {
        let change = PurchaseOrderChanged {
            purchase_order: payload.clone(),
            changed_by: by.to_string(),
            sequence: 0,
        };
        let closed = crate::domain::event::EventType::PurchaseOrderClosed;
        fx.events
            .push(NewEvent::new(Event::PurchaseOrder(closed, change)));
    }
    Ok(payload)
}

/// Cancels an open order: nothing more is expected, what arrived stays. The
/// supplier is told (like the order itself, by the 24-hour window) and
/// `purchase_order.closed` is recorded with the status `cancelled`.
pub async fn cancel(
    tx: &mut WriteTx,
    fx: &mut Effects,
    wa: &WhatsAppSettings,
    po: &PoRow,
    by: &str,
    now: i64,
) -> Result<(PurchaseOrderPayload, NewOutbound), ShopError> {
    if !po.status.is_open() {
        return Err(ShopError::Conflict(format!(
            "{} is {}: it cannot be cancelled",
            po.reference,
            po.status.words()
        )));
    }
    let lines = purchase_orders::lines_in(tx, po.id).await?;
    let supplier = crate::storage::suppliers::lock(tx, po.supplier_id)
        .await?
        .ok_or(ShopError::NotFound("supplier"))?;
    let mut moved = po.clone();
    moved.status = PurchaseStatus::Cancelled;
    moved.closed_at = Some(now);
    purchase_orders::set_status(tx, po.id, moved.status, moved.closed_at);
    let payload = moved.payload(&lines);
    let change = PurchaseOrderChanged {
        purchase_order: payload.clone(),
        changed_by: by.to_string(),
        sequence: 0,
    };
    let closed = crate::domain::event::EventType::PurchaseOrderClosed;
    fx.events
        .push(NewEvent::new(Event::PurchaseOrder(closed, change)));
    let to = contacts::recipient_in(tx, &supplier.wa_id).await?;
    let text = format!(
        "❌ Purchase order {} is cancelled: please do not deliver what has not been sent yet. Thank you.",
        po.reference
    );
    let message = window::compose(wa, &to, &Notice::new(Purpose::PurchaseOrder, text), now);
    Ok((payload, message))
}
