//! The `data` of each event type: one struct per type, one JSON shape whoever
//! causes the event. Changes are additive only (a new key, never a renamed or
//! retyped one); a breaking change gets a new event type instead.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    event::EventType,
    order::{OrderSource, OrderStatus},
};

/// An item as events name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemRef {
    pub id: i64,
    pub name: String,
    pub sku: Option<String>,
}

/// `inventory.updated`: one item's stock changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InventoryUpdated {
    pub item: ItemRef,
    /// The signed change.
    pub change: i64,
    pub quantity_before: i64,
    pub quantity_after: i64,
    /// Why: `sale`, `delivery`, `order`, `order_cancelled`, `count`, `import`, …
    pub reason: String,
    /// Who: a WhatsApp id, a token (`api:bk_…`) or an owner on the dashboard (`owner:<phone>`).
    pub actor: Option<String>,
    /// The chat message that caused it, if one did.
    pub source_message_id: Option<String>,
    /// 1, 2, 3… per item, in order of recording: a gap means a missed event.
    pub sequence: i64,
    /// Where the stock changed; `quantity_*` are the item's totals across
    /// every location, `location_quantity_after` what is left there.
    pub location: crate::domain::location::LocationRef,
    pub location_quantity_after: i64,
}

/// `stock.low`: an item fell to or below its threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StockLow {
    pub item: ItemRef,
    pub quantity: i64,
    pub threshold: i64,
    /// Per item, shared with `inventory.updated`.
    pub sequence: i64,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderLinePayload {
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
    /// Unit price in minor units (cents), when known.
    pub price_minor: Option<i64>,
}

/// An order as every order event carries it, whoever placed or moved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderPayload {
    pub id: i64,
    /// Short number customers see, e.g. `A7K2`.
    pub number: String,
    /// The customer's WhatsApp id.
    pub contact: String,
    pub status: OrderStatus,
    pub source: OrderSource,
    pub currency: Option<String>,
    /// Σ quantity × price in minor units; null when a line has no price.
    pub total_minor: Option<i64>,
    /// The chat message or catalogue cart that placed it; null otherwise.
    pub source_message_id: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
    pub lines: Vec<OrderLinePayload>,
}

impl OrderPayload {
    /// The total, when every line has a price.
    pub fn total_of(lines: &[OrderLinePayload]) -> Option<i64> {
        lines
            .iter()
            .map(|l| l.price_minor.map(|p| p * l.quantity))
            .sum()
    }
}

/// `order.created`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderCreated {
    pub order: OrderPayload,
    /// 1, 2, 3… per order, in order of recording.
    pub sequence: i64,
}

/// `order.confirmed`, `order.ready`, `order.fulfilled` and `order.cancelled`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderChanged {
    /// The order after the change.
    pub order: OrderPayload,
    pub previous_status: OrderStatus,
    /// Who moved it: a WhatsApp id, a token (`api:bk_…`) or an owner on the dashboard (`owner:<phone>`).
    pub changed_by: String,
    /// Per order, following `order.created`'s 1.
    pub sequence: i64,
}

/// `message.received`: a WhatsApp message came in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageReceived {
    pub message_id: String,
    pub from: Option<String>,
    pub profile_name: Option<String>,
    /// WhatsApp's message type: `text`, `audio`, `interactive`, `order`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The text, or what a voice note was heard to say.
    pub text: Option<String>,
    /// Seconds since the Unix epoch, as WhatsApp stamped it.
    pub timestamp: i64,
    /// What the shop understood it as, when it understood.
    pub intent: Option<String>,
}

/// `message.sent`: WhatsApp accepted a message the shop sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageSent {
    pub message_id: String,
    pub outbound_id: i64,
    pub to: Option<String>,
}

/// Why WhatsApp could not deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageError {
    pub code: i64,
    pub title: Option<String>,
}

/// `message.status`: WhatsApp's status callback for a sent message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageStatus {
    pub message_id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    pub recipient: Option<String>,
    /// Seconds since the Unix epoch.
    pub timestamp: i64,
    pub error: Option<MessageError>,
}

/// `contact.opted_out` / `contact.opted_in`: a person asked not to get (or
/// again to get) messages the shop starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContactConsent {
    /// Their WhatsApp id.
    pub contact: String,
    pub opted_out: bool,
    /// Who changed it: `contact` (they wrote STOP or START, or tapped a
    /// template's button), or `api:…` / `owner:…`.
    pub changed_by: String,
    /// What they wrote, when they wrote it themselves.
    pub keyword: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

/// `webhook.test`: sent on request, never recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookTest {
    pub message: String,
    /// The type whose sample rides along, when one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_event: Option<EventType>,
    /// A sample `data` of `sample_event` (not itself an event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub sample: Option<serde_json::Value>,
}

impl WebhookTest {
    /// The test event without a sample.
    pub fn plain() -> Self {
        Self {
            message: "This is a test event from backroom.".into(),
            sample_event: None,
            sample: None,
        }
    }
}
