//! What a stock change causes besides the new balance: the events it
//! records and the low-stock crossings owners are told about. Everything is
//! written in the transaction of the change.

use std::sync::Arc;

use super::{Applied, Change, Origin, Refusal, StockBook};
use crate::{
    domain::{
        event::{Event, InventoryUpdated, ItemRef, StockLow},
        location::{LocationRef, Places},
    },
    storage::{events::NewEvent, items::ItemRow},
};

/// An item that just fell to or below its threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowStock {
    pub name: String,
    pub quantity: i64,
    pub threshold: i64,
}

#[derive(Debug, Default)]
pub struct Effects {
    pub events: Vec<NewEvent>,
    pub low: Vec<LowStock>,
    /// Items that went from none to some: (id, name), each once.
    pub restocked: Vec<(i64, String)>,
    /// The low-stock threshold of items that have none of their own.
    default_threshold: i64,
    /// To name locations in events.
    places: Arc<Places>,
}

impl Effects {
    pub fn new(default_threshold: i64, places: &Arc<Places>) -> Self {
        Self {
            default_threshold,
            places: places.clone(),
            ..Self::default()
        }
    }

    /// Applies stock changes to the book and records what they cause:
    /// `inventory.updated` per line, `stock.low` when a line crosses its item's
    /// threshold downwards; an item back from zero is noted for whoever asked.
    pub fn change(
        &mut self,
        book: &mut StockBook,
        changes: &[(String, Change)],
        origin: &Origin,
    ) -> Result<Vec<Applied>, Refusal> {
        let applied = book.apply(changes, origin)?;
        for a in &applied {
            let Some(row) = book.get(&a.name) else {
                continue;
            };
            self.events
                .push(NewEvent::new(Event::InventoryUpdated(InventoryUpdated {
                    item: item_ref(row),
                    change: a.after - a.before,
                    quantity_before: a.before,
                    quantity_after: a.after,
                    reason: origin.reason.to_string(),
                    actor: origin.actor.clone(),
                    source_message_id: origin.source_message_id.clone(),
                    // Storage numbers it when recording.
                    sequence: 0,
                    location: LocationRef {
                        id: a.location,
                        name: self.places.name(a.location).to_string(),
                    },
                    location_quantity_after: a.here_after,
                })));
            if a.before == 0 && a.after > 0 && !self.restocked.iter().any(|(id, _)| *id == row.id) {
                self.restocked.push((row.id, row.name.clone()));
            }
            let threshold = row.threshold.unwrap_or(self.default_threshold);
            if threshold > 0 && a.before > threshold && a.after <= threshold {
                self.events.push(NewEvent::new(Event::StockLow(StockLow {
                    item: item_ref(row),
                    quantity: a.after,
                    threshold,
                    sequence: 0,
                })));
                self.low.push(LowStock {
                    name: a.name.clone(),
                    quantity: a.after,
                    threshold,
                });
            }
        }
        Ok(applied)
    }
}

/// How events name an item.
pub fn item_ref(row: &ItemRow) -> ItemRef {
    ItemRef {
        id: row.id,
        name: row.name.clone(),
        sku: row.sku.clone(),
    }
}
