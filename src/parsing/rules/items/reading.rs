//! What a number means where it stands: a price, time, address or phone
//! number (rule 14), a pack size ("boxes of 100"), a total ("3 of the 5"), a
//! restatement ("Twelve (12)"), a correction ("six no sorry seven"), or a
//! negative after a verb (rule 13).

use super::super::lexicon::{self, Role};
use super::super::units;
use super::Scan;

/// Words that may stand between a number and the one that corrects it.
fn bridges(w: &str) -> bool {
    matches!(
        w,
        "no" | "sorry"
            | "wait"
            | "make"
            | "that"
            | "i"
            | "mean"
            | "or"
            | "rather"
            | "actually"
            | "nee"
            | "non"
            | "ag"
            | "um"
            | "uh"
            | "like"
            | "oops"
            | "scratch"
            | "it's"
            | "its"
            | "pardon"
            | "enfin"
            | "euh"
            | "uhm"
            | "eh"
            | "nope"
            | "correction"
            | "ek"
            | "bedoel"
    )
}

/// Words that say the number before was wrong.
fn retracts(w: &str) -> bool {
    matches!(
        w,
        "no" | "sorry"
            | "wait"
            | "make"
            | "mean"
            | "rather"
            | "actually"
            | "nee"
            | "non"
            | "scratch"
            | "pardon"
            | "nope"
            | "correction"
            | "bedoel"
            | "oops"
    )
}

impl Scan<'_, '_> {
    /// Whether the number at `i` is a price, time, address or ruled out.
    pub(super) fn blocked(&mut self, i: usize, used: usize) -> bool {
        // "0821234567": a phone number
        let w = self.toks[i].text;
        if w.len() >= 7 && w.starts_with('0') && w.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
        if let Some(prev) = i.checked_sub(1).map(|p| self.toks[p])
            && prev.punct
            && matches!(prev.text, "$" | "@" | "#" | "\u{20ac}" | "\u{a3}")
        {
            return true;
        }
        // The word before, looking past a filler or two ("at like 7").
        let mut k = i;
        let mut hops = 0;
        while k > 0 {
            k -= 1;
            let t = self.toks[k];
            if t.punct {
                break;
            }
            if hops < 2
                && matches!(
                    t.text,
                    "like" | "about" | "roughly" | "approx" | "um" | "uh"
                )
            {
                hops += 1;
                continue;
            }
            if lexicon::blocks_next_number(t.text) {
                // "sitting at 30", "we're at 30": a level, not a time
                let level = t.text == "at"
                    && k > 0
                    && matches!(
                        self.word(k - 1),
                        Some(
                            "sitting"
                                | "standing"
                                | "sit"
                                | "stand"
                                | "we're"
                                | "were"
                                | "are"
                                | "is"
                        )
                    );
                if !level {
                    if matches!(t.text, "not" | "pas" | "nie" | "instead" | "than") {
                        self.flags.not_number = true;
                    }
                    return true;
                }
            }
            break;
        }
        if let Some(next) = self.toks.get(i + used)
            && (matches!(next.text, "%" | "$" | "\u{20ac}" | "\u{a3}")
                || (!next.punct && lexicon::blocks_prev_number(next.text)))
        {
            return true;
        }
        if self.per_piece(i + used) {
            return true;
        }
        // "12 Main Rd", "14 Long Street": a street word after one or two plain
        // words (not stock: "3 trowels is weg" is three trowels gone).
        (i + used + 1..i + used + 3).any(|k| {
            self.word(k).is_some_and(lexicon::is_street)
                && (i + used..k).all(|j| self.content(j) || self.ordinal(j))
        })
    }

    /// "20 a piece", "350 le pot", "45 la pièce": a price per unit follows.
    fn per_piece(&self, at: usize) -> bool {
        match (self.word(at), self.word(at + 1)) {
            (Some("a"), Some(n)) => matches!(n, "piece" | "pop" | "unit" | "shot" | "go"),
            (Some("le" | "la" | "l'" | "par"), Some(n)) => {
                matches!(n, "piece" | "unite") || units::unit_code(n).is_some()
            }
            _ => false,
        }
    }

    /// "3 x 5L paint", "2 boxes of 100 screws": a number that sizes the pack
    /// rather than counting it. Returns the tokens to skip.
    pub(super) fn pack_size(&self, at: usize) -> usize {
        let size = self
            .word(at)
            .and_then(super::numbers::digits_value)
            .is_some();
        if !size {
            return 0;
        }
        let unit = self.word(at + 1).and_then(units::unit_code).is_some();
        let names = self.anchor_at(at + 1).is_some() || self.content(at + 1);
        match (unit, names) {
            (true, _) => 2,
            (false, true) => 1,
            _ => 0,
        }
    }

    /// "3 of the 5 hammers", "2 out of 10 ladders": the count is the first
    /// number; the second is the total it was taken from. Returns tokens to skip.
    pub(super) fn of_total(&self, at: usize) -> usize {
        let mut k = match (self.word(at), self.word(at + 1)) {
            (Some("out"), Some("of")) => at + 2,
            (Some("of"), _) => at + 1,
            _ => return 0,
        };
        if matches!(
            self.word(k),
            Some("the" | "those" | "these" | "our" | "my" | "your")
        ) {
            k += 1;
        }
        let total = self.word(k).is_some_and(|w| {
            super::numbers::digits_value(w).is_some() || super::numbers::is_number_word(w)
        });
        if total { k + 1 - at } else { 0 }
    }

    /// "Twelve (12) packs": the number restated in brackets. Returns tokens to skip.
    pub(super) fn restated(&self, at: usize, value: i64) -> usize {
        let open = self.toks.get(at).is_some_and(|t| t.is('('));
        let same = self.word(at + 1).and_then(super::numbers::digits_value) == Some(value);
        let close = self.toks.get(at + 2).is_some_and(|t| t.is(')'));
        if open && same && close { 3 } else { 0 }
    }

    /// "6th", "21st": an ordinal (part of an address, never a count).
    fn ordinal(&self, j: usize) -> bool {
        self.word(j).is_some_and(|w| {
            w.starts_with(|c: char| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].iter().any(|s| w.ends_with(s))
        })
    }

    /// A verb earlier in the same part turns "-5" into a negative quantity.
    pub(super) fn verb_before(&self, i: usize) -> bool {
        // Skip the sign itself, then look back over this part of the message.
        (0..i.saturating_sub(1))
            .rev()
            .take_while(|&k| !self.toks[k].punct || self.toks[k].text == ":")
            .any(|k| self.roles[k] == Role::Cue)
    }

    /// "six no sorry seven": true when only correction words stand between the
    /// previous quantity and this one, and one of them retracts it.
    pub(super) fn corrects_previous(&self, i: usize) -> bool {
        let Some((end, _)) = self.last_num else {
            return false;
        };
        if end >= i {
            return false;
        }
        let between = &self.toks[end..i];
        between
            .iter()
            .all(|t| (t.punct && t.text == ",") || (!t.punct && bridges(t.text)))
            && between.iter().any(|t| !t.punct && retracts(t.text))
    }
}
