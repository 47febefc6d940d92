//! Deciding what a message does, given who sent it. Authority comes from the
//! sender's role, never from what a parser says.

use super::{
    Conversation,
    prepare::Understood,
    purchasing::ReceiveAsk,
    replies,
    special::{Answer, Tap},
    turn::{Question, Say, Turn, Work},
};
use crate::{
    inventory::StockBook,
    ops::{reorder::ReorderAsk, transfers::ArrivedAsk},
    parsing::social::Social,
    parsing::{Intent, Item, KnownItems, Parse},
    storage::contacts::Role,
    storage::{WriteTx, items, locations, pending},
};

/// What `check_known` found.
pub(super) enum Missing {
    Nothing,
    /// A close known item was found for each unknown one: ask.
    Ask(Say),
    /// This item is unknown and nothing known is close.
    Unknown(String),
}

impl Conversation {
    /// Works out the replies to one message, applying its changes to `book`.
    pub(super) async fn decide(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
    ) -> Result<Vec<Say>, sqlx::Error> {
        // A supplier's message changes nothing and orders nothing; opting
        // out (or back in) is still theirs to do.
        let social = matches!(
            t.p.understood,
            Understood::Social(Social::OptOut | Social::OptIn)
        );
        if t.role == Role::Supplier && !social {
            return Ok(match t.p.understood {
                Understood::Nothing | Understood::NonText => Vec::new(),
                _ => vec![Say::Text(replies::purchase::supplier_noted(t.lang))],
            });
        }
        if t.role == Role::Staff
            && self.places.several()
            && !matches!(t.p.understood, Understood::Social(_) | Understood::Nothing)
        {
            let allowed = locations::of_contact_in(w.tx, t.wa_id).await?;
            if !allowed.is_empty() && !allowed.contains(&t.location) {
                let yours: Vec<&str> = allowed.iter().map(|&l| self.places.name(l)).collect();
                return Ok(vec![Say::Text(format!(
                    "⚠️ This is {}'s number, and you are set up for {} only. Nothing changed — write to your location's number, or ask the owner.",
                    self.places.name(t.location),
                    yours.join(", ")
                ))]);
            }
        }
        if t.role.keeps_stock()
            && let Some(says) = self.counting(w, t).await?
        {
            return Ok(says);
        }
        match &t.p.understood {
            Understood::Nothing | Understood::NonText => Ok(Vec::new()),
            Understood::Purchase(p) => self.purchase(w, t, p).await,
            Understood::Transfer(tr) => self.transfer(w, t, tr).await,
            Understood::Problem(problem) => Ok(vec![Say::Text(problem.clone())]),
            Understood::Catalog(lines) => self.catalog_order(w, t, lines).await,
            Understood::Pack(pack) => self.set_pack(w.tx, t, pack, w.book).await,
            Understood::Tap(tap) => self.answer(w, t, tap).await,
            Understood::Social(s) => self.social(w, t, *s).await,
            Understood::Pick(pick) => self.picked(w, t, *pick).await,
            Understood::Product(sku) => self.referred(w, t, sku).await,
            Understood::Parsed(parsed) => {
                if t.role.keeps_stock() && parsed.needs_confirmation(w.known) {
                    return Ok(vec![self.confirm_change(w.tx, t, parsed).await?]);
                }
                if !t.role.keeps_stock() && super::confirm::unsure_request(parsed) {
                    return Ok(vec![self.confirm_order(w.tx, t, &parsed.parse).await?]);
                }
                self.act(w, t, &parsed.parse).await
            }
        }
    }

    /// A tap on one of our question's buttons: does the reading it chose.
    async fn answer(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        tap: &Tap,
    ) -> Result<Vec<Say>, sqlx::Error> {
        // Taking the question uses it up, whichever button was tapped.
        let action = pending::take(w.tx, tap.action, t.wa_id, t.now).await?;
        let Answer::Pick(n) = tap.answer else {
            return Ok(vec![Say::Text(replies::declined(t.lang))]);
        };
        // An alert's reorder button, or "which order arrived?".
        let reorder = action
            .clone()
            .and_then(|a| serde_json::from_value::<ReorderAsk>(a).ok());
        if let Some(supplier) = reorder.and_then(|r| r.reorder.get(n).copied()) {
            if !t.role.keeps_stock() {
                return Ok(vec![Say::Text(replies::staff_only(t.lang))]);
            }
            return self.reorder(w, t, supplier, None).await;
        }
        let arrived = action
            .clone()
            .and_then(|a| serde_json::from_value::<ArrivedAsk>(a).ok());
        if let Some(a) = arrived {
            return self.arrived(w, t, &a.arrived).await;
        }
        let receipt = action
            .clone()
            .and_then(|a| serde_json::from_value::<ReceiveAsk>(a).ok());
        if let Some(po) = receipt.and_then(|r| r.receive.get(n).copied()) {
            return self.receive(w, t, po, &[]).await;
        }
        let question = action.and_then(|a| serde_json::from_value::<Question>(a).ok());
        let Some(parse) = question.as_ref().and_then(|q| q.choice(n)) else {
            return Ok(vec![Say::Text(replies::question_expired(t.lang))]);
        };
        if parse.intent == Intent::Add && t.role.keeps_stock() {
            // A confirmed new item is created now, not before it was chosen.
            let names: Vec<&str> = parse.items.iter().map(|i| i.name.as_str()).collect();
            items::ensure(w.tx, &names, t.now);
        }
        self.lock_more(w.tx, w.book, &parse.items).await?;
        self.act(w, t, parse).await
    }

    /// Does what a parse asks, if the sender may.
    pub(super) async fn act(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        parse: &Parse,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let staff = t.role.keeps_stock();
        let text = match parse.intent {
            Intent::Add | Intent::Remove | Intent::Set | Intent::Undo if !staff => {
                replies::staff_only(t.lang)
            }
            Intent::Add | Intent::Remove | Intent::Set => {
                return self.change_stock(w, t, parse).await;
            }
            Intent::Undo => return self.undo(w, t).await,
            Intent::Order => return self.place_order(w, t, parse).await,
            Intent::Cancel => return self.cancel_order(w, t).await,
            Intent::Query if !staff => return self.customer_query(w, t, parse).await,
            Intent::List if !staff => return self.shelf(w, t, 0, None).await,
            Intent::Query => parse
                .items
                .iter()
                .map(|i| replies::quantity(t.lang, &i.name, w.book.get(&i.name)))
                .collect::<Vec<_>>()
                .join("\n"),
            Intent::List => {
                let mut all = items::all_in(w.tx).await?;
                for row in &mut all {
                    if let Some(current) = w.book.get(&row.name) {
                        row.quantity = current.quantity;
                    }
                }
                let parts = replies::stock_list(t.lang, &all, self.prefs.threshold());
                return Ok(parts.into_iter().map(Say::Text).collect());
            }
            Intent::Help => replies::help(t.lang, t.role),
            Intent::Unknown => replies::not_understood(t.lang, t.role),
        };
        Ok(vec![Say::Text(text)])
    }

    /// Checks that the w.book holds every named item. For those it does not,
    /// asks "Did you mean…?" (with buttons) when each is close to a w.known
    /// item; an add may also mean a new item, which is then a third choice.
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
        let known_names = suggestions.join(", ");
        let say = if parse.intent == Intent::Add {
            let new_names: Vec<&str> = parse.items.iter().map(|i| i.name.as_str()).collect();
            let text = replies::new_or_known(t.lang, &new_names.join(", "), &known_names);
            let choices = vec![
                (replies::known_button(t.lang, &known_names), corrected),
                (replies::new_button(t.lang), parse.clone()),
            ];
            self.ask(tx, t, text, choices, replies::neither(t.lang))
                .await?
        } else {
            let (yes, no) = replies::yes_no(t.lang);
            let text = replies::did_you_mean(t.lang, &known_names);
            self.ask(tx, t, text, vec![(yes, corrected)], no).await?
        };
        Ok(Missing::Ask(say))
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
