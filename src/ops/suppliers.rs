//! Suppliers for the API and the dashboard, each request in its own
//! transaction: a supplier's number becomes a `supplier` contact (so its
//! messages are recognised), and items name who they are reordered from.

use super::{Shop, ShopError, reorder};
use crate::{
    domain::purchase::PurchaseOrderPayload,
    inventory::StockBook,
    storage::{
        self,
        suppliers::{self, SupplierFields, SupplierRow},
    },
};

impl Shop {
    /// Creates a supplier (`id` none) or updates one; its number becomes a
    /// supplier's contact, unless it is an owner's or staff's.
    pub async fn save_supplier(
        &self,
        id: Option<i64>,
        fields: &SupplierFields,
    ) -> Result<SupplierRow, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        if let Some(field) = suppliers::clash(&mut tx, fields, id.unwrap_or(0)).await? {
            return Err(ShopError::Conflict(format!(
                "another supplier has this {field}"
            )));
        }
        if !suppliers::mark_contact(&mut tx, &fields.wa_id, now).await? {
            return Err(ShopError::Conflict(
                "that number belongs to an owner or staff".into(),
            ));
        }
        let row = suppliers::save(&mut tx, id, fields, now)
            .await?
            .ok_or(ShopError::NotFound("supplier"))?;
        tx.commit().await?;
        Ok(row)
    }

    /// Sets who an item is reordered from and how many (`None` clears it).
    pub async fn set_item_supplier(
        &self,
        item_id: i64,
        supplier: Option<(i64, i64)>,
    ) -> Result<(), ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        storage::catalogue::lock_id(&mut tx, item_id)
            .await?
            .ok_or(ShopError::NotFound("item"))?;
        if let Some((sid, _)) = supplier {
            suppliers::lock(&mut tx, sid)
                .await?
                .ok_or(ShopError::NotFound("supplier"))?;
        }
        suppliers::set_item(&mut tx, item_id, supplier, now);
        tx.commit().await?;
        Ok(())
    }

    /// Reorders an item from its supplier (with that supplier's other low
    /// items not on order): the dashboard's Reorder button.
    pub async fn reorder_item(
        &self,
        item_id: i64,
        actor: &str,
    ) -> Result<PurchaseOrderPayload, ShopError> {
        let mut tx = self.db.begin().await?;
        let now = storage::now_ms();
        let items = suppliers::reorderable_in(&mut tx, None).await?;
        let item = items.iter().find(|r| r.item_id == item_id).ok_or_else(|| {
            ShopError::Conflict("this item has no supplier and reorder quantity".into())
        })?;
        let mut fx = self.effects();
        let wa = &self.settings.whatsapp;
        let (supplier, t) = (item.supplier_id, self.threshold());
        let (po, message) =
            reorder::reorder(&mut tx, &mut fx, wa, supplier, Some(item_id), t, actor, now).await?;
        self.finish(tx, StockBook::default(), fx, vec![message], now)
            .await?;
        Ok(po)
    }
}
