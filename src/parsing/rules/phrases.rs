//! Multi-word evidence ("took delivery", "sold out", "can I get", "keep …
//! aside") and words read by their neighbours ("got 3", "HAMMERS IN: 12",
//! "6 more", "a guy came in and bought"). A phrase claims its words, so the
//! single-word reading of "sold" in "sold out" or "set" in "set aside" is off.

use super::fasthash::FastMap as HashMap;
use std::sync::LazyLock;

use super::cues::{Cue, word_cue};
use super::lexicon::Role;
use super::neighbours;
use super::phrase_table::{PHRASES, Phrase};
use super::text::Token;

/// One piece of evidence found at token `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub cue: Cue,
    pub at: usize,
}

/// Phrases by their first word, built once.
static BY_FIRST: LazyLock<HashMap<&'static str, Vec<usize>>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Vec<usize>> = HashMap::default();
    for (k, p) in PHRASES.iter().enumerate() {
        for w in p.parts[0] {
            m.entry(*w).or_default().push(k);
        }
    }
    m
});

/// Per-token marks computed once: quantities, item words, catalogue words.
pub struct Marks {
    pub number: Vec<bool>,
    pub item: Vec<bool>,
    pub anchored: Vec<bool>,
}

impl Marks {
    pub fn new(toks: &[Token<'_>], roles: &[Role], anchors: &[super::anchor::Anchor]) -> Self {
        let number = (0..toks.len())
            .map(|i| !toks[i].punct && super::numbers::number_at(toks, i).is_some())
            .collect();
        let mut item: Vec<bool> = roles.iter().map(|r| *r == Role::Content).collect();
        let mut anchored = vec![false; toks.len()];
        for a in anchors {
            item[a.start..a.end].fill(true);
            anchored[a.start..a.end].fill(true);
        }
        Self {
            number,
            item,
            anchored,
        }
    }

    pub fn ctx<'s>(&'s self, roles: &'s [Role]) -> Ctx<'s> {
        Ctx {
            roles,
            number: &self.number,
            item: &self.item,
            anchored: &self.anchored,
        }
    }
}

/// What the matcher needs to know about each token besides its text.
pub struct Ctx<'s> {
    pub roles: &'s [Role],
    /// The token is a quantity (digits or number word).
    pub number: &'s [bool],
    /// The token is (part of) an item name: a known item or a content word.
    pub item: &'s [bool],
    /// The token is part of a catalogue name ("spirit level"): never evidence.
    pub anchored: &'s [bool],
}

fn stops_gap(t: &Token<'_>) -> bool {
    t.punct && matches!(t.text, "." | "?" | "!" | "," | ";" | "\n")
}

/// Tries phrase `p` at token `i`; returns the tokens it claims.
fn try_phrase(
    toks: &[Token<'_>],
    used: &[bool],
    p: &Phrase,
    i: usize,
    out: &mut Vec<usize>,
) -> bool {
    out.clear();
    let mut pos = i;
    for (k, part) in p.parts.iter().enumerate() {
        let span = if k == 0 { 0 } else { usize::from(p.gap) };
        let start = if k == 0 { i } else { pos + 1 };
        let mut found = None;
        for j in start..=(start + span).min(toks.len().saturating_sub(1)) {
            let t = &toks[j];
            if k > 0 && stops_gap(t) {
                break;
            }
            if !t.punct && !used[j] && part.contains(&t.text) {
                found = Some(j);
                break;
            }
        }
        let Some(j) = found else { return false };
        out.push(j);
        pos = j;
    }
    true
}

/// Every piece of evidence in the message, in order of position, and which
/// tokens phrases claimed (those are intent words, never item names).
pub fn find(toks: &[Token<'_>], ctx: &Ctx<'_>) -> (Vec<Hit>, Vec<bool>) {
    let mut hits = Vec::with_capacity(8);
    let mut used = ctx.anchored.to_vec();
    let mut claimed = Vec::with_capacity(4);
    // Phrases in table order: earlier entries win their words.
    let mut cands: Vec<(usize, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(list) = (!t.punct).then(|| BY_FIRST.get(t.text)).flatten() {
            cands.extend(list.iter().map(|&k| (k, i)));
        }
    }
    cands.sort_unstable();
    for (k, i) in cands {
        let p = &PHRASES[k];
        if !used[i] && try_phrase(toks, &used, p, i, &mut claimed) {
            for &j in &claimed {
                used[j] = true;
            }
            if let Some(cue) = p.cue {
                hits.push(Hit { cue, at: i });
            }
        }
    }
    for (i, t) in toks.iter().enumerate() {
        if t.punct || used[i] {
            continue;
        }
        let asked = neighbours::status_question(toks, ctx, i).then_some(Cue::HowMany);
        if let Some(cue) = asked
            .or_else(|| word_cue(t.text))
            .or_else(|| neighbours::cue(toks, ctx, i))
        {
            // "update bolts to 300", "mets les vis à 100": a count needs its
            // target; "please update" alone is not one.
            if cue == Cue::SetTo && !neighbours::has_target(toks, ctx, i) {
                continue;
            }
            hits.push(Hit { cue, at: i });
        }
    }
    super::context::prune(toks, ctx, &mut hits);
    hits.sort_by_key(|h| h.at);
    for (u, a) in used.iter_mut().zip(ctx.anchored) {
        *u &= !a;
    }
    (hits, used)
}
