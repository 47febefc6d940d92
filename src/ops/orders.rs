//! Orders for the API and the dashboard: what they show, and each request
//! in its own transaction around `ordering`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    Shop, ShopError,
    ordering::{self, NewOrder},
};
use crate::{
    domain::{
        event::OrderPayload,
        lang::Lang,
        location::FIRST,
        order::{OrderSource, OrderStatus},
    },
    inventory::{Origin, StockBook},
    storage::{
        self, Db, WriteTx, catalogue, contacts,
        orders::{self, LineRow, OrderRow},
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
    /// The view of an order as its events describe it.
    pub fn from_payload(o: &OrderPayload) -> Self {
        Self {
            id: o.id,
            number: o.number.clone(),
            contact: o.contact.clone(),
            status: o.status,
            source: o.source,
            currency: o.currency.clone(),
            created_at: o.created_at,
            lines: o
                .lines
                .iter()
                .map(|l| OrderLineView {
                    item_id: l.item_id,
                    name: l.name.clone(),
                    quantity: l.quantity,
                    price_minor: l.price_minor,
                })
                .collect(),
        }
    }

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
        let name_of = |id: i64| rows.iter().find(|r| r.id == id);
        let order = NewOrder {
            contact: contact.to_string(),
            source: OrderSource::Api,
            origin: Origin {
                reason: "order",
                actor: Some(actor.to_string()),
                source_message_id: None,
                location: FIRST,
            },
            currency: None,
            lines: wanted
                .iter()
                .filter_map(|l| {
                    let row = name_of(l.item_id)?;
                    Some((row.name.clone(), l.quantity, row.price_minor))
                })
                .collect(),
        };
        let mut book = StockBook::new(rows.clone());
        let mut fx = self.effects();
        let placed = ordering::place(&mut tx, &mut book, &mut fx, order, now).await?;
        let view = OrderView::from_payload(&placed);
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
        let mut book = StockBook::default();
        let mut fx = self.effects();
        let origin = Origin {
            reason: "order_cancelled",
            actor: Some(actor.to_string()),
            source_message_id: None,
            // `move_to` gives the stock back where the order took it.
            location: FIRST,
        };
        let lines =
            ordering::move_to(&mut tx, &mut book, &mut fx, &order, status, &origin, now).await?;
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
