//! Orders placed and moved along outside the chat.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Shop, ShopError};
use crate::{
    domain::lang::Lang,
    domain::{
        event::{Event, OrderChanged, OrderCreated, OrderLinePayload, OrderPayload},
        order::{OrderSource, OrderStatus},
    },
    inventory::{Change, Effects, Origin, StockBook},
    storage::{
        self, Db, WriteTx, catalogue, contacts,
        events::NewEvent,
        orders::{self, LineRow, NewLine, OrderRow},
    },
    whatsapp::outbound::window::{Notice, Purpose},
};

/// Order numbers avoid letters and digits that read alike (0/O, 1/I).
const NUMBER_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// An order with its lines, as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderView {
    pub id: i64,
    /// Short number customers see, e.g. `A7K2`.
    pub number: String,
    /// The customer's WhatsApp id.
    pub contact: String,
    pub status: OrderStatus,
    pub source: OrderSource,
    pub currency: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub lines: Vec<OrderLineView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineView {
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
    /// Unit price in minor units (cents), when known.
    pub price_minor: Option<i64>,
}

/// One line of an order placed through the API.
#[derive(Debug, Clone)]
pub struct NewOrderLine {
    pub item_id: i64,
    pub quantity: i64,
}

impl OrderView {
    pub fn new(o: OrderRow, lines: Vec<LineRow>) -> Self {
        Self {
            id: o.id,
            number: o.number,
            contact: o.contact,
            status: o.status,
            source: o.source,
            currency: o.currency,
            created_at: o.created_at,
            lines: lines
                .into_iter()
                .map(|l| OrderLineView {
                    item_id: l.item_id,
                    name: l.name,
                    quantity: l.quantity,
                    price_minor: l.price_minor,
                })
                .collect(),
        }
    }

    pub async fn load(db: &Db, id: i64) -> Result<Option<Self>, sqlx::Error> {
        let Some(order) = orders::get(db, id).await? else {
            return Ok(None);
        };
        let lines = orders::lines(db, id).await?;
        Ok(Some(Self::new(order, lines)))
    }
}

impl Shop {
    /// Reserves stock and creates an order for `contact`.
    pub async fn create_order(
        &self,
        contact: &str,
        wanted: &[NewOrderLine],
        actor: &str,
    ) -> Result<OrderView, ShopError> {
        let mut tx = self.db.begin().await?;
        // The change happens once this transaction holds the write turn.
        let now = storage::now_ms();
        let mut rows = Vec::new();
        let mut ids: Vec<i64> = wanted.iter().map(|l| l.item_id).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            rows.push(
                catalogue::lock_id(&mut tx, id)
                    .await?
                    .ok_or(ShopError::NotFound("item"))?,
            );
        }
        let name_of = |id: i64| rows.iter().find(|r| r.id == id).map(|r| r.name.clone());
        let changes: Vec<(String, Change)> = wanted
            .iter()
            .filter_map(|l| Some((name_of(l.item_id)?, Change::Remove(l.quantity))))
            .collect();
        let mut book = StockBook::new(rows.clone());
        let mut fx = Effects::default();
        let origin = Origin {
            reason: "order",
            actor: Some(actor.to_string()),
            source_message_id: None,
        };
        fx.change(&mut book, &changes, &origin, self.threshold())
            .map_err(ShopError::Refused)?;
        let lines: Vec<NewLine> = wanted
            .iter()
            .filter_map(|l| {
                let row = rows.iter().find(|r| r.id == l.item_id)?;
                Some(NewLine {
                    item_id: row.id,
                    name: row.name.clone(),
                    quantity: l.quantity,
                    price_minor: row.price_minor,
                })
            })
            .collect();
        let number = order_number(&mut tx).await?;
        let id = orders::create(
            &mut tx,
            &number,
            contact,
            OrderSource::Api,
            None,
            None,
            &lines,
            now,
        )
        .await?;
        let payload_lines: Vec<OrderLinePayload> = lines.iter().map(Into::into).collect();
        let order = OrderPayload {
            id,
            number: number.clone(),
            contact: contact.to_string(),
            status: OrderStatus::Placed,
            source: OrderSource::Api,
            currency: None,
            total_minor: OrderPayload::total_of(&payload_lines),
            source_message_id: None,
            created_at: now,
            updated_at: now,
            lines: payload_lines,
        };
        fx.events
            .push(NewEvent::new(Event::OrderCreated(OrderCreated {
                order,
                sequence: 0,
            })));
        let view = OrderView {
            id,
            number,
            contact: contact.to_string(),
            status: OrderStatus::Placed,
            source: OrderSource::Api,
            currency: None,
            created_at: now,
            lines: lines
                .into_iter()
                .map(|l| OrderLineView {
                    item_id: l.item_id,
                    name: l.name,
                    quantity: l.quantity,
                    price_minor: l.price_minor,
                })
                .collect(),
        };
        self.finish(tx, book, fx, Vec::new(), now).await?;
        Ok(view)
    }

    /// Moves an order along; cancelling puts its stock back. Each change
    /// records `order.<status>`.
    pub async fn set_order_status(
        &self,
        id: i64,
        status: OrderStatus,
        actor: &str,
    ) -> Result<OrderView, ShopError> {
        let mut tx = self.db.begin().await?;
        // The change happens once this transaction holds the write turn.
        let now = storage::now_ms();
        let order = orders::lock(&mut tx, id)
            .await?
            .ok_or(ShopError::NotFound("order"))?;
        if order.status == status {
            let lines = orders::lines_in(&mut tx, id).await?;
            return Ok(OrderView::new(order, lines));
        }
        if !order.status.allowed_next().contains(&status) {
            return Err(ShopError::Conflict(format!(
                "an order that is {} cannot become {status}",
                order.status
            )));
        }
        let lines = orders::lines_in(&mut tx, id).await?;
        let mut book = StockBook::default();
        let mut fx = Effects::default();
        if status == OrderStatus::Cancelled {
            let mut rows = Vec::new();
            for l in &lines {
                rows.extend(catalogue::lock_id(&mut tx, l.item_id).await?);
            }
            book = StockBook::new(rows);
            let changes: Vec<(String, Change)> = lines
                .iter()
                .map(|l| (l.name.clone(), Change::Add(l.quantity)))
                .collect();
            let origin = Origin {
                reason: "order_cancelled",
                actor: Some(actor.to_string()),
                source_message_id: None,
            };
            fx.change(&mut book, &changes, &origin, self.threshold())
                .map_err(ShopError::Refused)?;
        }
        orders::set_status(&mut tx, id, status, now);
        let previous = order.status;
        let mut moved = order.clone();
        moved.status = status;
        moved.updated_at = now;
        let change = OrderChanged {
            order: moved.payload(&lines),
            previous_status: previous,
            changed_by: actor.to_string(),
            sequence: 0,
        };
        fx.events
            .extend(Event::order_changed(change).map(NewEvent::new));
        let mut view = OrderView::new(order, lines);
        view.status = status;
        // The customer hears of it (a chat order's owner is its contact).
        let mut told = Vec::new();
        if !view.contact.is_empty() {
            let to = contacts::recipient_in(&mut tx, &view.contact).await?;
            let lang = Lang::from_code(to.lang.as_deref());
            if let Some(text) = super::notices::order_update(lang, &view.number, status) {
                told.push(self.notice(&to, &Notice::new(Purpose::OrderUpdate, text), now));
            }
        }
        self.finish(tx, book, fx, told, now).await?;
        Ok(view)
    }
}

/// A fresh four-character order number.
pub async fn order_number(tx: &mut WriteTx) -> Result<String, sqlx::Error> {
    loop {
        let bytes: [u8; 4] = rand::random();
        let number: String = bytes
            .iter()
            .map(|b| NUMBER_ALPHABET[*b as usize % NUMBER_ALPHABET.len()] as char)
            .collect();
        if !orders::number_taken(tx, &number).await? {
            return Ok(number);
        }
    }
}
