//! Selling to customers: the shelf as list messages, a product asked about
//! (a catalogue product or a picked row) with buttons to order it, and
//! what to offer when the item wanted is not in stock.

use super::{
    Conversation, replies,
    shelf::{self, Pick},
    turn::{Say, Turn, Work},
};
use crate::{
    domain::lang::Lang,
    parsing::{Intent, Item, Parse},
    storage::{catalogue, items, items::ItemRow, stock_requests},
};

type Says = Result<Vec<Say>, sqlx::Error>;

impl Conversation {
    /// The in-stock items in listing order, with this batch's balances.
    async fn shelf_items(&self, w: &mut Work<'_>) -> Result<Vec<ItemRow>, sqlx::Error> {
        let mut all = items::all_in(w.tx).await?;
        for row in &mut all {
            if let Some(current) = w.book.get(&row.name) {
                row.quantity = current.quantity;
            }
        }
        all.retain(|r| r.quantity > 0);
        shelf::sort(&mut all);
        Ok(all)
    }

    /// How a row describes an item: in stock (a count when shown), a price.
    fn describer(&self, lang: Lang) -> impl Fn(&ItemRow) -> String {
        let show = self.settings.shop.show_stock_counts;
        let currency = self.prefs.get().currency;
        move |r| shelf::describe(lang, r, show, &currency)
    }

    /// A page of what is in stock as a list message, after `lead` when
    /// given. With nothing in stock there is no list: it is said in text.
    pub(super) async fn shelf(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        offset: usize,
        lead: Option<String>,
    ) -> Says {
        let items = self.shelf_items(w).await?;
        // A page picked from a list sent before the shelf shrank starts over.
        let offset = if offset < items.len() { offset } else { 0 };
        let intro = match offset {
            0 => replies::shelf_intro(t.lang),
            _ => replies::shelf_more(t.lang),
        };
        let joined = |text: String| match &lead {
            Some(lead) => format!("{lead}\n{text}"),
            None => text,
        };
        let Some(sections) = shelf::page(t.lang, &items, offset, self.describer(t.lang)) else {
            let empty = replies::catalogue(t.lang, &[], false);
            return Ok(empty.into_iter().map(joined).map(Say::Text).collect());
        };
        Ok(vec![Say::List {
            text: joined(intro),
            button: replies::shelf_button(t.lang),
            sections,
        }])
    }

    /// A row picked from one of our lists.
    pub(super) async fn picked(&self, w: &mut Work<'_>, t: &Turn<'_>, pick: Pick) -> Says {
        match pick {
            Pick::More(offset) => self.shelf(w, t, offset, None).await,
            Pick::Item(id) => match catalogue::lock_id(w.tx, id).await? {
                Some(row) => self.offer_item(w, t, row).await,
                None => Ok(vec![Say::Text(replies::item_gone(t.lang))]),
            },
        }
    }

    /// A question about a catalogue product: the item with that SKU, or,
    /// when there is none, the shelf.
    pub(super) async fn referred(&self, w: &mut Work<'_>, t: &Turn<'_>, sku: &str) -> Says {
        match items::lock_skus(w.tx, &[sku]).await?.into_iter().next() {
            Some(row) => self.offer_item(w, t, row).await,
            None => {
                let lead = replies::unknown_product(t.lang);
                self.shelf(w, t, 0, Some(lead)).await
            }
        }
    }

    /// Whether an item is in stock, with buttons to order 1, 2 or 3 (no
    /// more than there are); out of stock, what to have instead.
    async fn offer_item(&self, w: &mut Work<'_>, t: &Turn<'_>, row: ItemRow) -> Says {
        let name = row.name.clone();
        w.book.extend(vec![row]);
        let row = w.book.get(&name).cloned().unwrap_or_default();
        let show = self.settings.shop.show_stock_counts;
        let text = replies::availability(t.lang, &name, Some(&row), show);
        if row.quantity <= 0 {
            return self.unavailable(w, t, &name, text).await;
        }
        let choices = (1..=row.quantity.min(3))
            .map(|n| {
                let item = Item {
                    name: name.clone(),
                    quantity: Some(n),
                    unit: None,
                };
                let parse = Parse {
                    intent: Intent::Order,
                    items: vec![item],
                };
                (replies::order_button(t.lang, n), parse)
            })
            .collect();
        let text = format!("{text}\n{}", replies::how_many(t.lang));
        Ok(vec![self.offer(w.tx, t, text, choices).await?])
    }

    /// A customer's "do you have…?": in-stock items in one text; each one
    /// missing is said with what to have instead.
    pub(super) async fn customer_query(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        parse: &Parse,
    ) -> Says {
        let show = self.settings.shop.show_stock_counts;
        let mut lines = Vec::new();
        let mut says = Vec::new();
        for item in &parse.items {
            let row = w.book.get(&item.name);
            let text = replies::availability(t.lang, &item.name, row, show);
            match row {
                Some(r) if r.quantity > 0 => lines.push(text),
                _ => says.extend(self.unavailable(w, t, &item.name, text).await?),
            }
        }
        if !lines.is_empty() || says.is_empty() {
            says.insert(0, Say::Text(lines.join("\n")));
        }
        Ok(says)
    }

    /// Says `text` about an item the sender cannot have. A customer asking
    /// for a known item is remembered, to be told once when it is back; up
    /// to three in-stock items alike are offered as a list.
    pub(super) async fn unavailable(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        name: &str,
        mut text: String,
    ) -> Says {
        let row = w.book.get(name).cloned();
        if let Some(r) = &row
            && !t.role.keeps_stock()
        {
            stock_requests::record(w.tx, t.wa_id, r.id, t.now);
            text = format!("{text}\n{}", replies::tell_when_back(t.lang));
        }
        let items = self.shelf_items(w).await?;
        let category = row.as_ref().and_then(|r| r.category.as_deref());
        let alike: Vec<ItemRow> = shelf::similar(name, category, &items)
            .into_iter()
            .cloned()
            .collect();
        if alike.is_empty() {
            return Ok(vec![Say::Text(text)]);
        }
        Ok(vec![Say::List {
            text: format!("{text}\n{}", replies::instead(t.lang, name)),
            button: replies::instead_button(t.lang),
            sections: shelf::sections(t.lang, &alike, self.describer(t.lang)),
        }])
    }
}
