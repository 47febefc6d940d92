//! Customer orders: placed in chat or from the WhatsApp catalogue, cancelled
//! in chat. An order reserves its stock at once (ledger reason `order`).

use super::{
    Conversation,
    decide::Missing,
    replies,
    special::CatalogLine,
    turn::{Say, Turn, Work},
};
use crate::{
    domain::order::{OrderSource, OrderStatus},
    inventory::Refusal,
    ops::{
        ShopError,
        ordering::{self, NewOrder},
    },
    parsing::{MAX_QUANTITY, Parse},
    storage::{items, orders},
};

/// What to order: (item name, quantity, unit price in cents).
type Wanted = Vec<(String, i64, Option<i64>)>;

impl Conversation {
    pub(super) async fn place_order(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        parse: &Parse,
    ) -> Result<Vec<Say>, sqlx::Error> {
        match self.check_known(w.tx, t, parse, w.book, w.known).await? {
            Missing::Nothing => {}
            Missing::Ask(say) => return Ok(vec![say]),
            Missing::Unknown(name) => {
                let text = replies::not_sold(t.lang, &name);
                return self.unavailable(w, t, &name, text).await;
            }
        }
        let wanted: Wanted = parse
            .items
            .iter()
            .map(|i| {
                let price = w.book.get(&i.name).and_then(|r| r.price_minor);
                (i.name.clone(), i.quantity.unwrap_or(1), price)
            })
            .collect();
        self.reserve(w, t, wanted, OrderSource::Chat, None).await
    }

    /// A catalogue cart: products matched to items by SKU.
    pub(super) async fn catalog_order(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        lines: &[CatalogLine],
    ) -> Result<Vec<Say>, sqlx::Error> {
        let mut skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
        skus.sort_unstable();
        skus.dedup();
        w.book.extend(items::lock_skus(w.tx, &skus).await?);
        let unknown: Vec<String> = lines
            .iter()
            .filter(|l| {
                w.book.by_sku(&l.sku).is_none() || !(1..=MAX_QUANTITY).contains(&l.quantity)
            })
            .map(|l| l.sku.clone())
            .collect();
        if lines.is_empty() || !unknown.is_empty() {
            return Ok(vec![Say::Text(replies::unknown_products(t.lang, &unknown))]);
        }
        let wanted: Wanted = lines
            .iter()
            .filter_map(|l| {
                let row = w.book.by_sku(&l.sku)?;
                Some((
                    row.name.clone(),
                    l.quantity,
                    l.price_minor.or(row.price_minor),
                ))
            })
            .collect();
        let currency = lines.iter().find_map(|l| l.currency.clone());
        self.reserve(w, t, wanted, OrderSource::Catalog, currency)
            .await
    }

    /// Takes the stock and writes the order, or says why it cannot.
    #[allow(clippy::too_many_arguments)]
    async fn reserve(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        wanted: Wanted,
        source: OrderSource,
        currency: Option<String>,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let order = NewOrder {
            contact: t.wa_id.to_string(),
            source,
            origin: t.origin("order"),
            currency,
            lines: wanted.clone(),
        };
        let number = match ordering::place(w.tx, w.book, w.fx, order, t.now).await {
            Ok(placed) => placed.number,
            Err(ShopError::Refused(refusal)) => {
                // None left (or none sold): offer what there is instead.
                let (name, text) = match refusal {
                    Refusal::NotEnough {
                        name,
                        available,
                        requested,
                    } => {
                        let text = replies::order_short(t.lang, &name, available, requested);
                        (Some(name).filter(|_| available == 0), text)
                    }
                    Refusal::UnknownItem { name } => {
                        (Some(name.clone()), replies::not_sold(t.lang, &name))
                    }
                    Refusal::TooMuch { .. } => (None, replies::not_understood(t.lang, t.role)),
                };
                return match name {
                    Some(name) => self.unavailable(w, t, &name, text).await,
                    None => Ok(vec![Say::Text(text)]),
                };
            }
            Err(e) => return Err(e.into_db()),
        };
        let summary: Vec<(String, i64)> = wanted.into_iter().map(|(n, q, _)| (n, q)).collect();
        Ok(vec![Say::Text(replies::order_confirmed(
            t.lang, &number, &summary,
        ))])
    }

    /// Cancels the sender's latest open order and puts its stock back.
    pub(super) async fn cancel_order(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let Some(order) = orders::latest_open(w.tx, t.wa_id).await? else {
            return Ok(vec![Say::Text(replies::no_open_order(t.lang))]);
        };
        let origin = t.origin("order_cancelled");
        let to = OrderStatus::Cancelled;
        let lines = match ordering::move_to(w.tx, w.book, w.fx, &order, to, &origin, t.now).await {
            Ok(lines) => lines,
            Err(ShopError::Refused(refusal)) => {
                return Ok(vec![Say::Text(replies::refusal(t.lang, &refusal))]);
            }
            Err(e) => return Err(e.into_db()),
        };
        let summary: Vec<(String, i64)> = lines.into_iter().map(|l| (l.name, l.quantity)).collect();
        Ok(vec![Say::Text(replies::order_cancelled(
            t.lang,
            &order.number,
            &summary,
        ))])
    }
}
