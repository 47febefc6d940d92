//! Known-item anchors: where the shop's own item names occur in a message.
//!
//! The catalogue anchors the reading (rule 9): the longest known name wins, in
//! the forms people write it — plural, French plural, misspelt within the typo
//! module's distance, or written joined or split ("lightbulbs", "sand paper").
//! A word that only looks like a catalogue word but is a different real word
//! is left alone (`typo::is_real_word`, and the typo distance itself).

pub use super::catalogue::Index;
use super::lexicon::Role;
use super::singular::singular_word;
use super::text::Token;
use super::typo::{is_plural_skeleton_of, is_real_word, is_skeleton_of, is_typo_of, vowelless};
use super::{numbers, units};

/// One known item found in the token stream: tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub entry: u32,
    /// The head word was written in a plural form (so it is a head noun,
    /// never the modifier of a longer name such as "tile cutter").
    pub plural: bool,
    /// Matched through a misspelling.
    pub typo: bool,
}

/// The forms a written word may take of a catalogue word: as written, its
/// singular, and the French plural with a bare "s" ("scies" -> "scie").
/// Computed once per token.
struct Forms<'a> {
    word: &'a str,
    one: Option<String>,
    bare: Option<&'a str>,
    /// A real word (or its singular is): never read as a misspelling.
    real: bool,
}

impl<'a> Forms<'a> {
    fn new(word: &'a str) -> Self {
        let (one, bare) = if word.ends_with(['s', 'x']) {
            let one = singular_word(word);
            let bare = word.strip_suffix('s').filter(|b| *b != one);
            ((one != word).then_some(one), bare)
        } else {
            (None, None)
        };
        let real = is_real_word(word) || one.as_deref().is_some_and(is_real_word);
        Self {
            word,
            one,
            bare,
            real,
        }
    }

    fn plurals(&self) -> impl Iterator<Item = &str> {
        self.one.as_deref().into_iter().chain(self.bare)
    }
}

/// Whether a token is catalogue word `target`: exactly, as a plural when it is
/// the head (last) word, or as a misspelling when allowed. Returns (plural, typo).
fn word_matches(f: &Forms<'_>, target: &str, head: bool, may_typo: bool) -> Option<(bool, bool)> {
    if f.word == target {
        return Some((false, false));
    }
    if head && f.plurals().any(|p| p == target) {
        return Some((true, false));
    }
    // Text-speak drops the vowels: "spirit lvl", "hmmrs".
    if may_typo && !f.real && vowelless(f.word) {
        if is_skeleton_of(f.word, target) {
            return Some((false, true));
        }
        // "tls" for "tiles": the plural's skeleton
        if head && is_plural_skeleton_of(f.word, target) {
            return Some((true, true));
        }
    }
    // A slip on a three-letter word makes too many real words ("tarp", "teak").
    if may_typo && !f.real && target.len() >= 4 {
        if is_typo_of(f.word, target, 4).is_some() {
            return Some((false, true));
        }
        if head
            && f.one
                .as_deref()
                .is_some_and(|one| is_typo_of(one, target, 4).is_some())
        {
            return Some((true, true));
        }
    }
    None
}

/// Which tokens may take part in an anchor, and which may be read as typos.
pub struct Allow<'s> {
    pub anchor: &'s [bool],
    pub typo: &'s [bool],
    /// Plain content words, which may be halves of a split name.
    pub joinable: &'s [bool],
}

/// Every known item in the message, with what each role allows: content,
/// intent and other non-function words may be catalogue words; only plain
/// content words of four letters or more may be misspellings of them.
pub fn find_known(toks: &[Token<'_>], roles: &[Role], ix: &Index) -> Vec<Anchor> {
    let anchor: Vec<bool> = roles.iter().map(|r| may_anchor(*r)).collect();
    let joinable: Vec<bool> = roles.iter().map(|r| *r == Role::Content).collect();
    let typo: Vec<bool> = toks
        .iter()
        .zip(roles)
        .map(|(t, r)| {
            *r == Role::Content
                && (t.text.len() >= 4 || vowelless(t.text))
                && !numbers::is_number_word(t.text)
                && units::unit_code(t.text).is_none()
        })
        .collect();
    let allow = Allow {
        anchor: &anchor,
        typo: &typo,
        joinable: &joinable,
    };
    find(toks, ix, &allow)
}

/// Roles whose words may be part of a catalogue name.
fn may_anchor(r: Role) -> bool {
    matches!(r, Role::Content | Role::Cue | Role::Stop | Role::Agent)
}

/// Every known item in the message, left to right, longest name first.
pub fn find(toks: &[Token<'_>], ix: &Index, allow: &Allow<'_>) -> Vec<Anchor> {
    let forms: Vec<Option<Forms<'_>>> = toks
        .iter()
        .zip(allow.anchor)
        .map(|(t, ok)| (*ok && !t.punct).then(|| Forms::new(t.text)))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match at(toks, &forms, i, ix, allow) {
            Some(a) => {
                i = a.end;
                out.push(a);
            }
            None => i += 1,
        }
    }
    out
}

type TokForms<'f, 'a> = &'f [Option<Forms<'a>>];

/// The longest catalogue name starting at token `i`.
fn at(
    toks: &[Token<'_>],
    forms: TokForms<'_, '_>,
    i: usize,
    ix: &Index,
    allow: &Allow<'_>,
) -> Option<Anchor> {
    let f = forms[i].as_ref()?;
    let w = f.word;
    let mut best: Option<Anchor> = None;
    // Exact first word (or its plural, for one-word names).
    for form in std::iter::once(w).chain(f.plurals()) {
        for &e in ix.by_first.get(form).into_iter().flatten() {
            if let Some(a) = rest(forms, i, e, ix, allow, false) {
                consider(&mut best, a);
            }
        }
        // "lightbulbs": one written word for a multi-word name.
        if let Some(&e) = ix.joined.get(form) {
            consider(&mut best, anchor(i, i + 1, e, form != w, false));
        }
    }
    // "sand paper", "wheel barrows": a one-word name written as two (plain
    // words only, so "paint brush" is not tried as "paintbrush").
    let plain = |k: usize| allow.joinable.get(k).copied().unwrap_or(false);
    if let Some(next) = toks.get(i + 1).filter(|_| plain(i) && plain(i + 1)) {
        let two = format!("{w}{}", next.text);
        let two_forms = Forms::new(&two);
        for form in std::iter::once(two.as_str()).chain(two_forms.plurals()) {
            for &e in ix.by_first.get(form).into_iter().flatten() {
                if ix.words(e).len() == 1 {
                    consider(&mut best, anchor(i, i + 2, e, form != two, false));
                }
            }
        }
    }
    if best.is_none() && allow.typo[i] && (w.len() >= 4 || vowelless(w)) && !f.real {
        let first = w.chars().next()?;
        // text-speak writes "ex-" as "x": "xtension", "xpanding"
        let ex = (first == 'x').then(|| ix.by_letter.get(&'e')).flatten();
        let entries = ix.by_letter.get(&first).into_iter().chain(ex).flatten();
        for &e in entries {
            if let Some(a) = rest(forms, i, e, ix, allow, true) {
                consider(&mut best, a);
            } else if ix.words(e).len() > 1 {
                let joined = &ix.entries[e as usize].joined;
                if let Some((plural, _)) = word_matches(f, joined, true, true) {
                    consider(&mut best, anchor(i, i + 1, e, plural, true));
                }
            }
        }
    }
    best
}

/// Keeps the longer anchor; at equal length the one read without a typo.
fn consider(best: &mut Option<Anchor>, a: Anchor) {
    let key = |x: &Anchor| (x.end - x.start, !x.typo);
    if best.is_none_or(|b| key(&a) > key(&b)) {
        *best = Some(a);
    }
}

fn anchor(start: usize, end: usize, entry: u32, plural: bool, typo: bool) -> Anchor {
    Anchor {
        start,
        end,
        entry,
        plural,
        typo,
    }
}

/// Matches all words of entry `e` from token `i`; the first word may be a typo
/// only when `first_typo`.
fn rest(
    forms: TokForms<'_, '_>,
    i: usize,
    e: u32,
    ix: &Index,
    allow: &Allow<'_>,
    first_typo: bool,
) -> Option<Anchor> {
    let words = ix.words(e);
    let last = words.len() - 1;
    let (mut plural, mut typo) = (false, false);
    for (k, target) in words.iter().enumerate() {
        let j = i + k;
        let f = forms.get(j)?.as_ref()?;
        let may_typo = if k == 0 { first_typo } else { allow.typo[j] };
        let (p, t) = word_matches(f, target, k == last, may_typo)?;
        plural |= p && k == last;
        typo |= t;
    }
    Some(anchor(i, i + words.len(), e, plural, typo))
}
