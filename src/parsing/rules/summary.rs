//! What the items and the wording say, condensed for scoring: how many items,
//! whether numbers were written, signs and colons, politeness, greetings, and
//! whether the message is a bare fragment.

use super::group::{Grouped, RawItem};
use super::items::{Flags, NameText};
use super::lexicon::Role;
use super::text::Token;
use super::words;

/// What the items say, for scoring.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub items: usize,
    /// A number was written (not just "a"/"an").
    pub explicit_qty: bool,
    pub any_qty: bool,
    /// Token where the first item starts.
    pub first_item_at: Option<usize>,
    pub plus_sign: bool,
    pub minus_sign: bool,
    pub colon_count: bool,
    pub equals_count: bool,
    pub not_number: bool,
    pub please: bool,
    pub greeting_only: bool,
    /// A bare fragment ("bolts?", "bolts & nuts??"): a few words, no wh-word.
    pub terse: bool,
    /// A catalogue item or a number is named (more than stray words).
    pub substantive: bool,
}

/// "hi", "Good morning!", "Howzit 👋": nothing but greetings and filler.
fn greeting_only(toks: &[Token<'_>]) -> bool {
    let mut greeted = false;
    for t in toks.iter().filter(|t| !t.punct) {
        if words::is_greeting(t.text) {
            greeted = true;
        } else if !matches!(
            t.text,
            "there"
                | "all"
                | "everyone"
                | "team"
                | "guys"
                | "again"
                | "you"
                | "bonne"
                | "journee"
                | "soir"
                | "nite"
                | "night"
                | "day"
                | "boss"
                | "bru"
                | "mate"
                | "bhuti"
                | "sisi"
                | "mama"
                | "baba"
                | "sir"
                | "maam"
                | "madam"
                | "ma'am"
                | "friend"
                | "folks"
        ) {
            return false;
        }
    }
    greeted
}

/// Items usable for the message: those named outright, or, when none is,
/// catalogue items named only in context ("how are we on sandpaper").
pub(super) fn usable<'a>(items: Vec<RawItem<'a>>) -> Vec<RawItem<'a>> {
    let (main, ctx): (Vec<_>, Vec<_>) = items
        .into_iter()
        .filter(|it| !(it.modifier && it.qty.is_none()))
        .partition(|it| !it.ctx);
    if !main.is_empty() {
        return main;
    }
    ctx.into_iter()
        .filter(|it| matches!(it.name, NameText::Known { .. }))
        .collect()
}

pub fn summary(
    toks: &[Token<'_>],
    roles: &[Role],
    anchored: &[bool],
    grouped: &Grouped<'_>,
    flags: &Flags,
) -> Summary {
    let items = usable(grouped.items.clone());
    let word_count = toks.iter().filter(|t| !t.punct).count();
    let wh = toks
        .iter()
        .any(|t| !t.punct && words::is_question_word(t.text));
    // A fragment is item words and joiners only: "bolts?", "bolts & nuts??".
    // A time word may close it: "bread today?", "brood vandag?".
    let fragment = toks.iter().zip(roles).zip(anchored).all(|((t, r), a)| {
        t.punct
            || *a
            || matches!(r, Role::Content | Role::Sep | Role::Filler)
            || words::is_greeting(t.text)
            || words::is_time(t.text)
    });
    Summary {
        items: items.len(),
        explicit_qty: items.iter().any(|it| it.qty.is_some() && !it.implicit),
        any_qty: items.iter().any(|it| it.qty.is_some()),
        first_item_at: items.iter().map(|it| it.at).min(),
        plus_sign: flags.plus_sign,
        minus_sign: flags.minus_sign,
        colon_count: flags.colon_count,
        equals_count: flags.equals_count,
        not_number: flags.not_number,
        please: toks
            .iter()
            .zip(roles)
            .any(|(t, _)| matches!(t.text, "please" | "asseblief" | "svp" | "stp")),
        greeting_only: greeting_only(toks),
        terse: word_count <= 4 && !wh && fragment,
        substantive: items
            .iter()
            .any(|it| it.qty.is_some() || matches!(it.name, NameText::Known { .. })),
    }
}
