//! Item extraction: quantities, units and names, in the order written (rules 7,
//! 8, 11, 14). A small state machine over tokens; intent is decided elsewhere.

use super::lexicon::{self, Class};
use super::numbers;
use super::text::Token;
use super::units;

/// One item as read from the text, before names are cleaned up.
#[derive(Debug, Default, Clone)]
pub struct Raw<'a> {
    pub words: Vec<&'a str>,
    pub qty: Option<i64>,
    pub unit: Option<&'static str>,
    /// Started right after "and"/"+"/"et": a real list entry even without a number.
    pub listed: bool,
    /// The quantity came from a bare "a"/"an"/"une".
    pub implicit_one: bool,
}

impl Raw<'_> {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.qty.is_none()
    }
}

/// What the token stream says besides items.
#[derive(Debug, Default)]
pub struct Extract<'a> {
    pub items: Vec<Raw<'a>>,
    /// A "+N" / "-N" sign with no space before the number (rule 6).
    pub plus_sign: bool,
    pub minus_sign: bool,
    /// A quantity written with a minus sign, e.g. "added -5 screws".
    pub negative: bool,
    /// A number came after ":" or "=" ("count: hammers 14", "nails = 200").
    pub colon_count: bool,
}

struct State<'a, 'k> {
    toks: &'k [Token<'a>],
    classes: &'k [Class],
    out: Extract<'a>,
    cur: Raw<'a>,
    /// The current name has ended (a filler or verb came after it).
    name_done: bool,
    /// After a preposition or time word: context, not items, until the next "and" or ",".
    skipping: bool,
    /// Right after a verb or "and": a bare "a" here means one.
    list_ctx: bool,
    after_sep_word: bool,
}

impl<'a> State<'a, '_> {
    fn flush(&mut self) {
        let cur = std::mem::take(&mut self.cur);
        if !cur.is_empty() {
            self.out.items.push(cur);
        }
        self.name_done = false;
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| !t.punct).map(|t| t.text)
    }

    fn is_content(&self, i: usize) -> bool {
        self.classes.get(i) == Some(&Class::Content) && self.word(i).is_some()
    }

    /// Whether the number at `i` is a price, time, address or a corrected value.
    fn blocked(&self, i: usize, used: usize) -> bool {
        if let Some(prev) = i.checked_sub(1).and_then(|p| self.toks.get(p)) {
            if prev.punct && matches!(prev.text, "$" | "@" | "#" | "\u{20ac}" | "\u{a3}") {
                return true;
            }
            if !prev.punct && lexicon::blocks_next_number(prev.text) {
                return true;
            }
        }
        if let Some(next) = self.toks.get(i + used)
            && (next.text == "%" || (!next.punct && lexicon::blocks_prev_number(next.text)))
        {
            return true;
        }
        (i + used..i + used + 3).any(|k| self.word(k).is_some_and(lexicon::is_street))
    }

    /// A number at `i`: digits, words, "x3", "3x", with a sign. Returns tokens read.
    fn quantity(&mut self, i: usize, value: i64, used: usize) -> usize {
        let mut end = i + used;
        if self.word(end) == Some("x") {
            end += 1; // "3x"
        }
        let sign = i
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .filter(|t| t.punct && !self.toks[i].spaced && matches!(t.text, "+" | "-"))
            // "ayi-6" is a hyphen, not a sign: a sign stands apart from the word before
            .filter(|t| t.spaced)
            .map(|t| t.text);
        if self.blocked(i, used) || (self.skipping && self.cur.qty.is_some()) {
            return end - i;
        }
        match sign {
            Some("+") => self.out.plus_sign = true,
            Some(_) => self.out.minus_sign = true,
            None => {}
        }
        if i > 0 && self.toks[i - 1].punct && matches!(self.toks[i - 1].text, ":" | "=") {
            self.out.colon_count = true;
        }
        // Unit straight after the number: "10kg", "3 bags of", "24 cartons".
        let unit = self.word(end).and_then(|w| {
            let code = units::unit_code(w)?;
            let after_name = !self.cur.words.is_empty()
                || self
                    .out
                    .items
                    .last()
                    .is_some_and(|p| p.qty.is_none() && !p.words.is_empty());
            let before_name = self.is_content(end + 1)
                || matches!(self.word(end + 1), Some("of" | "de" | "d'" | "des"));
            (after_name || before_name).then_some(code)
        });
        let starts_new = !self.cur.words.is_empty()
            && (self.cur.qty.is_some()
                || self.is_content(end + usize::from(unit.is_some()))
                || matches!(self.word(end + 1), Some("of" | "de" | "d'")));
        if starts_new {
            self.flush();
            self.skipping = false;
        }
        self.cur.qty = Some(value);
        self.cur.implicit_one = false;
        if unit.is_some() {
            self.cur.unit = unit;
            end += 1;
        }
        if matches!(self.word(end), Some("of" | "de" | "d'")) {
            end += 1;
        }
        self.list_ctx = false;
        end - i
    }

    fn run(&mut self) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let t = self.toks[i];
            if t.punct {
                self.punct(i);
                i += 1;
                continue;
            }
            // "x3", "x 12": the multiplier sign before a number
            if t.text == "x"
                && self
                    .toks
                    .get(i + 1)
                    .is_some_and(|n| numbers::digits_value(n.text).is_some())
            {
                i += 1;
                continue;
            }
            if let Some((value, used)) = numbers::number_at(self.toks, i) {
                i += self.quantity(i, value, used);
                continue;
            }
            if self.article_one(i) {
                i += 1;
                continue;
            }
            let w = t.text;
            if let Some(code) = units::unit_code(w)
                && !units::needs_number(w)
                && self.cur.words.is_empty()
                && matches!(self.word(i + 1), Some("of" | "de" | "d'"))
            {
                // "bags of cement" with no number (queries), "a bag of" (after "a")
                self.cur.unit = Some(code);
                i += 2;
                continue;
            }
            match self.classes[i] {
                Class::Sep => {
                    self.flush();
                    self.skipping = false;
                    self.list_ctx = true;
                    self.after_sep_word = true;
                }
                Class::Boundary => {
                    if !self.cur.words.is_empty() {
                        self.name_done = true;
                        self.skipping = true;
                    }
                    self.list_ctx = false;
                }
                Class::Cue => {
                    self.name_done |= !self.cur.words.is_empty();
                    self.list_ctx = true;
                }
                Class::Filler => self.name_done |= !self.cur.words.is_empty(),
                Class::Content => {
                    if !self.skipping {
                        if self.name_done {
                            self.flush();
                        }
                        if self.cur.words.is_empty() && self.cur.qty.is_none() {
                            self.cur.listed = self.after_sep_word;
                        }
                        self.cur.words.push(w);
                        self.after_sep_word = false;
                    }
                    self.list_ctx = false;
                }
            }
            i += 1;
        }
        self.flush();
    }

    /// "sold a wheelbarrow", "and a saw", "une boîte de": "a" means one right
    /// after a verb or "and", when a name or unit follows.
    fn article_one(&mut self, i: usize) -> bool {
        let w = self.toks[i].text;
        if !matches!(w, "a" | "an" | "un" | "une" | "'n" | "one")
            || !self.list_ctx
            || self.skipping
            || self.cur.qty.is_some()
        {
            return false;
        }
        let next = self.word(i + 1);
        let names_next = self.is_content(i + 1)
            || next.is_some_and(|n| units::unit_code(n).is_some() && !units::needs_number(n));
        if !names_next {
            return false;
        }
        if !self.cur.words.is_empty() {
            self.flush();
        }
        self.cur.qty = Some(1);
        self.cur.implicit_one = true;
        self.cur.listed = self.after_sep_word;
        self.list_ctx = false;
        true
    }

    fn punct(&mut self, i: usize) {
        let t = self.toks[i];
        let next_glued_number = self
            .toks
            .get(i + 1)
            .is_some_and(|n| !n.spaced && !n.punct && numbers::digits_value(n.text).is_some());
        match t.text {
            "," | "." | "!" | "?" | ";" | "(" | ")" | "|" | "\n" => {
                self.flush();
                self.skipping = false;
                self.list_ctx = true;
                self.after_sep_word = false;
            }
            "+" | "&" => {
                self.flush();
                self.skipping = false;
                self.list_ctx = true;
                self.after_sep_word = true;
            }
            "-" if next_glued_number && t.spaced => {
                // "-2 pipes": a sign. After a verb it is a negative quantity.
                if t.spaced && self.cur.qty.is_some() {
                    self.flush();
                }
                if !self.cur.words.is_empty() && self.cur.qty.is_none() {
                    // "pipes -2"
                } else {
                    self.flush();
                }
                self.out.negative |= self.list_ctx_verb(i);
            }
            "@" => {
                // "@ R1 each": a price follows
                self.name_done |= !self.cur.words.is_empty();
                self.skipping = true;
            }
            "-" if t.spaced => {
                self.flush();
                self.skipping = false;
                self.list_ctx = true;
            }
            _ => {}
        }
    }

    /// Whether a verb comes before position `i` in the same message part, which
    /// turns a "-5" into a negative quantity instead of a sign.
    fn list_ctx_verb(&self, i: usize) -> bool {
        (0..i)
            .rev()
            .take_while(|&k| !self.toks[k].punct || self.toks[k].text == ":")
            .any(|k| self.classes[k] == Class::Cue)
    }
}

/// Reads items out of the token stream. `classes` gives each token's word class.
pub fn extract<'a>(toks: &[Token<'a>], classes: &[Class]) -> Extract<'a> {
    let mut st = State {
        toks,
        classes,
        out: Extract::default(),
        cur: Raw::default(),
        name_done: false,
        skipping: false,
        list_ctx: false,
        after_sep_word: false,
    };
    st.run();
    let mut out = st.out;
    merge_postfix(&mut out.items);
    out
}

/// "stocked up on milk, 24 cartons": a number with no name belongs to the
/// name-only item before it.
fn merge_postfix(items: &mut Vec<Raw<'_>>) {
    let mut k = 1;
    while k < items.len() {
        let prev_open = items[k - 1].qty.is_none() && !items[k - 1].words.is_empty();
        if items[k].words.is_empty() && prev_open {
            let it = items.remove(k);
            items[k - 1].qty = it.qty;
            items[k - 1].unit = items[k - 1].unit.or(it.unit);
        } else {
            k += 1;
        }
    }
    items.retain(|it| !it.words.is_empty());
}
