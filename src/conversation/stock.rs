//! Staff stock changes: add, remove, set, undo, and pack sizes.

use super::{
    Conversation,
    decide::Missing,
    replies::{self, Packs},
    special::PackSize,
    turn::{Say, Turn, Work},
};
use crate::{
    inventory::{Change, Origin, StockBook, is_undoable},
    parsing::{Intent, Item, Parse},
    storage::{WriteTx, items},
};

impl Conversation {
    /// Applies a staff member's add, remove or set: all lines or none.
    pub(super) async fn change_stock(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        parse: &Parse,
    ) -> Result<Vec<Say>, sqlx::Error> {
        match self.check_known(w.tx, t, parse, w.book, w.known).await? {
            Missing::Nothing => {}
            Missing::Ask(say) => return Ok(vec![say]),
            Missing::Unknown(name) => {
                return Ok(vec![Say::Text(replies::no_such_item(t.lang, &name))]);
            }
        }
        let mut changes = Vec::with_capacity(parse.items.len());
        let mut packs = Vec::with_capacity(parse.items.len());
        for item in &parse.items {
            let (quantity, pack) = in_singles(item, w.book);
            changes.push((
                item.name.clone(),
                match parse.intent {
                    Intent::Add => Change::Add(quantity),
                    Intent::Remove => Change::Remove(quantity),
                    _ => Change::Set(quantity),
                },
            ));
            packs.push(pack);
        }
        let text = match w
            .fx
            .change(w.book, &changes, &t.origin(parse.intent.as_str()))
        {
            Ok(applied) => {
                // An item the shop did not have is said to be new, so a typo
                // that made one is seen (and undone) at once. Only its first
                // add is: another message of the same batch may add to it again.
                let (new, old): (Vec<_>, Vec<_>) =
                    applied.into_iter().zip(packs).partition(|(a, _)| {
                        parse.intent == Intent::Add && !w.known.contains(&a.name) && a.before == 0
                    });
                let mut lines: Vec<String> = new
                    .iter()
                    .map(|(a, _)| replies::new_item(t.lang, &a.name, a.here_after))
                    .collect();
                if !old.is_empty() {
                    lines.push(replies::applied(t.lang, &old));
                }
                lines.join("\n")
            }
            Err(refusal) => replies::refusal(t.lang, &refusal),
        };
        Ok(vec![Say::Text(text)])
    }

    /// Reverts the sender's latest change, once, within the undo window.
    pub(super) async fn undo(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
    ) -> Result<Vec<Say>, sqlx::Error> {
        // A change made earlier in this batch is not in the database yet.
        let (lines, made_at, at) = match w.book.recent_change(t.wa_id) {
            Some(change) => (change.lines, t.now, change.location),
            None => {
                let rows = items::last_change(w.tx, t.wa_id).await?;
                let made_at = rows.first().map_or(0, |r| r.created_at);
                let at = rows.first().map_or(t.location, |r| r.location_id);
                let lines = rows
                    .into_iter()
                    .map(|r| (r.name, r.delta, r.reason))
                    .collect();
                (lines, made_at, at)
            }
        };
        // Only one level: the latest change being an undo means nothing is left.
        if lines.is_empty() || lines.iter().any(|(_, _, reason)| reason == "undo") {
            return Ok(vec![Say::Text(replies::nothing_to_undo(t.lang))]);
        }
        debug_assert!(lines.iter().all(|(_, _, r)| is_undoable(r)));
        let window = self.settings.shop.undo_window;
        if made_at < t.now - window.as_millis() as i64 {
            let minutes = window.as_secs().div_ceil(60);
            return Ok(vec![Say::Text(replies::undo_too_old(t.lang, minutes))]);
        }
        let named: Vec<Item> = lines
            .iter()
            .map(|(name, _, _)| Item {
                name: name.clone(),
                quantity: None,
                unit: None,
            })
            .collect();
        self.lock_more(w.tx, w.book, &named).await?;
        // Reverse by difference, so changes others made since are kept; a
        // zero line (a count confirmed) still records that it was undone.
        let changes: Vec<(String, Change)> = lines
            .into_iter()
            .map(|(name, delta, _)| {
                let change = if delta > 0 {
                    Change::Remove(delta)
                } else {
                    Change::Add(-delta)
                };
                (name, change)
            })
            .collect();
        // Undone where it was done, whichever number "undo" was sent to.
        let origin = Origin {
            location: at,
            ..t.origin("undo")
        };
        let text = match w.fx.change(w.book, &changes, &origin) {
            Ok(applied) => replies::undone(t.lang, &applied),
            Err(refusal) => replies::undo_refused(t.lang, &refusal),
        };
        Ok(vec![Say::Text(text)])
    }

    /// "1 box of screws = 50", from staff.
    pub(super) async fn set_pack(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        pack: &PackSize,
        book: &mut StockBook,
    ) -> Result<Vec<Say>, sqlx::Error> {
        if !t.role.keeps_stock() {
            return Ok(vec![Say::Text(replies::staff_only(t.lang))]);
        }
        let item = Item {
            name: pack.item.clone(),
            quantity: None,
            unit: None,
        };
        self.lock_more(tx, book, std::slice::from_ref(&item))
            .await?;
        if book.get(&pack.item).is_none() {
            return Ok(vec![Say::Text(replies::no_such_item(t.lang, &pack.item))]);
        }
        items::set_pack(tx, &pack.item, pack.unit, pack.size, t.now);
        book.set_pack(&pack.item, pack.unit, pack.size);
        Ok(vec![Say::Text(replies::pack_set(
            t.lang, &pack.item, pack.unit, pack.size,
        ))])
    }
}

/// A line's quantity in singles: "2 boxes of screws" is 100 when a box of
/// screws is known to hold 50.
fn in_singles(item: &Item, book: &StockBook) -> (i64, Option<Packs>) {
    let quantity = item.quantity.unwrap_or(0);
    let row = book.get(&item.name);
    match (row, item.unit.as_deref()) {
        (Some(row), Some(unit)) if row.pack_unit.as_deref() == Some(unit) => {
            match row.pack_size.filter(|s| *s > 1) {
                Some(size) => (
                    quantity.saturating_mul(size),
                    Some(Packs {
                        packs: quantity,
                        unit: unit.to_string(),
                        size,
                    }),
                ),
                None => (quantity, None),
            }
        }
        _ => (quantity, None),
    }
}
