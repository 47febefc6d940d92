//! Placing an order and moving it along, inside the caller's transaction and
//! stock book: the chat (one transaction per batch of messages), the API and
//! the dashboard (one per request) all go through these two functions, so an
//! order, its stock and its events are the same whoever caused them.

use super::ShopError;
use crate::{
    domain::{
        event::{Event, OrderChanged, OrderCreated, OrderLinePayload, OrderPayload},
        location::FIRST,
        order::{OrderSource, OrderStatus},
    },
    inventory::{Change, Effects, Origin, StockBook},
    storage::{
        WriteTx, catalogue,
        events::NewEvent,
        orders::{self, LineRow, NewLine, OrderRow},
    },
};

/// An order to place, wherever it comes from.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// The customer's WhatsApp id.
    pub contact: String,
    pub source: OrderSource,
    /// Who placed it, and the message that did (for the ledger and events).
    pub origin: Origin,
    pub currency: Option<String>,
    /// Item name as the book knows it, quantity, unit price in minor units.
    pub lines: Vec<(String, i64, Option<i64>)>,
}

/// Takes the stock for `order` from `book` (every line or none) and writes the
/// order and its `order.created`. The items must already be in `book`.
pub async fn place(
    tx: &mut WriteTx,
    book: &mut StockBook,
    fx: &mut Effects,
    order: NewOrder,
    now: i64,
) -> Result<OrderPayload, ShopError> {
    let changes: Vec<(String, Change)> = order
        .lines
        .iter()
        .map(|(name, quantity, _)| (name.clone(), Change::Remove(*quantity)))
        .collect();
    fx.change(book, &changes, &order.origin)
        .map_err(ShopError::Refused)?;
    let lines: Vec<NewLine> = order
        .lines
        .iter()
        .filter_map(|(name, quantity, price)| {
            let row = book.get(name)?;
            Some(NewLine {
                item_id: row.id,
                name: name.clone(),
                quantity: *quantity,
                price_minor: *price,
            })
        })
        .collect();
    let number = super::order_number(tx).await?;
    let source_message_id = order.origin.source_message_id.clone();
    let id = orders::create(
        tx,
        &number,
        &order.contact,
        order.source,
        source_message_id.as_deref(),
        order.currency.as_deref(),
        &lines,
        now,
    )
    .await?;
    orders::set_location(tx, id, order.origin.location);
    let lines: Vec<OrderLinePayload> = lines.iter().map(Into::into).collect();
    let payload = OrderPayload {
        id,
        number,
        contact: order.contact,
        status: OrderStatus::Placed,
        source: order.source,
        currency: order.currency,
        total_minor: OrderPayload::total_of(&lines),
        source_message_id,
        created_at: now,
        updated_at: now,
        lines,
    };
    fx.events
        .push(NewEvent::new(Event::OrderCreated(OrderCreated {
            order: payload.clone(),
            sequence: 0,
        })));
    Ok(payload)
}

/// Moves a locked order to `to`, if its status allows; cancelling puts the
/// stock back (locking the items into `book` as needed). Records
/// `order.<status>`. Returns the order's lines.
pub async fn move_to(
    tx: &mut WriteTx,
    book: &mut StockBook,
    fx: &mut Effects,
    order: &OrderRow,
    to: OrderStatus,
    origin: &Origin,
    now: i64,
) -> Result<Vec<LineRow>, ShopError> {
    if !order.status.allowed_next().contains(&to) {
        return Err(ShopError::Conflict(format!(
            "an order that is {} cannot become {to}",
            order.status
        )));
    }
    let lines = orders::lines_in(tx, order.id).await?;
    if to == OrderStatus::Cancelled {
        for l in &lines {
            if book.get(&l.name).is_none() {
                book.extend(
                    catalogue::lock_id(tx, l.item_id)
                        .await?
                        .into_iter()
                        .collect(),
                );
            }
        }
        let changes: Vec<(String, Change)> = lines
            .iter()
            .map(|l| (l.name.clone(), Change::Add(l.quantity)))
            .collect();
        // The stock goes back where it was taken from.
        let back = Origin {
            location: order.location_id.unwrap_or(FIRST),
            ..origin.clone()
        };
        fx.change(book, &changes, &back)
            .map_err(ShopError::Refused)?;
    }
    orders::set_status(tx, order.id, to, now);
    let mut moved = order.clone();
    moved.status = to;
    moved.updated_at = now;
    let change = OrderChanged {
        order: moved.payload(&lines),
        previous_status: order.status,
        changed_by: origin.actor.clone().unwrap_or_default(),
        sequence: 0,
    };
    fx.events
        .extend(Event::order_changed(change).map(NewEvent::new));
    Ok(lines)
}
