//! Names in the item scan: a known item extended into a longer product or
//! dropped as a mere modifier, and a bare "a"/"an" read as one.

use super::super::anchor::Anchor;
use super::super::lexicon::Role;
use super::super::{numbers, units};
use super::{NameText, Piece, Scan};

/// French adjectives that follow their noun and belong to the product name.
fn french_adjective(w: &str) -> bool {
    let stem = w.trim_end_matches('s');
    matches!(
        stem,
        "blanc"
            | "blanche"
            | "noir"
            | "noire"
            | "rouge"
            | "bleu"
            | "bleue"
            | "vert"
            | "verte"
            | "jaune"
            | "gri"
            | "grise"
            | "grand"
            | "grande"
            | "petit"
            | "petite"
            | "long"
            | "longue"
            | "court"
            | "courte"
            | "fin"
            | "fine"
            | "gro"
            | "grosse"
            | "epai"
            | "epaisse"
            | "galvanise"
            | "galvanisee"
            | "plastique"
            | "metallique"
            | "brun"
            | "brune"
            | "mat"
            | "brillant"
            | "brillante"
    )
}

impl Scan<'_, '_> {
    /// A known item at `a`: extends it into a longer product name when a
    /// plain noun follows a singular head, or drops it when it only describes
    /// a person or delivery ("the bread guy"). Returns the next token.
    pub(super) fn known(&mut self, a: Anchor) -> usize {
        // Words right before a known item are not part of it.
        if !self.run.is_empty() {
            self.flags.stray_words = self.flags.stray_words.saturating_add(self.run.len() as u8);
            self.run.clear();
        }
        let mut end = a.end;
        while end < a.end + 2 && self.content(end) {
            let w = self.toks[end].text;
            // "the rope snapped": a verb form does not lengthen the name
            let verb_form = w.ends_with("ed") && w.len() > 4;
            let plain = !verb_form
                && w.len() >= 3
                && w.chars().all(char::is_alphabetic)
                && units::unit_code(w).is_none()
                && !numbers::is_number_word(w);
            if !(french_adjective(w) || (plain && !a.plural)) {
                break;
            }
            end += 1;
        }
        let modifier = self.word(end).is_some_and(|w| {
            self.roles[end] == Role::Agent
                || matches!(
                    w,
                    "delivery" | "deliveries" | "rep" | "section" | "aisle" | "department"
                )
        });
        if modifier {
            self.pieces.push(Piece::Verb);
            return end;
        }
        let text = if end > a.end {
            NameText::Words {
                words: self.toks[a.start..end].iter().map(|t| t.text).collect(),
                compound: true,
            }
        } else {
            NameText::Known {
                entry: a.entry,
                typo: a.typo,
            }
        };
        self.pieces.push(Piece::Name {
            text,
            at: a.start,
            ctx: self.ctx,
        });
        end
    }

    /// "sold a wheelbarrow", "and a saw", "une boîte de": "a" means one when a
    /// name or unit follows and nothing else claimed the slot. Returns the
    /// tokens read.
    pub(super) fn article_one(&mut self, i: usize) -> Option<usize> {
        let w = self.toks[i].text;
        if !matches!(w, "a" | "an" | "un" | "une" | "'n") || self.ctx {
            return None;
        }
        // French "il y a", "on a", "qui a": "a" is the verb "has", not "one"
        let after = |p: usize| self.word(p);
        let verb_a = w == "a"
            && i.checked_sub(1).and_then(after).is_some_and(|p| {
                matches!(
                    p,
                    "y" | "il" | "elle" | "on" | "qui" | "ca" | "ce" | "cela" | "client" | "klant"
                )
            });
        if verb_a {
            return None;
        }
        // "a faulty kettle", "a spare padlock": look past describing words.
        let mut next = i + 1;
        while next < i + 3 && self.word(next).is_some() && self.roles[next] == Role::Stop {
            next += 1;
        }
        let names_next = self.anchor_at(next).is_some()
            || self.content(next)
            || self
                .word(next)
                .is_some_and(|n| units::unit_code(n).is_some() && !units::needs_number(n));
        let slot = matches!(
            self.pieces.last(),
            None | Some(Piece::Verb | Piece::Join | Piece::Break)
        );
        if !names_next || !slot || !self.run.is_empty() {
            return None;
        }
        self.pieces.push(Piece::Num {
            value: 1,
            implicit: true,
            unit: None,
        });
        // The describing words are skipped: they are not part of the name.
        Some(next - i)
    }
}
