//! A new item and the stock it starts with, written together: the API's
//! create and the CSV import's new rows share this path.

use super::{Shop, ShopError};
use crate::{
    domain::ledger::Reason,
    inventory::{Change, Effects, Origin, StockBook},
    storage::{self, WriteTx, catalogue, catalogue::ItemFields, items::ItemRow},
};

impl Shop {
    /// Creates the item in `tx` (the caller has checked names and SKUs in
    /// it) and, given an opening quantity, records it as an `opening` ledger
    /// line with its `inventory.updated` event; commits. One transaction, so
    /// an item never exists without the stock it was created with.
    pub async fn create_item(
        &self,
        mut tx: WriteTx,
        fields: &ItemFields,
        opening: Option<i64>,
        actor: &str,
    ) -> Result<ItemRow, ShopError> {
        let now = storage::now_ms();
        let row = catalogue::create(&mut tx, fields, now).await?;
        let mut book = StockBook::new(vec![row.clone()]);
        let mut fx = Effects::new(self.threshold());
        if let Some(q) = opening {
            let origin = Origin {
                reason: Reason::Opening.as_str(),
                actor: Some(actor.to_string()),
                source_message_id: None,
            };
            fx.change(&mut book, &[(row.name.clone(), Change::Set(q))], &origin)
                .map_err(ShopError::Refused)?;
        }
        let row = book.get(&row.name).cloned().unwrap_or(row);
        // The catalogue hears of the new item even when no stock changed.
        super::catalog::note(&mut tx, &self.settings, &[row.id], now);
        self.finish(tx, book, fx, Vec::new(), now).await?;
        Ok(row)
    }
}
