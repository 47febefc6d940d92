//! Numbers and punctuation in the item scan: signs (rule 6), prices, times and
//! addresses that are not quantities (rule 14), units after a number (rule 8),
//! and a number corrected in passing ("six no sorry seven").

use super::super::lexicon::{self, Role};
use super::super::units;
use super::{NameText, Piece, Scan};

impl Scan<'_, '_> {
    /// A quantity at `i` (value and tokens read by `number_at`). Returns the
    /// tokens consumed, with a following "x", unit and "of".
    pub(super) fn number(&mut self, i: usize, value: i64, used: usize) -> usize {
        let mut end = i + used;
        if self.word(end) == Some("x") {
            end += 1; // "3x"
            end += self.pack_size(end);
        }
        if self.blocked(i, used) {
            self.flush();
            self.pieces.push(Piece::Verb);
            return end - i;
        }
        let sign = i
            .checked_sub(1)
            .map(|p| self.toks[p])
            .filter(|t| t.punct && t.spaced && !self.toks[i].spaced && matches!(t.text, "+" | "-"))
            .map(|t| t.text);
        match sign {
            Some("+") => self.flags.plus_sign = true,
            Some(_) if self.verb_before(i) => self.flags.negative = true,
            Some(_) => self.flags.minus_sign = true,
            None => {}
        }
        if let Some(prev) = i.checked_sub(1).map(|p| self.toks[p]).filter(|t| t.punct) {
            self.flags.colon_count |= prev.text == ":";
            self.flags.equals_count |= prev.text == "=";
        }
        if self.corrects_previous(i) {
            let (_, piece) = self.last_num.expect("checked");
            self.pieces.truncate(piece);
            self.run.clear();
            self.flags.corrected = true;
        }
        self.flush();
        end += self.of_total(end);
        end += self.restated(end, value);
        let mut unit = None;
        let of_next = matches!(self.word(end + 1), Some("of" | "de" | "d'" | "des"));
        if let Some(code) = self.word(end).and_then(units::unit_code)
            && self.anchor_at(end).is_none()
        {
            unit = Some(code);
            end += 1;
        } else if let Some(code) = self.word(end).filter(|_| of_next).and_then(units::misspelt) {
            // "6 boxs of screws": a unit misspelt, before "of"
            unit = Some(code);
            end += 1;
        } else if self.word(end).is_some_and(units::is_measure_word) && of_next {
            // "6 bars of soap", "2 lengths of pipe": a way of counting, not a unit
            end += 1;
        }
        let counted_by = unit.is_some()
            || end > i + used && self.word(end - 1).is_some_and(units::is_measure_word);
        let mut of = false;
        if matches!(self.word(end), Some("of" | "de" | "d'" | "des")) {
            end += 1;
            of = true;
            if unit.is_some() {
                end += self.pack_size(end);
            }
        }
        self.last_num = Some((end, self.pieces.len()));
        self.pieces.push(Piece::Num {
            value,
            implicit: false,
            unit,
        });
        // "2 bags of potting soil", and in text-speak "20 pkts soup" (not in
        // "paint 4 tins white", where the count belongs to the name before)
        let name_before = matches!(self.pieces.iter().rev().nth(1), Some(Piece::Name { .. }));
        if (of && counted_by) || (unit.is_some() && !name_before) {
            end += self.of_phrase(end);
        }
        end - i
    }

    /// "2 bags of potting soil", "10 bags of ice": after "<unit> of" the noun
    /// phrase is the name, describing words ("potting", "crushed") included,
    /// up to a preposition, joiner or punctuation. Left to the ordinary scan
    /// when a catalogue item is named there. Returns the tokens read.
    fn of_phrase(&mut self, at: usize) -> usize {
        let mut k = at;
        while k < at + 3 && self.word(k).is_some() && self.anchor_at(k).is_none() {
            let w = self.toks[k].text;
            let describing = self.roles[k] == Role::Stop && lexicon::participle(w);
            if !(self.content(k) || describing) || w.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            k += 1;
        }
        // the head is a noun, or an -ing noun after one ("lawn dressing")
        let ends_on_noun = k > at && (self.content(k - 1) || (k > at + 1 && self.content(k - 2)));
        if !ends_on_noun || self.anchor_at(k).is_some() {
            return 0;
        }
        self.pieces.push(Piece::Name {
            text: NameText::Words {
                words: self.toks[at..k].iter().map(|t| t.text).collect(),
                compound: false,
            },
            at,
            ctx: false,
            modifier: false,
        });
        k - at
    }

    pub(super) fn punct(&mut self, i: usize) {
        let t = self.toks[i];
        let glued_number = self.toks.get(i + 1).is_some_and(|n| {
            !n.spaced && !n.punct && super::numbers::digits_value(n.text).is_some()
        });
        match t.text {
            "," | "." | "!" | "?" | ";" | "(" | ")" | "|" | ":" | "=" => {
                self.flush();
                self.pieces.push(Piece::Break);
                self.ctx = false;
            }
            "+" if t.spaced && glued_number => {} // a sign, read with its number
            "+" | "&" => {
                self.flush();
                self.pieces.push(Piece::Join);
                self.ctx = false;
            }
            "-" if t.spaced && glued_number => {}
            "-" if t.spaced => {
                self.flush();
                self.pieces.push(Piece::Break);
                self.ctx = false;
            }
            "@" | "$" | "#" | "\u{20ac}" | "\u{a3}" => {
                self.flush();
                self.pieces.push(Piece::Verb);
                self.ctx = true;
            }
            _ => {}
        }
    }
}
