//! Intent from evidence: every cue adds weight to the intents it speaks for,
//! the sentence form and the items reshape the scores, the sender's role is a
//! mild prior, and the best intent comes with a confidence from its strength
//! and its lead over the runner-up.
//!
//! Two rules are absolute, whatever the weights: a question never yields a
//! stock change, and a count (`set`) needs a number or a zero phrase.

use super::cues::Cue;
use super::form::Form;
use super::phrases::Hit;
pub use super::scores::{INTENTS, Scores};
use super::shape;
pub use super::summary::Summary;
use super::text::Token;
use crate::parsing::{Intent, Sender};

/// "a drill he bought yesterday", "the 12 padlocks we ordered": a verb whose
/// subject pronoun follows an item describes the item, not what happened to
/// stock. Third-person and relative pronouns count after any item; "we", "I"
/// and "you" only straight after a catalogue item's name.
fn subordinate(
    toks: &[Token<'_>],
    hit: &Hit,
    first_item_at: Option<usize>,
    anchored: &[bool],
) -> bool {
    if first_item_at.is_none_or(|f| hit.at <= f) {
        return false;
    }
    (hit.at.saturating_sub(2)..hit.at).any(|j| {
        let t = toks[j];
        let third = matches!(
            t.text,
            "he" | "she"
                | "they"
                | "who"
                | "which"
                | "that"
                | "qui"
                | "que"
                | "wat"
                | "wie"
                | "hy"
                | "sy"
                | "hulle"
        );
        let first = matches!(t.text, "we" | "i" | "you" | "ons" | "ek" | "nous")
            && j > 0
            && anchored[j - 1];
        !t.punct && (third || first)
    })
}

/// Evidence that stock moved in or out.
fn is_move(c: Cue) -> bool {
    matches!(
        c,
        Cue::Arrive
            | Cue::Added
            | Cue::Return
            | Cue::InMark
            | Cue::GotQty
            | Cue::Sale
            | Cue::Used
            | Cue::Loss
            | Cue::Took
            | Cue::Bought
            | Cue::OutMark
    )
}

fn after_preposition(toks: &[Token<'_>], i: usize) -> bool {
    i > 0 && super::words::is_preposition(toks[i - 1].text)
}

fn ends_sentence(t: &Token<'_>) -> bool {
    t.punct && matches!(t.text, "." | "!" | "?" | ";")
}

/// Scores every intent. `notes` receives the evidence read.
pub fn score(
    toks: &[Token<'_>],
    anchored: &[bool],
    hits: &[Hit],
    form: &Form,
    sum: &Summary,
    sender: Sender,
    note: impl FnMut(String),
) -> Scores {
    let t = tally(toks, anchored, hits, form, sum, note);
    shape::finish(t, hits, form, sum, sender)
}

/// The evidence summed per intent, with count evidence kept apart: it counts
/// only with a number (or, for zero phrases, only without one).
pub struct Tally {
    pub sc: Scores,
    pub set_qty: f32,
    pub set_zero: f32,
    /// "we have", "now", "just": count words that are only aspect beside a verb.
    pub aspect: f32,
    /// A verb moving stock in or out (outside questions).
    pub move_cue: bool,
    /// Any stock-change verb, counts included.
    pub change_cue: bool,
    /// "stock"/"inventory" beside a number: a count.
    pub stock_count: bool,
}

fn tally(
    toks: &[Token<'_>],
    anchored: &[bool],
    hits: &[Hit],
    form: &Form,
    sum: &Summary,
    mut note: impl FnMut(String),
) -> Tally {
    use Intent::*;
    let mut sc = Scores {
        s: [0.0; 10],
        zero: false,
    };
    let (mut set_qty, mut set_zero, mut aspect) = (0.0f32, 0.0f32, 0.0f32);
    let mut seen: Vec<Cue> = Vec::with_capacity(hits.len());
    let (mut move_cue, mut change_cue, mut stock_count) = (false, false, false);
    let first_word = toks.iter().position(|t| !t.punct);
    let request_at = hits
        .iter()
        .find(|h| {
            matches!(
                h.cue,
                Cue::Want | Cue::Ask | Cue::Reserve | Cue::Send | Cue::Buy
            )
        })
        .map(|h| h.at);
    let requested = request_at.is_some() || hits.iter().any(|h| h.cue == Cue::OrderWord);
    for h in hits {
        if seen.contains(&h.cue) {
            continue;
        }
        seen.push(h.cue);
        let q = form.question_at(h.at);
        // A verb in a relative clause or a prepositional stretch describes
        // something else: "a drill he bought", "cracked during the delivery".
        // "I want 3 bags delivered": a stock verb after a request in the same
        // sentence completes the request.
        let complement = is_move(h.cue)
            && request_at
                .is_some_and(|r| r < h.at && !toks[r..h.at].iter().any(|t| ends_sentence(t)));
        let aside =
            subordinate(toks, h, sum.first_item_at, anchored) || form.aside_at(h.at) || complement;
        let f = if aside { 0.3 } else { 1.0 };
        let lead = if Some(h.at) == first_word { 0.5 } else { 0.0 };
        note(format!(
            "evidence: {:?} at {}{}",
            h.cue,
            h.at,
            if q { " (question)" } else { "" }
        ));
        let change = |i: Intent, w: f32, sc: &mut Scores| {
            if q {
                sc.add(Query, 1.0 * f);
            } else {
                sc.add(i, (w + lead) * f);
            }
        };
        match h.cue {
            Cue::Arrive | Cue::Added => change(Add, 3.0, &mut sc),
            Cue::Return => change(Add, 3.5, &mut sc),
            Cue::InMark => change(Add, 2.5, &mut sc),
            // "6 more padlocks" is stock coming in, unless someone asks for them
            Cue::MoreQty if !requested => change(Add, 3.0, &mut sc),
            Cue::MoreQty => {}
            Cue::GotQty => change(Add, 2.0, &mut sc),
            Cue::Sale | Cue::Used | Cue::Loss => change(Remove, 3.0, &mut sc),
            Cue::Took => change(Remove, 2.5, &mut sc),
            Cue::Bought => change(Remove, 2.5, &mut sc),
            Cue::OutMark => change(Remove, 2.5, &mut sc),
            Cue::Count
            | Cue::SetTo
            | Cue::Correction
            | Cue::Level
            | Cue::Now
            | Cue::Only
            | Cue::HaveQty => {
                let w = match h.cue {
                    Cue::Count | Cue::SetTo => 3.0,
                    Cue::Correction | Cue::Level => 2.0,
                    Cue::HaveQty => 1.5,
                    _ => 0.5,
                };
                if q {
                    sc.add(
                        Query,
                        if matches!(h.cue, Cue::Level | Cue::Count) {
                            2.0
                        } else {
                            1.0
                        },
                    );
                } else {
                    set_qty += (w + lead) * f;
                    if matches!(h.cue, Cue::HaveQty | Cue::Now | Cue::Only) {
                        aspect += (w + lead) * f;
                    }
                }
            }
            Cue::Zero => {
                if q {
                    sc.add(Query, 2.0);
                } else {
                    set_zero += 3.5 * f;
                    sc.zero = true;
                }
            }
            Cue::HowMany => sc.add(Query, 4.0),
            Cue::Stocked if q => sc.add(Query, 3.0),
            // "12 hammers in stock now": a statement of the level
            // "12 hammers in stock now": a statement of the level
            Cue::Stocked if sum.explicit_qty && matches!(toks[h.at].text, "in" | "en") => {
                set_qty += 1.5 * f;
            }
            Cue::Stocked => sc.add(Query, 2.5 * f),
            Cue::Check => sc.add(Query, 2.0),
            // "inventaire : 40 clous", "stock: hammers 14": a count
            // "stock: hammers 14", not "into stock" (a destination)
            Cue::Stock if sum.explicit_qty && !q && !aside && !after_preposition(toks, h.at) => {
                stock_count = true;
            }
            Cue::Stock => {
                sc.add(List, 2.5);
                sc.add(Query, 0.5);
            }
            Cue::Low => sc.add(List, 3.5),
            Cue::Want => sc.add(Order, 3.0 * f),
            Cue::Ask => sc.add(Order, 3.5 * f),
            Cue::Reserve => sc.add(Order, 4.0 * f),
            Cue::Send | Cue::OrderWord => sc.add(Order, 2.5 * f),
            Cue::Buy => sc.add(Order, 3.0 * f),
            Cue::Cancel => sc.add(Cancel, 4.0),
            Cue::Undo => sc.add(Undo, 5.0),
            Cue::UndoMark => sc.add(Undo, 2.0),
            Cue::Help => sc.add(Help, 4.0),
        }
        let moves = is_move(h.cue);
        move_cue |= !q && moves;
        change_cue |= !q && (moves || matches!(h.cue, Cue::Count | Cue::SetTo));
    }
    Tally {
        sc,
        set_qty,
        set_zero,
        aspect,
        move_cue,
        change_cue,
        stock_count,
    }
}
