//! Stock and order operations for callers other than the chat (the API and,
//! later, the dashboard). Each runs in one transaction that also records its
//! events and queues owners' low-stock alerts, like a chat message does.

pub mod catalog;
pub mod notices;
pub mod ordering;
mod orders;
pub mod purchasing;
pub mod reorder;
pub mod restock;
mod suppliers;
pub mod transfers;

pub use orders::{NewOrderLine, OrderLineView, OrderView, order_number};

use crate::domain::message::OutboundKind;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Notify;
use utoipa::ToSchema;

use crate::{
    config::Settings,
    domain::ledger::Reason,
    inventory::{Applied, Change, Effects, Origin, Refusal, StockBook},
    storage::{
        self, Db, WriteTx, catalogue,
        catalogue::ItemFields,
        contacts::Recipient,
        events, items,
        items::ItemRow,
        outbound::{self, NewOutbound},
    },
    whatsapp::outbound::window::{self, Notice},
};

/// Why an operation was not done.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0:?}")]
    Refused(Refusal),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl ShopError {
    /// For callers inside a larger transaction that turn refusals and
    /// conflicts into replies themselves: what is left is a database error.
    pub fn into_db(self) -> sqlx::Error {
        match self {
            Self::Db(e) => e,
            other => sqlx::Error::Protocol(other.to_string()),
        }
    }
}

/// A stock change as the API reports it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct StockChange {
    pub item_id: i64,
    pub name: String,
    /// The signed change applied.
    pub change: i64,
    /// The item's total across locations, before and after.
    pub quantity_before: i64,
    pub quantity_after: i64,
    pub reason: String,
    /// The location changed, and what it holds now.
    pub location: String,
    pub location_quantity_after: i64,
}

#[derive(Clone)]
pub struct Shop {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub sender_wake: Arc<Notify>,
    /// Wakes the event deliverer; the token flag.
    pub signals: crate::signals::Signals,
    /// Seals secrets stored in the database.
    pub keys: crate::secrets::Keys,
    /// Name, currency, time zone and default alert level, as set now.
    pub prefs: crate::config::prefs::Prefs,
    /// The shop's locations (fixed while it runs).
    pub places: Arc<crate::domain::location::Places>,
    /// This process's event deliverer, when it runs one: deliveries a change
    /// records are leased in its transaction and handed over at commit.
    pub deliveries: Option<DeliveryHandoff>,
}

/// Where fresh, already-leased deliveries go.
pub type DeliveryHandoff =
    tokio::sync::mpsc::UnboundedSender<Vec<crate::storage::deliveries::Claimed>>;

impl Shop {
    /// Adds (`delta` > 0) or removes stock of one item. `then` runs inside the
    /// transaction with the result (the API stores an idempotent answer there).
    pub async fn adjust(
        &self,
        item_id: i64,
        change: Change,
        origin: Origin,
        then: impl FnOnce(&mut WriteTx, &StockChange),
    ) -> Result<StockChange, ShopError> {
        let mut tx = self.db.begin().await?;
        // The change happens once this transaction holds the write turn.
        let now = storage::now_ms();
        let row = catalogue::lock_id(&mut tx, item_id)
            .await?
            .ok_or(ShopError::NotFound("item"))?;
        let mut book = StockBook::new(vec![row.clone()]);
        let mut fx = self.effects();
        let applied = fx
            .change(&mut book, &[(row.name.clone(), change)], &origin)
            .map_err(ShopError::Refused)?;
        let result = self.stock_change(&row, &applied[0], origin.reason);
        then(&mut tx, &result);
        self.finish(tx, book, fx, Vec::new(), now).await?;
        Ok(result)
    }

    /// Creates the item in `tx` (the caller has checked names and SKUs in
    /// it) and, given an opening quantity, records it as an `opening` ledger
    /// line with its `inventory.updated` event; commits. One transaction, so
    /// an item never exists without the stock it was created with.
    pub async fn create_item(
        &self,
        mut tx: WriteTx,
        fields: &ItemFields,
        opening: Option<i64>,
        location: i64,
        actor: &str,
    ) -> Result<ItemRow, ShopError> {
        let now = storage::now_ms();
        let row = catalogue::create(&mut tx, fields, now).await?;
        let mut book = StockBook::new(vec![row.clone()]);
        let mut fx = self.effects();
        if let Some(q) = opening {
            let origin = Origin {
                reason: Reason::Opening.as_str(),
                actor: Some(actor.to_string()),
                source_message_id: None,
                location,
            };
            fx.change(&mut book, &[(row.name.clone(), Change::Set(q))], &origin)
                .map_err(ShopError::Refused)?;
        }
        let row = book.get(&row.name).cloned().unwrap_or(row);
        // The catalogue hears of the new item even when no stock changed.
        catalog::note(&mut tx, &self.settings, &[row.id], now);
        self.finish(tx, book, fx, Vec::new(), now).await?;
        Ok(row)
    }

    fn threshold(&self) -> i64 {
        self.prefs.threshold()
    }

    /// A fresh record of what this operation's changes cause.
    fn effects(&self) -> Effects {
        Effects::new(self.threshold(), &self.places)
    }

    /// Reads the stored shop settings into `prefs` (at start, after a
    /// change, and now and then for changes made on another replica).
    pub async fn load_prefs(&self) -> Result<(), sqlx::Error> {
        let stored = storage::prefs::all(&self.db).await?;
        let fallback = storage::prefs::order_currency(&self.db).await?;
        self.prefs.apply(&stored, fallback.as_deref());
        Ok(())
    }

    /// Re-reads the shop settings every half minute until stopped, so a
    /// change saved on one replica reaches the others.
    pub async fn keep_prefs_fresh(self, stop: tokio_util::sync::CancellationToken) {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = every.tick() => {
                    if let Err(e) = self.load_prefs().await {
                        tracing::warn!(error = %e, "could not re-read the shop settings");
                    }
                }
            }
        }
    }

    /// Writes balances, ledger and events, queues owners' alerts and
    /// back-in-stock notes, commits.
    async fn finish(
        &self,
        mut tx: WriteTx,
        book: StockBook,
        fx: Effects,
        mut alerts: Vec<NewOutbound>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let wa = &self.settings.whatsapp;
        alerts.extend(reorder::low_stock_alerts(&mut tx, wa, &fx.low, now).await?);
        alerts.extend(restock::notes(&mut tx, &self.settings.whatsapp, &fx.restocked, now).await?);
        let w = book.into_writes();
        items::set_quantities(&mut tx, &w.balances, now);
        items::set_location_quantities(&mut tx, &w.by_location);
        let changed: Vec<i64> = w.balances.iter().map(|&(id, _)| id).collect();
        catalog::note(&mut tx, &self.settings, &changed, now);
        items::insert_movements(&mut tx, &w.movements, now);
        events::record(&mut tx, &fx.events, now).await?;
        outbound::insert(&mut tx, &alerts, now);
        match &self.deliveries {
            Some(handoff) if !fx.events.is_empty() => {
                let ids: Vec<&str> = fx.events.iter().map(|e| e.id.as_str()).collect();
                let lease = self.settings.webhooks.timeout + std::time::Duration::from_secs(10);
                let stmt = crate::storage::deliveries::lease_fresh(
                    &tx,
                    &ids,
                    now,
                    lease.as_millis() as i64,
                );
                let leased = tx.commit_with(stmt).await?;
                // A closed channel means the deliverer stopped; leases expire
                // and the claim picks them up.
                if !leased.is_empty() {
                    let _ = handoff.send(leased);
                }
            }
            _ => tx.commit().await?,
        }
        self.signals.wake_events();
        self.signals.wake_catalog();
        if !alerts.is_empty() {
            self.sender_wake.notify_one();
        }
        Ok(())
    }

    /// A text message to queue for `to`.
    pub fn text_to(&self, to: &str, text: String) -> NewOutbound {
        window::from_shop(&self.settings.whatsapp, to, OutboundKind::Text, text)
    }

    /// A message the shop starts: text, a template or held, by the 24-hour window.
    pub fn notice(&self, to: &Recipient, notice: &Notice, now: i64) -> NewOutbound {
        window::compose(&self.settings.whatsapp, to, notice, now)
    }
}

impl Shop {
    fn stock_change(&self, row: &ItemRow, a: &Applied, reason: &str) -> StockChange {
        StockChange {
            item_id: row.id,
            name: row.name.clone(),
            change: a.after - a.before,
            quantity_before: a.before,
            quantity_after: a.after,
            reason: reason.to_string(),
            location: self.places.name(a.location).to_string(),
            location_quantity_after: a.here_after,
        }
    }
}
