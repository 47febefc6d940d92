//! Deciding what a message does, given who sent it. Authority comes from the
//! sender's role, never from what a parser says.

use super::{
    Conversation, replies,
    turn::{Question, Say, Turn},
};
use crate::{
    inventory::{Effects, StockBook},
    parsing::{Intent, Item, KnownItems, Parse},
    storage::{WriteTx, items, pending},
};

/// What `check_known` found.
pub(super) enum Missing {
    Nothing,
    /// A close known item was found for each unknown one: ask.
    Ask(Say),
    /// This item is unknown and nothing known is close.
    Unknown(String),
}

/// How long a "Did you mean…?" question can be answered.
const QUESTION_TTL_MS: i64 = 30 * 60 * 1000;

impl Conversation {
    /// Works out the replies to one message, applying its changes to `book`.
    pub(super) async fn decide(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        book: &mut StockBook,
        fx: &mut Effects,
        known: &KnownItems,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let p = t.p;
        if let Some(problem) = &p.problem {
            return Ok(vec![Say::Text(problem.clone())]);
        }
        if let Some(tap) = p.tap {
            if !tap.yes {
                // A "no" still uses the question up.
                let _ = pending::take(tx, tap.action, t.wa_id, t.now).await?;
                return Ok(vec![Say::Text(replies::declined(t.lang))]);
            }
            return match pending::take(tx, tap.action, t.wa_id, t.now).await? {
                Some(action) => match serde_json::from_value::<Question>(action) {
                    Ok(q) => {
                        self.lock_more(tx, book, &q.parse.items).await?;
                        self.act(tx, t, &q.parse, book, fx, known).await
                    }
                    Err(_) => Ok(vec![Say::Text(replies::question_expired(t.lang))]),
                },
                None => Ok(vec![Say::Text(replies::question_expired(t.lang))]),
            };
        }
        if let Some(lines) = &p.catalog {
            return self.catalog_order(tx, t, lines, book, fx).await;
        }
        if let Some(pack) = &p.pack {
            return self.set_pack(tx, t, pack, book).await;
        }
        match &p.parsed {
            Some(parsed) => self.act(tx, t, &parsed.parse, book, fx, known).await,
            None => Ok(Vec::new()),
        }
    }

    /// Does what a parse asks, if the sender may.
    async fn act(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        parse: &Parse,
        book: &mut StockBook,
        fx: &mut Effects,
        known: &KnownItems,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let staff = t.role.keeps_stock();
        let show = self.settings.shop.show_stock_counts;
        let text = match parse.intent {
            Intent::Add | Intent::Remove | Intent::Set | Intent::Undo if !staff => {
                replies::staff_only(t.lang)
            }
            Intent::Add | Intent::Remove | Intent::Set => {
                return self.change_stock(tx, t, parse, book, fx, known).await;
            }
            Intent::Undo => return self.undo(tx, t, book, fx).await,
            Intent::Order => return self.place_order(tx, t, parse, book, fx, known).await,
            Intent::Cancel => return self.cancel_order(tx, t, book, fx).await,
            Intent::Query => parse
                .items
                .iter()
                .map(|i| match staff {
                    true => replies::quantity(t.lang, &i.name, book.get(&i.name)),
                    false => replies::availability(t.lang, &i.name, book.get(&i.name), show),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Intent::List => {
                let mut all = items::all_in(tx).await?;
                for row in &mut all {
                    if let Some(current) = book.get(&row.name) {
                        row.quantity = current.quantity;
                    }
                }
                let parts = match staff {
                    true => replies::stock_list(
                        t.lang,
                        &all,
                        self.settings.shop.default_low_stock_threshold,
                    ),
                    false => replies::catalogue(t.lang, &all, show),
                };
                return Ok(parts.into_iter().map(Say::Text).collect());
            }
            Intent::Help => replies::help(t.lang, t.role),
            Intent::Unknown => replies::not_understood(t.lang, t.role),
        };
        Ok(vec![Say::Text(text)])
    }

    /// Checks that the book holds every named item. For those it does not,
    /// asks "Did you mean…?" (with buttons) when each is close to a known item.
    pub(super) async fn check_known(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        parse: &Parse,
        book: &StockBook,
        known: &KnownItems,
    ) -> Result<Missing, sqlx::Error> {
        let mut corrected = parse.clone();
        let mut suggestions = Vec::new();
        for item in &mut corrected.items {
            if book.get(&item.name).is_some() {
                continue;
            }
            match super::suggest::suggestion(&item.name, known) {
                Some(close) if close != item.name => {
                    suggestions.push(close.clone());
                    item.name = close;
                }
                _ => return Ok(Missing::Unknown(item.name.clone())),
            }
        }
        if suggestions.is_empty() {
            return Ok(Missing::Nothing);
        }
        let action =
            serde_json::to_value(Question { parse: corrected }).expect("a parse serialises");
        let id = pending::create(tx, t.wa_id, &action, t.now, t.now + QUESTION_TTL_MS).await?;
        Ok(Missing::Ask(Say::Ask {
            text: replies::did_you_mean(t.lang, &suggestions.join(", ")),
            action: id,
        }))
    }

    /// Locks items found after the batch's first lock (taps, undo, cancel).
    pub(super) async fn lock_more(
        &self,
        tx: &mut WriteTx,
        book: &mut StockBook,
        wanted: &[Item],
    ) -> Result<(), sqlx::Error> {
        let mut missing: Vec<&str> = wanted
            .iter()
            .map(|i| i.name.as_str())
            .filter(|n| book.get(n).is_none())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            book.extend(items::lock(tx, &missing).await?);
        }
        Ok(())
    }
}
