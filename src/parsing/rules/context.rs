//! Evidence that its position cancels. "A customer came in and bought 4":
//! a person coming in is not stock arriving; the purchase after it is the
//! message. "I'll come by after work" is a visit, not a delivery.

use super::cues::Cue;
use super::phrases::{Ctx, Hit};
use super::text::Token;
use super::words;

fn word<'a>(toks: &[Token<'a>], i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| !t.punct).map(|t| t.text)
}

/// "we got", "I got": the shop is the subject.
fn own_before(toks: &[Token<'_>], i: usize) -> bool {
    i.checked_sub(1)
        .and_then(|p| word(toks, p))
        .is_some_and(|w| matches!(w, "we" | "i" | "we've" | "i've" | "just" | "ons" | "ek"))
}

/// A past participle right after "have" ("we've shifted", "have sold").
fn participle_next(toks: &[Token<'_>], i: usize) -> bool {
    let mut k = i + 1;
    // the phrase may span two words ("we have"); skip it and any adverb
    while word(toks, k).is_some_and(|w| {
        matches!(
            w,
            "have" | "has" | "het" | "just" | "already" | "also" | "now" | "a"
        )
    }) {
        k += 1;
    }
    // Afrikaans puts the participle last: "ons het 3 … verkoop".
    let afrikaans = word(toks, i) == Some("het") || word(toks, i + 1) == Some("het");
    if afrikaans
        && toks[i + 1..]
            .iter()
            .take_while(|t| !(t.punct && matches!(t.text, "." | "!" | "?" | ";")))
            .any(|t| !t.punct && super::cues_intl::af_participle(t.text))
    {
        return true;
    }
    word(toks, k).is_some_and(|w| {
        (w.len() > 4 && w.ends_with("ed") && !w.ends_with("eed"))
            || matches!(
                w,
                "sold"
                    | "done"
                    | "had"
                    | "bought"
                    | "brought"
                    | "sent"
                    | "lost"
                    | "taken"
                    | "given"
                    | "broken"
                    | "stolen"
                    | "gone"
                    | "seen"
                    | "found"
                    | "put"
            )
    })
}

/// "the bread guy", "the ice lady", "the delivery man": a person named by
/// the goods they bring is a supplier, not a customer.
pub fn trade_person(toks: &[Token<'_>], ctx: &Ctx<'_>, j: usize) -> bool {
    let agent = word(toks, j).is_some_and(|w| words::is_person(w) || words::is_carrier(w));
    agent
        && j > 0
        && word(toks, j - 1).is_some_and(|p| {
            ctx.item[j - 1] || matches!(p, "delivery" | "deliveries" | "stock" | "supply")
        })
}

/// Whether a person (not a truck or supplier) is the subject just before `i`.
fn person_before(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> bool {
    (i.saturating_sub(3)..i)
        .rev()
        .take_while(|&j| !toks[j].punct)
        .filter(|&j| !trade_person(toks, ctx, j))
        .filter_map(|j| word(toks, j))
        .any(|w| {
            words::is_person(w)
                || matches!(
                    w,
                    "i" | "i'll"
                        | "he"
                        | "she"
                        | "they"
                        | "you"
                        | "he'll"
                        | "she'll"
                        | "we'll"
                        | "someone"
                        | "somebody"
                        | "ek"
                        | "hy"
                        | "sy"
                        | "il"
                        | "elle"
                )
        })
}

const FROM: &[&str] = &["from", "de", "du", "chez", "van", "by", "kwa"];
const TO: &[&str] = &["to", "au", "aux", "a", "na", "aan", "kwa", "back"];

/// "collected 20 bags from the depot": fetched from a source, so stock came in;
/// "returned 5 drills to the supplier": sent back to a source, so it went out.
fn source_after(toks: &[Token<'_>], i: usize, preps: &[&str]) -> bool {
    let clause = toks[i + 1..]
        .iter()
        .take_while(|t| !t.punct || t.text == "'");
    let mut seen_prep = false;
    for t in clause {
        seen_prep |= preps.contains(&t.text);
        if seen_prep && (words::is_carrier(t.text) || words::is_source(t.text)) {
            return true;
        }
    }
    false
}

/// Drops evidence that its neighbours explain away.
pub fn prune(toks: &[Token<'_>], ctx: &Ctx<'_>, hits: &mut Vec<Hit>) {
    for h in hits.iter_mut() {
        let w = toks[h.at].text;
        if h.cue == Cue::Took
            && matches!(w, "collected" | "fetched" | "picked")
            && source_after(toks, h.at, FROM)
        {
            h.cue = Cue::Arrive;
        }
        if h.cue == Cue::Return && source_after(toks, h.at, TO) {
            h.cue = Cue::Took;
        }
    }
    let came_and_did = |at: usize, hits: &[Hit]| {
        // "came in and bought": the verb after "and" is what happened to stock
        let and_at = (at + 1..toks.len().min(at + 4)).find(|&j| word(toks, j) == Some("and"));
        and_at.is_some_and(|a| {
            hits.iter().any(|h| {
                h.at > a
                    && h.at <= a + 3
                    && matches!(
                        h.cue,
                        Cue::Bought | Cue::Sale | Cue::Took | Cue::Want | Cue::Ask
                    )
            })
        })
    };
    for h in hits.iter_mut() {
        // "the electrician got 3 rolls": a person receiving goods takes them out
        if h.cue == Cue::GotQty && person_before(toks, ctx, h.at) && !own_before(toks, h.at) {
            h.cue = Cue::Took;
        }
    }
    // "we've shifted 10 bags", "ons het 3 verkoop": "have" as an auxiliary
    hits.retain(|h| !(h.cue == Cue::HaveQty && participle_next(toks, h.at)));
    let snapshot: Vec<Hit> = hits.clone();
    hits.retain(|h| {
        let w = toks[h.at].text;
        let visit = matches!(w, "came" | "come" | "comes" | "coming" | "walked");
        !(h.cue == Cue::Arrive
            && visit
            && (person_before(toks, ctx, h.at) || came_and_did(h.at, &snapshot)))
    });
}
