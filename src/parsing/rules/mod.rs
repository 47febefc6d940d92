//! The rule parser: chat messages about stock, in English, French and English
//! mixed with Afrikaans or Zulu, turned into the parse contract without a network.
//!
//! Pipeline: safety screen, fold and tokenise, fix shorthand and misspelt cue
//! words, find intent cues, read items, decide the intent, clean item names
//! (singular, catalogue typos), apply the contract's bounds.

mod intent;
mod items;
mod lexicon;
mod names;
mod numbers;
mod safety;
mod singular;
mod text;
mod typo;
mod units;

#[cfg(test)]
mod tests;

use super::{Intent, Item, KnownItems, Parse};
use intent::Cue;
use lexicon::Class;

pub use names::closest_known;
pub use safety::looks_unsafe;
pub use singular::singular;

/// Parses one message.
pub fn parse(text: &str, known: &KnownItems) -> Parse {
    run(text, known, &mut Notes(None))
}

/// Parses one message, with notes on which rules fired.
pub fn parse_explained(text: &str, known: &KnownItems) -> (Parse, Vec<String>) {
    let mut notes = Vec::new();
    let parse = run(text, known, &mut Notes(Some(&mut notes)));
    (parse, notes)
}

/// Explanation notes, built only when asked for.
struct Notes<'n>(Option<&'n mut Vec<String>>);

impl Notes<'_> {
    fn add(&mut self, note: impl FnOnce() -> String) {
        if let Some(v) = self.0.as_mut() {
            v.push(note());
        }
    }
}

/// Word sequences that act as one cue and must not become item names.
const PHRASES: &[&[&str]] = &[
    &["stock", "level"],
    &["changed", "my", "mind"],
    &["change", "my", "mind"],
    &["never", "mind"],
    &["set", "aside"],
    &["put", "me", "down"],
    &["on", "the", "system"],
    &["in", "stock"],
    &["en", "stock"],
    &["job", "site"],
    &["how", "does", "this", "work"],
    &["what", "can", "you", "do"],
];

fn run(text: &str, known: &KnownItems, notes: &mut Notes<'_>) -> Parse {
    if safety::looks_unsafe(text) {
        notes.add(|| "safety: instructions or code in the message (rules 16-17)".into());
        return Parse::unknown();
    }
    let norm = text::fold(text);
    let mut toks = text::tokenize(&norm);
    if toks.is_empty() {
        return Parse::unknown();
    }
    for t in toks.iter_mut().filter(|t| !t.punct) {
        if let Some(s) = lexicon::slang(t.text) {
            t.text = s;
        } else if let Some(fixed) = names::fix_cue_word(t.text, known) {
            notes.add(|| format!("typo: {} -> {fixed}", t.text));
            t.text = fixed;
        }
    }
    let mut classes: Vec<Class> = toks
        .iter()
        .map(|t| {
            if t.punct {
                Class::Filler
            } else {
                lexicon::class(t.text)
            }
        })
        .collect();
    mask_phrases(&toks, &mut classes);

    let joined = join(&toks);
    let cues = intent::cues(&joined);
    let ex = items::extract(&toks, &classes);
    let (intent, why) = decide(cues, &ex, &toks, &classes);
    notes.add(|| format!("intent: {} ({why})", intent.as_str()));
    let parse = build(intent, cues, ex, known, notes);
    // A count no shop holds is a typo or a joke, whatever the intent.
    let absurd = parse.items.iter().any(|i| {
        i.quantity
            .is_some_and(|q| !(0..=crate::parsing::MAX_QUANTITY).contains(&q))
    });
    if absurd {
        notes.add(|| "quantity out of range: not understood".into());
        return Parse::unknown();
    }
    parse
}

fn mask_phrases(toks: &[text::Token<'_>], classes: &mut [Class]) {
    for i in 0..toks.len() {
        for p in PHRASES {
            let fits = p
                .iter()
                .enumerate()
                .all(|(k, w)| toks.get(i + k).is_some_and(|t| !t.punct && t.text == *w));
            if fits {
                classes[i..i + p.len()].fill(Class::Cue);
            }
        }
    }
}

/// Tokens joined by single spaces, with " set aside" spelt as an order cue so the
/// absolute-count "set" does not fire (rule 2's trap).
fn join(toks: &[text::Token<'_>]) -> String {
    let mut s = String::with_capacity(toks.len() * 6 + 2);
    s.push(' ');
    for t in toks {
        s.push_str(t.text);
        s.push(' ');
    }
    if s.contains(" set aside ") {
        s = s.replace(" set aside ", " reserve ");
    }
    s
}

fn decide(
    cues: u32,
    ex: &items::Extract<'_>,
    toks: &[text::Token<'_>],
    classes: &[Class],
) -> (Intent, &'static str) {
    use intent::has;
    let has_qty = ex.items.iter().any(|i| i.qty.is_some() && !i.implicit_one);
    let has_any_qty = ex.items.iter().any(|i| i.qty.is_some());
    let has_items = !ex.items.is_empty();
    let pick = |c: Cue| has(cues, c);
    if pick(Cue::Undo) {
        return (Intent::Undo, Cue::Undo.name());
    }
    if pick(Cue::Cancel) {
        return (Intent::Cancel, Cue::Cancel.name());
    }
    if pick(Cue::QueryStrong) {
        return (Intent::Query, Cue::QueryStrong.name());
    }
    if pick(Cue::Set) && has_qty && !pick(Cue::Order) {
        return (Intent::Set, Cue::Set.name());
    }
    if pick(Cue::Order) && has_items {
        return (Intent::Order, Cue::Order.name());
    }
    if pick(Cue::SetZero) && has_items && !has_qty {
        return (Intent::Set, Cue::SetZero.name());
    }
    if pick(Cue::Query) && has_items && !has_any_qty {
        return (Intent::Query, Cue::Query.name());
    }
    for (c, i) in [
        (Cue::AddStrong, Intent::Add),
        (Cue::Remove, Intent::Remove),
        (Cue::Add, Intent::Add),
    ] {
        if pick(c) && has_items {
            return (i, c.name());
        }
    }
    if pick(Cue::SetWeak) && has_qty {
        return (Intent::Set, Cue::SetWeak.name());
    }
    if pick(Cue::Query) && has_items {
        return (Intent::Query, Cue::Query.name());
    }
    if has_items && !has_any_qty && pick(Cue::List) {
        return (Intent::Query, "stock question about named items");
    }
    if !has_items {
        if pick(Cue::List) || pick(Cue::Query) {
            return (Intent::List, "stock question without items (rule 4)");
        }
        if pick(Cue::Help) || greeting_only(toks) {
            return (Intent::Help, "greeting or help");
        }
        return (Intent::Unknown, "no cue and no items");
    }
    if ex.plus_sign && !ex.minus_sign {
        return (Intent::Add, "sign with no verb (rule 6)");
    }
    if ex.minus_sign && !ex.plus_sign {
        return (Intent::Remove, "sign with no verb (rule 6)");
    }
    if ex.colon_count && has_qty {
        return (Intent::Set, "name: number (rule 3)");
    }
    if has_any_qty && toks.iter().any(|t| t.text == "please") {
        return (Intent::Order, "quantity with please");
    }
    if terse_query(toks, classes, ex) {
        return (Intent::Query, "bare item name (terse query)");
    }
    (Intent::Unknown, "items without a cue")
}

/// "hi", "Good morning!", "Howzit 👋": nothing but greetings and filler.
fn greeting_only(toks: &[text::Token<'_>]) -> bool {
    let mut greeted = false;
    for t in toks.iter().filter(|t| !t.punct) {
        if lexicon::is_greeting(t.text) {
            greeted = true;
        } else if !matches!(
            t.text,
            "morning"
                | "afternoon"
                | "evening"
                | "day"
                | "there"
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
        ) {
            return false;
        }
    }
    greeted
}

/// "bolts?", "hammers": one short item name and nothing else.
fn terse_query(toks: &[text::Token<'_>], classes: &[Class], ex: &items::Extract<'_>) -> bool {
    let words: Vec<&str> = toks.iter().filter(|t| !t.punct).map(|t| t.text).collect();
    let question = toks.iter().any(|t| t.is('?'));
    ex.items.len() == 1
        && ex.items[0].qty.is_none()
        && (1..=3).contains(&words.len())
        && question
        && !words.iter().any(|w| lexicon::is_question_word(w))
        && classes
            .iter()
            .zip(toks)
            .all(|(c, t)| t.punct || *c == Class::Content || *c == Class::Filler)
}

/// Items for the chosen intent: names cleaned, quantities per rule 12, bounds per rule 13.
fn build(
    intent: Intent,
    cues: u32,
    ex: items::Extract<'_>,
    known: &KnownItems,
    notes: &mut Notes<'_>,
) -> Parse {
    let wants_items = !matches!(
        intent,
        Intent::List | Intent::Undo | Intent::Help | Intent::Unknown
    );
    if !wants_items {
        return Parse::bare(intent);
    }
    let has_qty = ex.items.iter().any(|i| i.qty.is_some());
    let zero = intent == Intent::Set && intent::has(cues, Cue::SetZero) && !has_qty;
    let mut out = Vec::with_capacity(ex.items.len());
    for raw in &ex.items {
        // Name-only words beside counted items are chatter ("baker dropped off 30
        // loaves"), unless listed with "and".
        if matches!(
            intent,
            Intent::Add | Intent::Remove | Intent::Set | Intent::Order
        ) && has_qty
            && raw.qty.is_none()
            && !raw.listed
        {
            continue;
        }
        let Some(name) = names::item_name(&raw.words, known, notes) else {
            continue;
        };
        let quantity = match intent {
            Intent::Query => None,
            Intent::Order => Some(raw.qty.unwrap_or(1)),
            Intent::Set if zero => Some(0),
            _ => raw.qty,
        };
        out.push(Item {
            name,
            quantity,
            unit: raw.unit.map(String::from),
        });
    }
    if out.is_empty() && intent != Intent::Cancel {
        notes.add(|| "no item left after cleaning".into());
        return Parse::unknown();
    }
    if ex.negative
        && matches!(
            intent,
            Intent::Add | Intent::Remove | Intent::Set | Intent::Order
        )
    {
        notes.add(|| "bounds: negative quantity after a verb (rule 13)".into());
        return Parse::unknown();
    }
    let parse = Parse { intent, items: out };
    let bounded = parse.clone().bounded();
    if bounded != parse {
        notes.add(|| "bounds: quantity missing or out of range (rule 13)".into());
    }
    bounded
}
