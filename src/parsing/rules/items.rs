//! Item scanning (rules 7, 8, 11, 14): the token stream turned into pieces —
//! quantities, units, names, joiners and breaks — which `group` pairs up.
//!
//! Known items (anchors) are whole names: words before one never join it, and
//! words after it only when they make a longer product — a product head noun
//! ("tile cutter", "bucket lid"), a plural noun after a count ("3 sand
//! blasters"), French adjectives ("peinture blanche") — never a verb, status
//! word or word of another language ("varnish fell", "bucket esinazo"). An
//! unknown name is a short run of plain content words, or the noun phrase
//! after "N <unit> (of)" ("2 bags of potting soil"). Words before a person or
//! carrier ("the ice guy") are its modifier, an item only for a count that
//! names nothing else ("the bread guy came, 20 loaves").

mod naming;
mod quantity;
mod reading;

use super::anchor::Anchor;
use super::lexicon::Role;
use super::numbers;
use super::text::Token;
use super::units;

/// How a name was written.
#[derive(Debug, Clone)]
pub enum NameText<'a> {
    /// A catalogue item, by its index entry.
    Known { entry: u32, typo: bool },
    /// Words outside the catalogue (possibly a known item with a longer head).
    Words { words: Vec<&'a str>, compound: bool },
}

#[derive(Debug, Clone)]
pub enum Piece<'a> {
    Num {
        value: i64,
        implicit: bool,
        unit: Option<&'static str>,
    },
    Unit(&'static str),
    Name {
        text: NameText<'a>,
        at: usize,
        ctx: bool,
        /// Describes a person or carrier ("the bread guy", "the ice man"):
        /// the name of a count that names only its unit, never an item itself.
        modifier: bool,
    },
    Join,
    Break,
    Verb,
}

/// What the scan noticed besides pieces.
#[derive(Debug, Default, Clone, Copy)]
pub struct Flags {
    /// "+5 nails" / "pipes -2": a sign with no verb (rule 6).
    pub plus_sign: bool,
    pub minus_sign: bool,
    /// "added -5 screws": a negative quantity after a verb (rule 13).
    pub negative: bool,
    /// A number right after ":" ("count: hammers 14") or "=".
    pub colon_count: bool,
    pub equals_count: bool,
    /// "six no sorry seven": a quantity corrected in the message.
    pub corrected: bool,
    /// "not 20": a number ruled out (a correction of a count).
    pub not_number: bool,
    /// Content words that joined no name.
    pub stray_words: u8,
}

pub struct Scan<'t, 'a> {
    toks: &'t [Token<'a>],
    roles: &'t [Role],
    anchors: &'t [Anchor],
    pub pieces: Vec<Piece<'a>>,
    pub flags: Flags,
    ctx: bool,
    run: Vec<&'a str>,
    run_at: usize,
    /// Token just past the last quantity, and its piece, for "six no seven".
    last_num: Option<(usize, usize)>,
}

impl<'t, 'a> Scan<'t, 'a> {
    pub fn new(toks: &'t [Token<'a>], roles: &'t [Role], anchors: &'t [Anchor]) -> Self {
        Self {
            toks,
            roles,
            anchors,
            pieces: Vec::with_capacity(toks.len()),
            flags: Flags::default(),
            ctx: false,
            run: Vec::new(),
            run_at: 0,
            last_num: None,
        }
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| !t.punct).map(|t| t.text)
    }

    fn anchor_at(&self, i: usize) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.start == i)
    }

    fn content(&self, i: usize) -> bool {
        self.word(i).is_some() && self.roles[i] == Role::Content && self.anchor_at(i).is_none()
    }

    /// Drops the current run: words that name no item.
    fn drop_run(&mut self) {
        self.flags.stray_words = self.flags.stray_words.saturating_add(self.run.len() as u8);
        self.run.clear();
    }

    /// Ends the current run of unknown words as a name.
    fn flush(&mut self) {
        self.flush_as(false);
    }

    /// Ends the current run of unknown words as a name, or as the modifier of
    /// the person or carrier that follows.
    fn flush_as(&mut self, modifier: bool) {
        if self.run.is_empty() {
            return;
        }
        // "the farmers' van": a possessive names a person, not goods
        if modifier && self.run.last().is_some_and(|w| w.ends_with("s'")) {
            self.drop_run();
            return;
        }
        let keep = self.run.len().saturating_sub(3);
        let words: Vec<&'a str> = self.run.drain(..).skip(keep).collect();
        self.flags.stray_words = self.flags.stray_words.saturating_add(keep as u8);
        self.pieces.push(Piece::Name {
            text: NameText::Words {
                words,
                compound: false,
            },
            at: self.run_at,
            ctx: self.ctx || modifier,
            modifier,
        });
    }

    pub fn run(&mut self) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            if let Some(a) = self.anchor_at(i).copied() {
                i = self.known(a);
                continue;
            }
            let t = self.toks[i];
            if t.punct {
                self.punct(i);
                i += 1;
                continue;
            }
            // "x3", "x 12": the multiplier before a number
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
                i += self.number(i, value, used);
                continue;
            }
            if let Some(used) = self.article_one(i) {
                i += used;
                continue;
            }
            if let Some(code) = units::unit_code(t.text).filter(|_| !units::needs_number(t.text)) {
                self.flush();
                self.pieces.push(Piece::Unit(code));
                i += 1;
                continue;
            }
            self.by_role(i);
            i += 1;
        }
        self.flush();
    }

    fn by_role(&mut self, i: usize) {
        match self.roles[i] {
            Role::Content if self.toks[i].text.starts_with(|c: char| c.is_ascii_digit()) => {
                self.flush();
                self.pieces.push(Piece::Verb);
            }
            Role::Content => {
                if self.run.is_empty() {
                    self.run_at = i;
                }
                self.run.push(self.toks[i].text);
            }
            Role::Sep => {
                self.flush();
                self.pieces.push(Piece::Join);
                self.ctx = false;
            }
            Role::Boundary => {
                self.flush();
                self.pieces.push(Piece::Verb);
                self.ctx = true;
            }
            // "the ice guy": the words before a person or carrier describe them
            Role::Agent => {
                self.flush_as(true);
                self.pieces.push(Piece::Verb);
            }
            Role::Cue | Role::Stop => {
                self.flush();
                self.pieces.push(Piece::Verb);
            }
            // "the farmer's van": a possessive before a person names the person
            Role::Filler
                if self.toks[i].text == "'s" && self.roles.get(i + 1) == Some(&Role::Agent) =>
            {
                self.drop_run();
            }
            Role::Filler => self.flush(),
        }
    }
}

/// Pieces and flags for the token stream.
pub fn scan<'a>(toks: &[Token<'a>], roles: &[Role], anchors: &[Anchor]) -> (Vec<Piece<'a>>, Flags) {
    let mut s = Scan::new(toks, roles, anchors);
    s.run();
    (s.pieces, s.flags)
}
