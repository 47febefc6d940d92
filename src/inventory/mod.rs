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

/// A change that was applied: the item's balance before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: String,
    pub change: Change,
    pub before: i64,
    pub after: i64,
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

/// Who made a change and why, for the ledger.
#[derive(Debug, Clone)]
pub struct Origin {
    pub reason: &'static str,
    pub actor: Option<String>,
    pub source_message_id: Option<String>,
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
}

#[derive(Debug, Default)]
pub struct StockBook {
    items: HashMap<String, ItemRow>,
    movements: Vec<NewMovement>,
    /// item id → latest balance, for items changed in this book.
    dirty: BTreeMap<i64, i64>,
}

impl StockBook {
    pub fn new(rows: Vec<ItemRow>) -> Self {
        Self {
            items: rows.into_iter().map(|r| (r.name.clone(), r)).collect(),
            ..Self::default()
        }
    }

    pub fn get(&self, name: &str) -> Option<&ItemRow> {
        self.items.get(name)
    }

    /// Adds rows locked later in the transaction; rows already held (and
    /// perhaps already changed) are kept.
    pub fn extend(&mut self, rows: Vec<ItemRow>) {
        for row in rows {
            self.items.entry(row.name.clone()).or_insert(row);
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
        Some(RecentChange { source, lines })
    }

    /// Applies all changes or none: one message's lines succeed or fail together.
    pub fn apply(
        &mut self,
        changes: &[(String, Change)],
        origin: &Origin,
    ) -> Result<Vec<Applied>, Refusal> {
        // Work on running balances so two lines on one item add up correctly.
        let mut running: HashMap<&str, i64> = HashMap::new();
        let mut applied = Vec::with_capacity(changes.len());
        for (name, change) in changes {
            let row = self
                .items
                .get(name)
                .ok_or_else(|| Refusal::UnknownItem { name: name.clone() })?;
            let before = *running.get(name.as_str()).unwrap_or(&row.quantity);
            let after = match *change {
                Change::Add(n) => before.saturating_add(n),
                Change::Remove(n) if n > before => {
                    return Err(Refusal::NotEnough {
                        name: name.clone(),
                        available: before,
                        requested: n,
                    });
                }
                Change::Remove(n) => before - n,
                Change::Set(n) => n,
            };
            if !(0..=MAX_BALANCE).contains(&after) {
                return Err(Refusal::TooMuch { name: name.clone() });
            }
            running.insert(name.as_str(), after);
            applied.push(Applied {
                name: name.clone(),
                change: *change,
                before,
                after,
            });
        }
        for a in &applied {
            let row = self.items.get_mut(&a.name).expect("checked above");
            row.quantity = a.after;
            self.dirty.insert(row.id, a.after);
            // A set to the same count still leaves a (zero) line: the count was confirmed.
            self.movements.push(NewMovement {
                item_id: row.id,
                delta: a.after - a.before,
                balance_after: a.after,
                reason: origin.reason.to_string(),
                actor: origin.actor.clone(),
                source_message_id: origin.source_message_id.clone(),
            });
        }
        Ok(applied)
    }

    /// The balances and ledger lines to write back.
    pub fn into_writes(self) -> (Vec<(i64, i64)>, Vec<NewMovement>) {
        (self.dirty.into_iter().collect(), self.movements)
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
        let (balances, movements) = b.into_writes();
        assert!(balances.is_empty() && movements.is_empty());
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
        let (balances, movements) = b.into_writes();
        assert_eq!(balances, vec![(1, 11)]);
        assert_eq!(movements.iter().map(|m| m.delta).sum::<i64>(), 11 - 10);
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
}
