//! Stock counts over chat. A staff member's open count (loaded in the
//! batch's transaction) comes before the parser: "48" or "screws 48" answer
//! the count rather than add stock. Each answer sets the item to what was
//! counted (ledger reason `count`), as a stock take does, so sales between
//! the start and the answer are not counted twice.

use super::{
    Conversation,
    count_words::{self, CountWords},
    prepare::Understood,
    turn::{Say, Turn, Work},
};
use crate::{
    domain::ledger::Reason,
    inventory::Change,
    parsing::rules::singular,
    storage::{counts, counts::LineRow, items},
};

/// An open count older than this is over: nobody is counting any more.
const OPEN_FOR_MS: i64 = 2 * 60 * 60 * 1000;
/// Items named per message: a glance at a phone, one shelf at a time.
const GROUP: usize = 10;

impl Conversation {
    /// The count reading of a staff member's message, if it has one.
    pub(super) async fn counting(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
    ) -> Result<Option<Vec<Say>>, sqlx::Error> {
        if !matches!(
            t.p.understood,
            Understood::Parsed(_) | Understood::Social(_)
        ) {
            return Ok(None);
        }
        let Some(text) = t.p.heard.as_deref().or(t.p.record.body.as_deref()) else {
            return Ok(None);
        };
        let Some(words) = count_words::read(text) else {
            return Ok(None);
        };
        let open = counts::open(w.tx, t.wa_id, t.now - OPEN_FOR_MS).await?;
        let say = match (words, open) {
            (CountWords::Start(_), Some(open)) => {
                let lines = counts::lines_in(w.tx, open.id).await?;
                count_words::to_count(&next(&lines, &[]))
            }
            (CountWords::Start(scope), None) => {
                let Some(id) = counts::start(w.tx, t.wa_id, scope.as_deref(), t.now).await? else {
                    let what = scope.unwrap_or_default();
                    return Ok(Some(vec![Say::Text(format!(
                        "No items match \"{what}\" (a category or part of a name)."
                    ))]));
                };
                let lines = counts::lines_in(w.tx, id).await?;
                count_words::started(lines.len(), scope.as_deref(), &next(&lines, &[]))
            }
            (CountWords::Finish, Some(open)) => {
                let lines = counts::lines_in(w.tx, open.id).await?;
                counts::finish(w.tx, open.id, t.now);
                let done: Vec<&LineRow> = lines.iter().filter(|l| l.counted.is_some()).collect();
                let variance = done
                    .iter()
                    .map(|l| l.counted.unwrap_or(0) - l.expected)
                    .sum();
                let missed: Vec<String> = lines
                    .iter()
                    .filter(|l| l.counted.is_none())
                    .map(|l| l.name.clone())
                    .collect();
                count_words::summary(done.len(), variance, &missed)
            }
            (CountWords::Answers(answers), Some(open)) => {
                match self.answer_count(w, t, open.id, &answers).await? {
                    Some(text) => text,
                    None => return Ok(None),
                }
            }
            // Without an open count, "done" and numbers mean what they always did.
            (_, None) => return Ok(None),
        };
        Ok(Some(vec![Say::Text(say)]))
    }

    /// Records each answer; `None` when a named item is not in the count
    /// (then the message is not a count answer at all).
    async fn answer_count(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        count_id: i64,
        answers: &[(Option<String>, i64)],
    ) -> Result<Option<String>, sqlx::Error> {
        let lines = counts::lines_in(w.tx, count_id).await?;
        let mut picked: Vec<(&LineRow, i64)> = Vec::new();
        for (name, n) in answers {
            let taken: Vec<i64> = picked.iter().map(|(l, _)| l.item_id).collect();
            let line = match name {
                Some(name) => find(&lines, name),
                None => lines
                    .iter()
                    .find(|l| l.counted.is_none() && !taken.contains(&l.item_id)),
            };
            let Some(line) = line else { return Ok(None) };
            picked.push((line, *n));
        }
        let names: Vec<&str> = picked
            .iter()
            .map(|(l, _)| l.name.as_str())
            .filter(|n| w.book.get(n).is_none())
            .collect();
        if !names.is_empty() {
            w.book.extend(items::lock(w.tx, &names).await?);
        }
        let mut out = Vec::new();
        for (line, n) in &picked {
            let change = [(line.name.clone(), Change::Set(*n))];
            let origin = t.origin(Reason::Count.as_str());
            let Ok(applied) = w.fx.change(w.book, &change, &origin) else {
                // Deleted since the count started: nothing to set.
                out.push(format!("{}: no longer stocked", line.name));
                continue;
            };
            let before = applied[0].here_before;
            counts::record(w.tx, count_id, line.item_id, before, *n, t.now);
            out.push(count_words::counted(&line.name, *n, before));
        }
        let done: Vec<i64> = picked.iter().map(|(l, _)| l.item_id).collect();
        out.push(count_words::to_count(&next(&lines, &done)));
        Ok(Some(out.join("\n")))
    }
}

/// The next group of items still to count, skipping those just answered.
fn next(lines: &[LineRow], answered: &[i64]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.counted.is_none() && !answered.contains(&l.item_id))
        .take(GROUP)
        .map(|l| l.name.clone())
        .collect()
}

/// The count line an item as written names: its name, or its singular.
fn find<'a>(lines: &'a [LineRow], written: &str) -> Option<&'a LineRow> {
    let one = singular(written);
    lines.iter().find(|l| l.name == written || l.name == one)
}
