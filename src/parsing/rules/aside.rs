//! Asides: stretches after a preposition or a subordinating word ("during
//! the delivery", "when the truck came", "for the shop door"). Evidence inside
//! one describes circumstances, not what happened to stock.

use super::lexicon::Role;
use super::text::Token;
use super::words;

/// "to return 2 drills", "pour réserver": an infinitive, not context.
fn infinitive_marker(w: &str) -> bool {
    matches!(w, "to" | "pour" | "om" | "uku")
}

/// A verb in the past (or an irregular past form): the main clause resumes.
fn finite(w: &str) -> bool {
    (w.ends_with("ed") && w.len() > 4)
        || super::cues_intl::af_participle(w)
        || matches!(
            w,
            "sold"
                | "came"
                | "went"
                | "broke"
                | "got"
                | "took"
                | "brought"
                | "bought"
                | "stole"
                | "gave"
                | "threw"
                | "sent"
                | "lost"
                | "left"
                | "found"
                | "put"
                | "recu"
                | "vendu"
                | "gekry"
                | "verkoop"
                | "gebreek"
        )
}

/// Pronouns that start a new clause.
fn subject(w: &str) -> bool {
    matches!(
        w,
        "i" | "we"
            | "we've"
            | "we're"
            | "i've"
            | "i'm"
            | "you"
            | "they"
            | "ek"
            | "ons"
            | "ngi"
            | "si"
            | "nous"
            | "je"
            | "j'"
    )
}

/// Stretches after a preposition or a subordinating word, up to the next
/// punctuation or joiner.
pub fn asides(toks: &[Token<'_>], roles: &[Role]) -> Vec<bool> {
    let mut aside = vec![false; toks.len()];
    let mut on = false;
    for i in 0..toks.len() {
        let t = toks[i];
        if t.punct {
            on &= matches!(t.text, "'" | "@" | "/");
            continue;
        }
        if roles[i] == Role::Sep {
            on = false;
            continue;
        }
        // A finite verb or a new subject ends the stretch: "our order from the
        // supplier arrived", "after the count we've got 40".
        if (roles[i] == Role::Cue && finite(t.text)) || subject(t.text) {
            on = false;
        }
        aside[i] = on;
        let next_verb = roles.get(i + 1) == Some(&Role::Cue);
        let preposition = roles[i] == Role::Boundary && words::is_preposition(t.text);
        if preposition && !(infinitive_marker(t.text) && next_verb) {
            on = true;
        }
    }
    aside
}
