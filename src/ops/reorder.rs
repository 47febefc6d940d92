//! Reordering: the owners' low-stock alert with a "Reorder 50 from Acme"
//! button, what a tap or "reorder screws" orders, and the per-request
//! wrappers the API and the dashboard call.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    Shop, ShopError, notices,
    purchasing::{self, Wanted},
};
use crate::{
    config::WhatsAppSettings,
    domain::{
        message::{OutboundKind, OutboundStatus},
        purchase::PurchaseOrderPayload,
    },
    inventory::{Effects, LowStock, StockBook},
    storage::{
        self, WriteTx, contacts, outbound::NewOutbound, pending, purchase_orders, suppliers,
    },
    whatsapp::outbound::window::{self, Notice, Purpose},
};

/// How long an alert's reorder buttons work.
const OFFER_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// WhatsApp's limit on a reply button's title.
const TITLE_CHARS: usize = 20;

/// The stored action behind an alert's buttons: the supplier each orders from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderAsk {
    pub reorder: Vec<i64>,
}

/// A reply button's id, as `conversation::special::tap` reads it.
pub fn button_id(action: i64, n: usize) -> String {
    match n {
        0 => format!("pa:{action}:yes"),
        n => format!("pa:{action}:{n}"),
    }
}

/// Owners' low-stock alerts. Inside an owner's 24-hour window the alert
/// carries a button per supplier of a low item not yet on order.
pub async fn low_stock_alerts(
    tx: &mut WriteTx,
    wa: &WhatsAppSettings,
    low: &[LowStock],
    now: i64,
) -> Result<Vec<NewOutbound>, sqlx::Error> {
    if low.is_empty() {
        return Ok(Vec::new());
    }
    let notice = Notice::new(Purpose::Alert, notices::low_stock_alerts(low));
    let reorderable = suppliers::reorderable_in(tx, None).await?;
    let mut offers: Vec<(i64, String)> = Vec::new();
    for l in low {
        let Some(r) = reorderable
            .iter()
            .find(|r| r.name == l.name && r.on_order == 0)
        else {
            continue;
        };
        match offers.iter_mut().find(|o| o.0 == r.supplier_id) {
            Some(o) => o.1 = format!("Reorder from {}", r.supplier),
            None => offers.push((
                r.supplier_id,
                format!("Reorder {} from {}", r.reorder_qty, r.supplier),
            )),
        }
    }
    offers.truncate(3);
    let mut rows = Vec::new();
    for owner in contacts::owners_in(tx).await? {
        let mut row = window::compose(wa, &owner, &notice, now);
        let sendable = matches!(row.status, OutboundStatus::Queued | OutboundStatus::Sandbox);
        if !offers.is_empty() && row.kind == OutboundKind::Text && sendable {
            let ask = ReorderAsk {
                reorder: offers.iter().map(|o| o.0).collect(),
            };
            let action =
                serde_json::to_value(&ask).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            let id = pending::create(tx, &owner.wa_id, &action, now, now + OFFER_TTL_MS).await?;
            let buttons: Vec<serde_json::Value> = offers
                .iter()
                .enumerate()
                .map(|(n, (_, title))| {
                    let title: String = title.chars().take(TITLE_CHARS).collect();
                    json!({"type": "reply", "reply": {"id": button_id(id, n), "title": title}})
                })
                .collect();
            let content = json!({"type": "button", "body": {"text": notice.text},
                "action": {"buttons": buttons}});
            row.kind = OutboundKind::Interactive;
            row.content = Some(content.to_string());
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Orders from a supplier what of theirs is low and not on order, plus
/// `also` (an item named in "reorder screws") at its reorder quantity.
#[allow(clippy::too_many_arguments)]
pub async fn reorder(
    tx: &mut WriteTx,
    fx: &mut Effects,
    wa: &WhatsAppSettings,
    supplier_id: i64,
    also: Option<i64>,
    threshold: i64,
    by: &str,
    now: i64,
) -> Result<(PurchaseOrderPayload, NewOutbound), ShopError> {
    let supplier = suppliers::lock(tx, supplier_id)
        .await?
        .ok_or(ShopError::NotFound("supplier"))?;
    let items = suppliers::reorderable_in(tx, Some(supplier_id)).await?;
    let mut wanted = purchasing::gather(&items, threshold);
    if let Some(item) = also.and_then(|id| items.iter().find(|r| r.item_id == id)) {
        if item.on_order > 0 {
            return Err(ShopError::Conflict(format!(
                "{} already has {} on order",
                item.name, item.on_order
            )));
        }
        if !wanted.iter().any(|w| w.item_id == item.item_id) {
            wanted.push(Wanted {
                item_id: item.item_id,
                quantity: item.reorder_qty,
            });
        }
    }
    if wanted.is_empty() {
        return Err(ShopError::Conflict(format!(
            "nothing from {} is low and not already on order",
            supplier.name
        )));
    }
    purchasing::place(tx, fx, wa, &supplier, &wanted, by, now).await
}

impl Shop {
    /// Creates and sends a purchase order: the given lines, or (none given)
    /// the supplier's low items not already on order.
    pub async fn create_purchase_order(
        &self,
        supplier_id: i64,
        lines: Option<&[Wanted]>,
        actor: &str,
    ) -> Result<PurchaseOrderPayload, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        let mut fx = self.effects();
        let wa = &self.settings.whatsapp;
        let (po, message) = match lines {
            None => {
                reorder(
                    &mut tx,
                    &mut fx,
                    wa,
                    supplier_id,
                    None,
                    self.threshold(),
                    actor,
                    now,
                )
                .await?
            }
            Some(lines) => {
                let supplier = suppliers::lock(&mut tx, supplier_id)
                    .await?
                    .ok_or(ShopError::NotFound("supplier"))?;
                purchasing::place(&mut tx, &mut fx, wa, &supplier, lines, actor, now).await?
            }
        };
        self.finish(tx, StockBook::default(), fx, vec![message], now)
            .await?;
        Ok(po)
    }

    /// Receives goods of a purchase order (all that is left when `lines` is
    /// `None`) into stock; closes the order when complete.
    pub async fn receive_purchase_order(
        &self,
        id: i64,
        lines: Option<&[Wanted]>,
        location: i64,
        actor: &str,
    ) -> Result<PurchaseOrderPayload, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        let po = purchase_orders::lock(&mut tx, id)
            .await?
            .ok_or(ShopError::NotFound("purchase order"))?;
        let mut book = StockBook::default();
        let mut fx = self.effects();
        let done = purchasing::receive(
            &mut tx, &mut book, &mut fx, &po, lines, actor, None, location, now,
        )
        .await?;
        self.finish(tx, book, fx, Vec::new(), now).await?;
        Ok(done)
    }
}

impl Shop {
    /// Cancels an open purchase order and tells the supplier.
    pub async fn cancel_purchase_order(
        &self,
        id: i64,
        actor: &str,
    ) -> Result<PurchaseOrderPayload, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        let po = purchase_orders::lock(&mut tx, id)
            .await?
            .ok_or(ShopError::NotFound("purchase order"))?;
        let mut fx = self.effects();
        let wa = &self.settings.whatsapp;
        let (done, message) = purchasing::cancel(&mut tx, &mut fx, wa, &po, actor, now).await?;
        self.finish(tx, StockBook::default(), fx, vec![message], now)
            .await?;
        Ok(done)
    }
}
