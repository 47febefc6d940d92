//! Events subscribers receive: the type names, and one `Event` value per thing
//! that happened, whose `data` has one JSON shape per type (see `payload`).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::order::{OrderStatus, Unknown};
pub use super::payload::*;
pub use super::purchase::{PurchaseOrderChanged, PurchaseOrderPayload, PurchaseOrderReceived};

/// Every event type, as subscriptions name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    #[serde(rename = "message.received")]
    MessageReceived,
    #[serde(rename = "message.sent")]
    MessageSent,
    #[serde(rename = "message.status")]
    MessageStatus,
    #[serde(rename = "inventory.updated")]
    InventoryUpdated,
    #[serde(rename = "stock.low")]
    StockLow,
    #[serde(rename = "order.created")]
    OrderCreated,
    #[serde(rename = "order.confirmed")]
    OrderConfirmed,
    #[serde(rename = "order.ready")]
    OrderReady,
    #[serde(rename = "order.fulfilled")]
    OrderFulfilled,
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    #[serde(rename = "contact.opted_out")]
    ContactOptedOut,
    #[serde(rename = "contact.opted_in")]
    ContactOptedIn,
    #[serde(rename = "purchase_order.created")]
    PurchaseOrderCreated,
    #[serde(rename = "purchase_order.sent")]
    PurchaseOrderSent,
    #[serde(rename = "purchase_order.received")]
    PurchaseOrderReceived,
    #[serde(rename = "purchase_order.closed")]
    PurchaseOrderClosed,
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventType {
    pub const ALL: [EventType; 17] = [
        Self::MessageReceived,
        Self::MessageSent,
        Self::MessageStatus,
        Self::InventoryUpdated,
        Self::StockLow,
        Self::OrderCreated,
        Self::OrderConfirmed,
        Self::OrderReady,
        Self::OrderFulfilled,
        Self::OrderCancelled,
        Self::ContactOptedOut,
        Self::ContactOptedIn,
        Self::PurchaseOrderCreated,
        Self::PurchaseOrderSent,
        Self::PurchaseOrderReceived,
        Self::PurchaseOrderClosed,
        Self::WebhookTest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessageReceived => "message.received",
            Self::MessageSent => "message.sent",
            Self::MessageStatus => "message.status",
            Self::InventoryUpdated => "inventory.updated",
            Self::StockLow => "stock.low",
            Self::OrderCreated => "order.created",
            Self::OrderConfirmed => "order.confirmed",
            Self::OrderReady => "order.ready",
            Self::OrderFulfilled => "order.fulfilled",
            Self::OrderCancelled => "order.cancelled",
            Self::ContactOptedOut => "contact.opted_out",
            Self::ContactOptedIn => "contact.opted_in",
            Self::PurchaseOrderCreated => "purchase_order.created",
            Self::PurchaseOrderSent => "purchase_order.sent",
            Self::PurchaseOrderReceived => "purchase_order.received",
            Self::PurchaseOrderClosed => "purchase_order.closed",
            Self::WebhookTest => "webhook.test",
        }
    }

    /// The name of its `data` schema in the OpenAPI document.
    pub fn schema_name(self) -> &'static str {
        match self {
            Self::MessageReceived => "MessageReceived",
            Self::MessageSent => "MessageSent",
            Self::MessageStatus => "MessageStatus",
            Self::InventoryUpdated => "InventoryUpdated",
            Self::StockLow => "StockLow",
            Self::OrderCreated => "OrderCreated",
            Self::OrderConfirmed | Self::OrderReady | Self::OrderFulfilled => "OrderChanged",
            Self::OrderCancelled => "OrderChanged",
            Self::ContactOptedOut | Self::ContactOptedIn => "ContactConsent",
            Self::PurchaseOrderCreated | Self::PurchaseOrderSent | Self::PurchaseOrderClosed => {
                "PurchaseOrderChanged"
            }
            Self::PurchaseOrderReceived => "PurchaseOrderReceived",
            Self::WebhookTest => "WebhookTest",
        }
    }

    /// The event an order moving to `status` records (none for `placed`,
    /// which is `order.created`).
    pub fn for_status(status: OrderStatus) -> Option<EventType> {
        match status {
            OrderStatus::Placed => None,
            OrderStatus::Confirmed => Some(Self::OrderConfirmed),
            OrderStatus::Ready => Some(Self::OrderReady),
            OrderStatus::Fulfilled => Some(Self::OrderFulfilled),
            OrderStatus::Cancelled => Some(Self::OrderCancelled),
        }
    }

    /// Whether a subscription pattern (`*`, an exact type or `prefix.*`) takes it.
    pub fn matches(self, pattern: &str) -> bool {
        match pattern.strip_suffix('*') {
            Some(prefix) => self.as_str().starts_with(prefix),
            None => self.as_str() == pattern,
        }
    }

    /// Whether a pattern names at least one type.
    pub fn is_pattern(pattern: &str) -> bool {
        (pattern == "*" || pattern.ends_with(".*") || !pattern.contains('*'))
            && Self::ALL.iter().any(|t| t.matches(pattern))
    }
}

impl FromStr for EventType {
    type Err = Unknown;
    fn from_str(s: &str) -> Result<Self, Unknown> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| Unknown(s.to_string()))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing that happened, with its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    MessageReceived(MessageReceived),
    MessageSent(MessageSent),
    MessageStatus(MessageStatus),
    InventoryUpdated(InventoryUpdated),
    StockLow(StockLow),
    OrderCreated(OrderCreated),
    /// Any status change but to `placed`; its type follows the new status.
    OrderChanged(OrderChanged),
    /// `contact.opted_out` or `contact.opted_in`, as `opted_out` says.
    Consent(ContactConsent),
    /// `purchase_order.created`, `.sent` or `.closed`, as the type says.
    PurchaseOrder(EventType, PurchaseOrderChanged),
    PurchaseOrderReceived(PurchaseOrderReceived),
    WebhookTest(WebhookTest),
}

impl Event {
    pub fn kind(&self) -> EventType {
        match self {
            Self::MessageReceived(_) => EventType::MessageReceived,
            Self::MessageSent(_) => EventType::MessageSent,
            Self::MessageStatus(_) => EventType::MessageStatus,
            Self::InventoryUpdated(_) => EventType::InventoryUpdated,
            Self::StockLow(_) => EventType::StockLow,
            Self::OrderCreated(_) => EventType::OrderCreated,
            // Construction guarantees a status after `placed`.
            Self::OrderChanged(c) => {
                EventType::for_status(c.order.status).unwrap_or(EventType::OrderCreated)
            }
            Self::Consent(c) if c.opted_out => EventType::ContactOptedOut,
            Self::Consent(_) => EventType::ContactOptedIn,
            Self::PurchaseOrder(kind, _) => *kind,
            Self::PurchaseOrderReceived(_) => EventType::PurchaseOrderReceived,
            Self::WebhookTest(_) => EventType::WebhookTest,
        }
    }

    /// An order's status change; `None` for a move to `placed`.
    pub fn order_changed(change: OrderChanged) -> Option<Self> {
        EventType::for_status(change.order.status).map(|_| Self::OrderChanged(change))
    }

    /// The event's `data` as JSON.
    pub fn data(&self) -> serde_json::Value {
        let v = match self {
            Self::MessageReceived(p) => serde_json::to_value(p),
            Self::MessageSent(p) => serde_json::to_value(p),
            Self::MessageStatus(p) => serde_json::to_value(p),
            Self::InventoryUpdated(p) => serde_json::to_value(p),
            Self::StockLow(p) => serde_json::to_value(p),
            Self::OrderCreated(p) => serde_json::to_value(p),
            Self::OrderChanged(p) => serde_json::to_value(p),
            Self::Consent(p) => serde_json::to_value(p),
            Self::PurchaseOrder(_, p) => serde_json::to_value(p),
            Self::PurchaseOrderReceived(p) => serde_json::to_value(p),
            Self::WebhookTest(p) => serde_json::to_value(p),
        };
        // Plain structs of strings and numbers always serialise.
        v.unwrap_or_default()
    }

    /// What it is about (`order:12`, `item:3`, `message:wamid.…`): ordered
    /// subscriptions deliver one entity's events one after another.
    pub fn entity(&self) -> Option<String> {
        match self {
            Self::MessageReceived(m) => Some(format!("message:{}", m.message_id)),
            Self::MessageSent(m) => Some(format!("message:{}", m.message_id)),
            Self::MessageStatus(m) => Some(format!("message:{}", m.message_id)),
            Self::Consent(c) => Some(format!("contact:{}", c.contact)),
            Self::WebhookTest(_) => None,
            _ => self.sequenced_entity(),
        }
    }

    /// The item or order whose `sequence` this event carries.
    pub fn sequenced_entity(&self) -> Option<String> {
        match self {
            Self::InventoryUpdated(p) => Some(format!("item:{}", p.item.id)),
            Self::StockLow(p) => Some(format!("item:{}", p.item.id)),
            Self::OrderCreated(p) => Some(format!("order:{}", p.order.id)),
            Self::OrderChanged(p) => Some(format!("order:{}", p.order.id)),
            Self::PurchaseOrder(_, p) => Some(format!("purchase_order:{}", p.purchase_order.id)),
            Self::PurchaseOrderReceived(p) => {
                Some(format!("purchase_order:{}", p.purchase_order.id))
            }
            _ => None,
        }
    }

    /// Sets the per-entity sequence number (storage assigns it on recording).
    pub fn set_sequence(&mut self, n: i64) {
        match self {
            Self::InventoryUpdated(p) => p.sequence = n,
            Self::StockLow(p) => p.sequence = n,
            Self::OrderCreated(p) => p.sequence = n,
            Self::OrderChanged(p) => p.sequence = n,
            Self::PurchaseOrder(_, p) => p.sequence = n,
            Self::PurchaseOrderReceived(p) => p.sequence = n,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_match_and_serialise_as_their_names() {
        for t in EventType::ALL {
            assert_eq!(t.as_str().parse::<EventType>(), Ok(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
            assert!(t.matches("*") && t.matches(t.as_str()));
        }
        assert!(EventType::OrderReady.matches("order.*"));
        assert!(!EventType::StockLow.matches("order.*"));
        assert!(EventType::is_pattern("order.*") && EventType::is_pattern("stock.low"));
        assert!(!EventType::is_pattern("orders.*") && !EventType::is_pattern("ord*"));
    }
}
