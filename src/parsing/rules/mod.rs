//! The rule parser: chat messages about stock, in English, French and English
//! mixed with Afrikaans or Zulu, turned into the parse contract without a network.
//!
//! Pipeline: safety screen; fold and tokenise; normalise (Zulu prefixes, chat
//! shorthand, misspelt intent words); word roles; known-item anchors; item
//! scan and grouping; evidence (words, phrases, their context); sentence form;
//! scores per intent with a confidence; items built for the winning intent;
//! the contract's bounds.

pub(crate) mod anchor;
mod aside;
mod build;
mod catalogue;
mod context;
mod cues;
mod cues_intl;
mod cues_zu;
mod evidence;
mod fasthash;
mod form;
mod group;
mod items;
mod lexicon;
mod names;
mod neighbours;
mod normalize;
mod numbers;
mod phrase_table;
mod phrases;
mod roles;
mod safety;
mod scores;
mod shape;
mod singular;
mod summary;
mod text;
mod typo;
mod units;
mod words;

#[cfg(test)]
mod tests;

use crate::parsing::{Intent, KnownItems, Parse, Sender};

pub use names::closest_known;
pub use safety::looks_unsafe;
pub use singular::singular;

/// A parse with how sure the parser is of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The best reading (the contract).
    pub parse: Parse,
    /// 0..1: how sure the intent (and items) are right.
    pub confidence: f32,
    /// 0..1: how sure the intent alone is, before doubts about the items
    /// (names outside the catalogue, numbers far from their names).
    pub intent_confidence: f32,
    /// The runner-up intent when it was close.
    pub alternative: Option<Intent>,
}

/// Below this a stock change is confirmed with the person before it is applied.
pub const ASK_BELOW: f32 = 0.7;

impl Reading {
    fn sure(parse: Parse) -> Self {
        Self {
            parse,
            confidence: 1.0,
            intent_confidence: 1.0,
            alternative: None,
        }
    }

    /// Whether the bot should ask before acting on this reading.
    pub fn needs_confirmation(&self) -> bool {
        matches!(
            self.parse.intent,
            Intent::Add | Intent::Remove | Intent::Set
        ) && self.confidence < ASK_BELOW
    }
}

/// Reads one message.
pub fn read(text: &str, known: &KnownItems, sender: Sender) -> Reading {
    run(text, known, sender, &mut Notes(None))
}

/// Reads one message, with notes on the evidence and each intent's score.
pub fn read_explained(text: &str, known: &KnownItems, sender: Sender) -> (Reading, Vec<String>) {
    let mut notes = Vec::new();
    let reading = run(text, known, sender, &mut Notes(Some(&mut notes)));
    (reading, notes)
}

/// Parses one message (the best reading, sender unknown).
pub fn parse(text: &str, known: &KnownItems) -> Parse {
    read(text, known, Sender::Unknown).parse
}

/// Parses one message, with notes on which rules fired.
pub fn parse_explained(text: &str, known: &KnownItems) -> (Parse, Vec<String>) {
    let (reading, notes) = read_explained(text, known, Sender::Unknown);
    (reading.parse, notes)
}

/// Explanation notes, built only when asked for.
pub(crate) struct Notes<'n>(Option<&'n mut Vec<String>>);

impl Notes<'_> {
    fn add(&mut self, note: impl FnOnce() -> String) {
        if let Some(v) = self.0.as_mut() {
            v.push(note());
        }
    }

    fn on(&self) -> bool {
        self.0.is_some()
    }
}

fn run(text: &str, known: &KnownItems, sender: Sender, notes: &mut Notes<'_>) -> Reading {
    if safety::looks_unsafe(text) {
        notes.add(|| "safety: instructions or code in the message (rules 16-17)".into());
        return Reading::sure(Parse::unknown());
    }
    let norm = text::fold(text);
    let toks = normalize::normalize(text::tokenize(&norm), known, notes);
    if toks.iter().all(|t| t.punct) {
        return Reading::sure(Parse::unknown());
    }
    // What each word can be, then where the shop's own items are.
    let mut roles = roles::assign(&toks);
    let anchors = anchor::find_known(&toks, &roles, known.index());
    if notes.on() {
        for a in &anchors {
            let name = known.index().name(a.entry).to_string();
            let typo = if a.typo { " (typo)" } else { "" };
            notes.add(|| format!("known item: {name}{typo} at {}", a.start));
        }
    }
    // Evidence: words and phrases; phrase words are never item names.
    let marks = phrases::Marks::new(&toks, &roles, &anchors);
    let (hits, claimed) = phrases::find(&toks, &marks.ctx(&roles));
    roles::claim(&mut roles, &claimed, &anchors);
    // Items: quantities, units and names, paired up.
    let (pieces, flags) = items::scan(&toks, &roles, &anchors);
    let grouped = group::group(pieces, &toks);
    // Scores per intent from the evidence, the sentence form and the items.
    let form = form::Form::of(&toks, &roles);
    let summary = summary::summary(&toks, &roles, &marks.anchored, &grouped, &flags);
    let scores = evidence::score(
        &toks,
        &marks.anchored,
        &hits,
        &form,
        &summary,
        sender,
        |n| notes.add(|| n),
    );
    build::reading(scores, grouped, &flags, known, notes)
}
