//! Purchase orders in the chat: "reorder screws", "received PO-12",
//! "received PO-12: 40 screws, 10 bolts", "received the Acme order", and
//! taps on the alert's "Reorder 50 from Acme" button. The wording is read
//! strictly here (anything else goes to the parser); a receipt that does not
//! fit its order is explained back, never guessed at, and an order that is
//! not clear (two open orders from Acme) is asked about with buttons.

use serde::{Deserialize, Serialize};

pub(super) use super::purchase_words::{Purchase, read};
use super::{
    Conversation,
    confirm::QUESTION_TTL_MS,
    replies,
    turn::{Say, Turn, Work},
};
use crate::{
    ops::{
        ShopError,
        purchasing::{self, Wanted},
        reorder,
    },
    storage::{
        pending,
        purchase_orders::{self, PoRow},
        suppliers,
    },
};

/// The stored action behind "Which order?": the order each button receives.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ReceiveAsk {
    pub receive: Vec<i64>,
}

impl Conversation {
    /// Does a purchasing message from staff.
    pub(super) async fn purchase(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        p: &Purchase,
    ) -> Result<Vec<Say>, sqlx::Error> {
        if !t.role.keeps_stock() {
            return Ok(vec![Say::Text(replies::staff_only(t.lang))]);
        }
        let text = match p {
            Purchase::Unclear => replies::purchase::receipt_form(),
            Purchase::Reorder(name) => {
                let items = suppliers::reorderable_in(w.tx, None).await?;
                match items.iter().find(|r| r.name == *name) {
                    None => replies::purchase::no_supplier(name),
                    Some(r) => {
                        let (id, item) = (r.supplier_id, Some(r.item_id));
                        return self.reorder(w, t, id, item).await;
                    }
                }
            }
            Purchase::Receive {
                reference: Some(r),
                lines,
                ..
            } => match purchase_orders::open_in(w.tx, Some(r), None).await?.first() {
                None => replies::purchase::no_open(r),
                Some(po) => return self.receive(w, t, po.id, lines).await,
            },
            Purchase::Receive { supplier, .. } => {
                let name = supplier.as_deref().unwrap_or_default();
                let mut open = Vec::new();
                for s in suppliers::named_in(w.tx, name).await? {
                    open.extend(purchase_orders::open_in(w.tx, None, Some(s.id)).await?);
                }
                match open.as_slice() {
                    [] => replies::purchase::no_open(name),
                    [po] => return self.receive(w, t, po.id, &[]).await,
                    several => return Ok(vec![self.which_order(w, t, several).await?]),
                }
            }
        };
        Ok(vec![Say::Text(text)])
    }

    /// Two or more open orders fit: a button for each (up to three).
    async fn which_order(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        open: &[PoRow],
    ) -> Result<Say, sqlx::Error> {
        let open = &open[..open.len().min(3)];
        let ask = ReceiveAsk {
            receive: open.iter().map(|p| p.id).collect(),
        };
        let action =
            serde_json::to_value(&ask).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let id = pending::create(w.tx, t.wa_id, &action, t.now, t.now + QUESTION_TTL_MS).await?;
        Ok(Say::Ask {
            text: replies::purchase::which_order(open),
            action: id,
            choices: open.iter().map(|p| p.reference.clone()).collect(),
            no: None,
        })
    }

    /// Orders from a supplier (a tap on the alert's button, or "reorder").
    pub(super) async fn reorder(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        supplier_id: i64,
        item: Option<i64>,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let wa = &self.settings.whatsapp;
        let threshold = self.prefs.threshold();
        match reorder::reorder(w.tx, w.fx, wa, supplier_id, item, threshold, t.wa_id, t.now).await {
            Ok((po, message)) => {
                w.sends.push(message);
                Ok(vec![Say::Text(replies::purchase::ordered(&po))])
            }
            Err(e) => refused(e),
        }
    }

    /// Receives into stock what a message or a tap says arrived.
    pub(super) async fn receive(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        po_id: i64,
        named: &[(i64, String)],
    ) -> Result<Vec<Say>, sqlx::Error> {
        let Some(po) = purchase_orders::lock(w.tx, po_id).await? else {
            return Ok(vec![Say::Text(replies::question_expired(t.lang))]);
        };
        let on_order = purchase_orders::lines_in(w.tx, po.id).await?;
        let mut lines = Vec::new();
        for (quantity, name) in named {
            let Some(line) = on_order.iter().find(|l| l.name == *name) else {
                return Ok(vec![Say::Text(replies::purchase::not_on(
                    &po.reference,
                    name,
                    &on_order,
                ))]);
            };
            lines.push(Wanted {
                item_id: line.item_id,
                quantity: *quantity,
            });
        }
        let lines = (!lines.is_empty()).then_some(lines.as_slice());
        let wamid = Some(t.p.record.wamid.clone());
        let received = purchasing::receive(
            w.tx, w.book, w.fx, &po, lines, t.wa_id, wamid, t.location, t.now,
        );
        match received.await {
            Ok(done) => Ok(vec![Say::Text(replies::purchase::received(&done))]),
            Err(e) => refused(e),
        }
    }
}

/// A refusal is said back; a database error fails the batch.
fn refused(e: ShopError) -> Result<Vec<Say>, sqlx::Error> {
    match e {
        ShopError::Conflict(why) => Ok(vec![Say::Text(format!("⚠️ {why}. Nothing changed."))]),
        ShopError::NotFound(what) => Ok(vec![Say::Text(format!(
            "⚠️ No such {what}. Nothing changed."
        ))]),
        other => Err(other.into_db()),
    }
}
