//! A plausible event of each type, for the test button and the docs: built
//! from the domain types, so a sample always has the published shape.

use super::{
    event::{
        ContactConsent, Event, EventType, InventoryUpdated, ItemRef, MessageReceived, MessageSent,
        MessageStatus, OrderChanged, OrderCreated, OrderLinePayload, OrderPayload, StockLow,
        WebhookTest,
    },
    order::{OrderSource, OrderStatus},
    purchase::{
        PurchaseLine, PurchaseOrderChanged, PurchaseOrderPayload, PurchaseOrderReceived,
        PurchaseStatus, ReceivedLine, SupplierRef,
    },
};

/// A plausible event of each type, in the published shape.
pub fn sample(kind: EventType) -> Event {
    let item = ItemRef {
        id: 1,
        name: "hammer".into(),
        sku: Some("HAM-16".into()),
    };
    let customer = "27825550142".to_string();
    let at = 1_781_000_000_000;
    let mut order = OrderPayload {
        id: 1,
        number: "A7K2".into(),
        contact: customer.clone(),
        status: OrderStatus::Placed,
        source: OrderSource::Chat,
        currency: None,
        total_minor: Some(37_998),
        source_message_id: Some("wamid.TEST".into()),
        created_at: at,
        updated_at: at,
        lines: vec![OrderLinePayload {
            item_id: 1,
            name: "hammer".into(),
            quantity: 2,
            price_minor: Some(18_999),
        }],
    };
    let message_id = "wamid.TEST".to_string();
    match kind {
        EventType::InventoryUpdated => Event::InventoryUpdated(InventoryUpdated {
            item,
            change: -2,
            quantity_before: 10,
            quantity_after: 8,
            reason: "order".into(),
            actor: Some(customer),
            source_message_id: Some(message_id),
            sequence: 7,
            location: super::location::LocationRef {
                id: 1,
                name: "Main Street".into(),
            },
            location_quantity_after: 5,
        }),
        EventType::StockLow => Event::StockLow(StockLow {
            item,
            quantity: 4,
            threshold: 5,
            sequence: 8,
        }),
        EventType::OrderCreated => Event::OrderCreated(OrderCreated { order, sequence: 1 }),
        EventType::MessageReceived => Event::MessageReceived(MessageReceived {
            message_id,
            from: Some(customer),
            profile_name: Some("Thandi".into()),
            kind: "text".into(),
            text: Some("do you have hammers?".into()),
            timestamp: at / 1000,
            intent: None,
        }),
        EventType::MessageSent => Event::MessageSent(MessageSent {
            message_id,
            outbound_id: 1,
            to: Some(customer),
        }),
        EventType::MessageStatus => Event::MessageStatus(MessageStatus {
            message_id,
            status: "delivered".into(),
            recipient: Some(customer),
            timestamp: at / 1000,
            error: None,
        }),
        EventType::WebhookTest => Event::WebhookTest(WebhookTest::plain()),
        EventType::ContactOptedOut | EventType::ContactOptedIn => {
            let opted_out = kind == EventType::ContactOptedOut;
            Event::Consent(ContactConsent {
                contact: customer,
                opted_out,
                changed_by: "contact".into(),
                keyword: Some(if opted_out { "STOP" } else { "START" }.into()),
                at,
            })
        }
        EventType::PurchaseOrderCreated
        | EventType::PurchaseOrderSent
        | EventType::PurchaseOrderClosed => {
            let closed = kind == EventType::PurchaseOrderClosed;
            let mut po = purchase_order(at);
            if closed {
                po.status = PurchaseStatus::Closed;
                po.closed_at = Some(at + 86_400_000);
                po.lines[0].received = po.lines[0].quantity;
            }
            Event::PurchaseOrder(
                kind,
                PurchaseOrderChanged {
                    purchase_order: po,
                    changed_by: customer,
                    sequence: if closed { 4 } else { 1 },
                },
            )
        }
        EventType::PurchaseOrderReceived => {
            let mut po = purchase_order(at);
            po.status = PurchaseStatus::PartlyReceived;
            po.lines[0].received = 20;
            Event::PurchaseOrderReceived(PurchaseOrderReceived {
                purchase_order: po,
                received: vec![ReceivedLine {
                    item_id: 1,
                    name: "hammer".into(),
                    quantity: 20,
                }],
                changed_by: customer,
                sequence: 3,
            })
        }
        moved => {
            order.status = OrderStatus::ALL
                .into_iter()
                .find(|st| EventType::for_status(*st) == Some(moved))
                .unwrap_or(OrderStatus::Cancelled);
            Event::OrderChanged(OrderChanged {
                order,
                previous_status: OrderStatus::Placed,
                changed_by: "api:warehouse".into(),
                sequence: 2,
            })
        }
    }
}

/// A purchase order of 50 hammers from Acme, just sent.
fn purchase_order(at: i64) -> PurchaseOrderPayload {
    PurchaseOrderPayload {
        id: 12,
        reference: "PO-12".into(),
        supplier: SupplierRef {
            id: 1,
            name: "Acme".into(),
        },
        status: PurchaseStatus::Sent,
        created_at: at,
        sent_at: Some(at),
        closed_at: None,
        lines: vec![PurchaseLine {
            item_id: 1,
            name: "hammer".into(),
            quantity: 50,
            received: 0,
        }],
    }
}
