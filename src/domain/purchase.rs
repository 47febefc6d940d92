//! Purchase orders to suppliers: where one stands, and the `data` of the
//! `purchase_order.*` events (one shape for all four; `received` adds what
//! arrived).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a purchase order stands. There is no draft: an order is sent to the
/// supplier in the transaction that creates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseStatus {
    /// Queued to the supplier on WhatsApp; nothing received yet.
    Sent,
    /// Some lines (or part of one) received.
    PartlyReceived,
    /// Everything received.
    Closed,
    Cancelled,
}

impl PurchaseStatus {
    pub const ALL: [PurchaseStatus; 4] = [
        Self::Sent,
        Self::PartlyReceived,
        Self::Closed,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::PartlyReceived => "partly_received",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Still waiting for goods: counted as "on order".
    pub fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::PartlyReceived)
    }

    /// For people.
    pub fn words(self) -> &'static str {
        match self {
            Self::Sent => "sent — waiting for delivery",
            Self::PartlyReceived => "partly received",
            Self::Closed => "received in full",
            Self::Cancelled => "cancelled",
        }
    }
}

named!(display: PurchaseStatus);
named!(parse: PurchaseStatus);

/// A supplier as events name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SupplierRef {
    pub id: i64,
    pub name: String,
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseLine {
    pub item_id: i64,
    pub name: String,
    /// Ordered.
    pub quantity: i64,
    /// Received so far.
    pub received: i64,
}

/// A purchase order as every `purchase_order.*` event carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseOrderPayload {
    pub id: i64,
    /// What people and suppliers call it: `PO-12`.
    pub reference: String,
    pub supplier: SupplierRef,
    pub status: PurchaseStatus,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub lines: Vec<PurchaseLine>,
}

/// `purchase_order.created`, `purchase_order.sent` and `purchase_order.closed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseOrderChanged {
    pub purchase_order: PurchaseOrderPayload,
    /// Who caused it: a WhatsApp id, a token (`api:bk_…`) or `owner:<phone>`.
    pub changed_by: String,
    /// 1, 2, 3… per purchase order, in order of recording.
    pub sequence: i64,
}

/// What arrived in one receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReceivedLine {
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
}

/// `purchase_order.received`: goods arrived (part or all of the order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseOrderReceived {
    /// The order after the receipt.
    pub purchase_order: PurchaseOrderPayload,
    pub received: Vec<ReceivedLine>,
    pub changed_by: String,
    pub sequence: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back() {
        for s in PurchaseStatus::ALL {
            assert_eq!(s.as_str().parse::<PurchaseStatus>(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!(PurchaseStatus::PartlyReceived.is_open() && !PurchaseStatus::Closed.is_open());
    }
}
