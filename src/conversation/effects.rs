//! What handling one message produces besides stock changes: what to say,
//! events to record and alerts for owners. Everything here is written in the
//! batch's transaction.

use serde_json::json;

use super::{lang::Lang, prepare::Prepared, replies};
use crate::{
    inventory::{Applied, Origin, Refusal, StockBook},
    parsing::Parse,
    storage::{contacts::Role, events::NewEvent, items::ItemRow},
};

/// The person and message being handled.
pub(super) struct Turn<'a> {
    pub p: &'a Prepared,
    pub wa_id: &'a str,
    pub role: Role,
    pub lang: Lang,
    pub now: i64,
}

impl Turn<'_> {
    pub fn origin(&self, reason: &'static str) -> Origin {
        Origin {
            reason,
            actor: Some(self.wa_id.to_string()),
            source_message_id: Some(self.p.record.wamid.clone()),
        }
    }
}

/// Something to say back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Say {
    Text(String),
    /// A question with yes/no reply buttons for the stored action.
    Ask {
        text: String,
        action: i64,
    },
}

/// A "Did you mean…?" question waiting for a tap: the parse a "yes" applies.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Question {
    pub parse: Parse,
}

#[derive(Default)]
pub(super) struct Effects {
    pub events: Vec<NewEvent>,
    /// Low-stock alert lines for owners.
    pub alerts: Vec<String>,
}

impl Effects {
    /// Applies stock changes to the book and records what they cause:
    /// `inventory.updated` per line, `stock.low` when a line crosses its item's
    /// threshold downwards.
    pub fn change(
        &mut self,
        book: &mut StockBook,
        changes: &[(String, crate::inventory::Change)],
        origin: &Origin,
        default_threshold: i64,
    ) -> Result<Vec<Applied>, Refusal> {
        let applied = book.apply(changes, origin)?;
        for a in &applied {
            let Some(row) = book.get(&a.name) else {
                continue;
            };
            self.events.push(NewEvent::new(
                "inventory.updated",
                json!({
                    "item": item_json(row),
                    "change": a.after - a.before,
                    "quantity_before": a.before,
                    "quantity_after": a.after,
                    "reason": origin.reason,
                    "actor": origin.actor,
                    "source_message_id": origin.source_message_id,
                }),
            ));
            let threshold = row.threshold.unwrap_or(default_threshold);
            if threshold > 0 && a.before > threshold && a.after <= threshold {
                self.events.push(NewEvent::new(
                    "stock.low",
                    json!({ "item": item_json(row), "quantity": a.after, "threshold": threshold }),
                ));
                self.alerts
                    .push(replies::low_stock_alert(&a.name, a.after, threshold));
            }
        }
        Ok(applied)
    }

    pub fn message_received(&mut self, p: &Prepared, intent: Option<&str>) {
        let r = &p.record;
        self.events.push(NewEvent::derived(
            "message.received",
            &format!("{}\n{}", r.phone_number_id, r.wamid),
            json!({
                "message_id": r.wamid,
                "from": r.sender,
                "profile_name": r.profile_name,
                "type": r.msg_type,
                "text": p.heard.as_ref().or(r.body.as_ref()),
                "timestamp": r.sent_at,
                "intent": intent,
            }),
        ));
    }
}

/// How events describe an item.
pub(super) fn item_json(row: &ItemRow) -> serde_json::Value {
    json!({ "id": row.id, "name": row.name, "sku": row.sku })
}
