//! Stock rules, free of HTTP and SQL.
//!
//! A `StockBook` holds the rows a transaction has locked. Changes are applied
//! to it in memory, message by message, then written back in a few statements:
//! that keeps the rules in plain Rust and lets one transaction cover a whole
//! batch of messages.

use std::collections::{BTreeMap, HashMap};

mod effects;

pub use effects::{Effects, LowStock, item_ref};

use crate::storage::items::{ItemRow, NewMovement};

/// Highest balance an item may reach; far above any shop, far below overflow.
pub const MAX_BALANCE: i64 = 1_000_000_000_000;

/// A requested stock change on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Add(i64),
    Remove(i64),
    Set(i64),
}

/// A change that was applied: the item's total balance before and after,
/// and its balance at the location changed (the same with one location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: String,
    pub change: Change,
    pub before: i64,
    pub after: i64,
    pub location: i64,
    pub here_before: i64,
    pub here_after: i64,
}

/// Why a set of changes was refused (nothing of it was applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownItem {
        name: String,
    },
    NotEnough {
        name: String,
        available: i64,
        requested: i64,
    },
    TooMuch {
        name: String,
    },
}

/// Who made a change, why, and where, for the ledger.
#[derive(Debug, Clone)]
pub struct Origin {
    pub reason: &'static str,
    pub actor: Option<String>,
    pub source_message_id: Option<String>,
    /// The location whose stock changes.
    pub location: i64,
}

/// Ledger reasons a person's undo may revert (or that end an undo chain).
pub fn is_undoable(reason: &str) -> bool {
    matches!(reason, "add" | "remove" | "set" | "undo")
}

/// A person's latest change: the message behind it and (item, delta, reason) lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentChange {
    pub source: Option<String>,
    pub lines: Vec<(String, i64, String)>,
    /// Where it was made (one message changes one location).
    pub location: i64,
}

#[derive(Debug, Default)]
pub struct StockBook {
    items: HashMap<String, ItemRow>,
    /// (item id, location) → balance there; absent is none.
    here: HashMap<(i64, i64), i64>,
    movements: Vec<NewMovement>,
    /// item id → latest balance, for items changed in this book.
    dirty: BTreeMap<i64, i64>,
    /// (item id, location) → latest balance there, for splits changed.
    dirty_here: BTreeMap<(i64, i64), i64>,
}

/// What a book writes back: total balances, balances by location, ledger lines.
pub struct Writes {
    pub balances: Vec<(i64, i64)>,
    pub by_location: Vec<(i64, i64, i64)>,
    pub movements: Vec<NewMovement>,
}

impl StockBook {
    pub fn new(rows: Vec<ItemRow>) -> Self {
        let mut book = Self::default();
        book.extend(rows);
        book
    }

    /// The item's balance at `location`.
    pub fn at(&self, name: &str, location: i64) -> i64 {
        self.items
            .get(name)
            .and_then(|r| self.here.get(&(r.id, location)))
            .copied()
            .unwrap_or(0)
    }

    pub fn get(&self, name: &str) -> Option<&ItemRow> {
        self.items.get(name)
    }

    /// Adds rows locked later in the transaction; rows already held (and
    /// perhaps already changed) are kept.
    pub fn extend(&mut self, rows: Vec<ItemRow>) {
        for row in rows {
            if self.items.contains_key(&row.name) {
                continue;
            }
            for (location, quantity) in row.split() {
                self.here.insert((row.id, location), quantity);
            }
            self.items.insert(row.name.clone(), row);
        }
    }

    /// Records a pack size on a held row, so later lines in the batch use it.
    pub fn set_pack(&mut self, name: &str, unit: &str, size: i64) {
        if let Some(row) = self.items.get_mut(name) {
            row.pack_unit = Some(unit.to_string());
            row.pack_size = Some(size);
        }
    }

    pub fn by_sku(&self, sku: &str) -> Option<&ItemRow> {
        self.items.values().find(|r| r.sku.as_deref() == Some(sku))
    }

    /// The latest change `actor` made in this book, if any: the message it
    /// came from and its lines as (item, delta, reason). Undo needs it when
    /// the change is not in the database yet (same batch).
    pub fn recent_change(&self, actor: &str) -> Option<RecentChange> {
        let last = self
            .movements
            .iter()
            .rev()
            .find(|m| m.actor.as_deref() == Some(actor) && is_undoable(&m.reason))?;
        let source = last.source_message_id.clone();
        let location = last.location_id;
        let lines = self
            .movements
            .iter()
            .filter(|m| {
                m.actor.as_deref() == Some(actor)
                    && m.source_message_id == source
                    && is_undoable(&m.reason)
            })
            .map(|m| {
                let name = self
                    .items
                    .values()
                    .find(|r| r.id == m.item_id)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                (name, m.delta, m.reason.clone())
            })
            .collect();
        Some(RecentChange {
            source,
            lines,
            location,
        })
    }

    /// Applies all changes or none: one message's lines succeed or fail
    /// together. Removals and sets act on the origin's location; the item's
    /// total moves by the same amount.
    pub fn apply(
        &mut self,
        changes: &[(String, Change)],
        origin: &Origin,
    ) -> Result<Vec<Applied>, Refusal> {
        // Work on running balances so two lines on one item add up correctly.
        let mut running: HashMap<&str, (i64, i64)> = HashMap::new();
        let mut applied = Vec::with_capacity(changes.len());
        let place = origin.location;
        for (name, change) in changes {
            let row = self
                .items
                .get(name)
                .ok_or_else(|| Refusal::UnknownItem { name: name.clone() })?;
            let (before, here_before) = *running
                .get(name.as_str())
                .unwrap_or(&(row.quantity, self.at(name, place)));
            let here_after = match *change {
                Change::Add(n) => here_before.saturating_add(n),
                Change::Remove(n) if n > here_before => {
                    return Err(Refusal::NotEnough {
                        name: name.clone(),
                        available: here_before,
                        requested: n,
                    });
                }
                Change::Remove(n) => here_before - n,
                Change::Set(n) => n,
            };
            let after = before.saturating_add(here_after - here_before);
            if !(0..=MAX_BALANCE).contains(&here_after) || !(0..=MAX_BALANCE).contains(&after) {
                return Err(Refusal::TooMuch { name: name.clone() });
            }
            running.insert(name.as_str(), (after, here_after));
            applied.push(Applied {
                name: name.clone(),
                change: *change,
                before,
                after,
                location: place,
                here_before,
                here_after,
            });
        }
        for a in &applied {
            let row = self.items.get_mut(&a.name).expect("checked above");
            row.quantity = a.after;
            self.dirty.insert(row.id, a.after);
            self.here.insert((row.id, place), a.here_after);
            self.dirty_here.insert((row.id, place), a.here_after);
            // A set to the same count still leaves a (zero) line: the count was confirmed.
            self.movements.push(NewMovement {
                item_id: row.id,
                delta: a.after - a.before,
                balance_after: a.after,
                reason: origin.reason.to_string(),
                actor: origin.actor.clone(),
                source_message_id: origin.source_message_id.clone(),
                location_id: place,
            });
        }
        Ok(applied)
    }

    /// The balances and ledger lines to write back.
    pub fn into_writes(self) -> Writes {
        Writes {
            balances: self.dirty.into_iter().collect(),
            by_location: self
                .dirty_here
                .into_iter()
                .map(|((item, location), q)| (item, location, q))
                .collect(),
            movements: self.movements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> StockBook {
        StockBook::new(vec![
            ItemRow {
                id: 1,
                name: "screw".into(),
                quantity: 10,
                stock: Some("1:10".into()),
                ..ItemRow::default()
            },
            ItemRow {
                id: 2,
                name: "bolt".into(),
                quantity: 0,
                ..ItemRow::default()
            },
        ])
    }

    fn origin() -> Origin {
        Origin {
            reason: "remove",
            actor: Some("27825550101".into()),
            source_message_id: None,
            location: 1,
        }
    }

    #[test]
    fn all_or_nothing() {
        let mut b = book();
        let refused = b.apply(
            &[
                ("screw".into(), Change::Remove(3)),
                ("bolt".into(), Change::Remove(1)),
            ],
            &origin(),
        );
        assert_eq!(
            refused,
            Err(Refusal::NotEnough {
                name: "bolt".into(),
                available: 0,
                requested: 1
            })
        );
        assert_eq!(b.get("screw").unwrap().quantity, 10);
        let w = b.into_writes();
        assert!(w.balances.is_empty() && w.movements.is_empty() && w.by_location.is_empty());
    }

    #[test]
    fn lines_on_one_item_accumulate_and_ledger_matches() {
        let mut b = book();
        let applied = b
            .apply(
                &[
                    ("screw".into(), Change::Remove(6)),
                    ("screw".into(), Change::Remove(5)),
                ],
                &origin(),
            )
            .unwrap_err();
        assert_eq!(
            applied,
            Refusal::NotEnough {
                name: "screw".into(),
                available: 4,
                requested: 5
            }
        );
        b.apply(&[("screw".into(), Change::Set(4))], &origin())
            .unwrap();
        b.apply(&[("screw".into(), Change::Add(7))], &origin())
            .unwrap();
        let w = b.into_writes();
        assert_eq!(w.balances, vec![(1, 11)]);
        assert_eq!(w.by_location, vec![(1, 1, 11)]);
        assert_eq!(w.movements.iter().map(|m| m.delta).sum::<i64>(), 11 - 10);
    }

    #[test]
    fn unknown_and_overflow_are_refused() {
        let mut b = book();
        assert!(matches!(
            b.apply(&[("nail".into(), Change::Add(1))], &origin()),
            Err(Refusal::UnknownItem { .. })
        ));
        assert!(matches!(
            b.apply(&[("screw".into(), Change::Set(MAX_BALANCE + 1))], &origin()),
            Err(Refusal::TooMuch { .. })
        ));
    }

    #[test]
    fn locations_keep_their_own_stock() {
        let mut b = StockBook::new(vec![ItemRow {
            id: 7,
            name: "bolt".into(),
            quantity: 15,
            stock: Some("1:5,2:10".into()),
            ..ItemRow::default()
        }]);
        let at = |location| Origin {
            location,
            ..origin()
        };
        // Main has 5: it cannot sell 6 even though the shop holds 15.
        assert_eq!(
            b.apply(&[("bolt".into(), Change::Remove(6))], &at(1)),
            Err(Refusal::NotEnough {
                name: "bolt".into(),
                available: 5,
                requested: 6
            })
        );
        let a = b.apply(&[("bolt".into(), Change::Set(4))], &at(2)).unwrap();
        assert_eq!((a[0].before, a[0].after), (15, 9));
        assert_eq!((a[0].here_before, a[0].here_after), (10, 4));
        b.apply(&[("bolt".into(), Change::Add(3))], &at(3)).unwrap();
        assert_eq!(
            (b.at("bolt", 1), b.at("bolt", 2), b.at("bolt", 3)),
            (5, 4, 3)
        );
        let w = b.into_writes();
        assert_eq!(w.balances, vec![(7, 12)]);
        assert_eq!(w.by_location, vec![(7, 2, 4), (7, 3, 3)]);
        assert_eq!(w.movements[0].location_id, 2);
    }
}
