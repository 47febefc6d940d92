//! Words whose evidence depends on their neighbours: "got 3" (an arrival)
//! but "got any?" (a question); "HAMMERS IN: 12"; "6 more"; "we bought"
//! (stock in) but "a guy bought" (stock out); "the supplier sent" (in) but
//! "sent 5 to the site" (out); "order" unless it is "my order".

use super::cues::Cue;
use super::lexicon::Role;
use super::phrases::Ctx;
use super::text::Token;

fn word<'a>(toks: &[Token<'a>], i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| !t.punct).map(|t| t.text)
}

/// Words whose evidence depends on their neighbours.
pub fn cue(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> Option<Cue> {
    use Cue::*;
    let w = toks[i].text;
    let next_is_qty = || {
        (i + 1..toks.len().min(i + 4))
            .take_while(|&j| !toks[j].punct)
            .find(|&j| ctx.roles[j] != Role::Filler && !matches!(toks[j].text, "just" | "in"))
            .is_some_and(|j| {
                ctx.number[j] || ctx.item[j] || matches!(toks[j].text, "a" | "an" | "'n")
            })
    };
    let first_word = toks[..i].iter().all(|t| t.punct);
    let after_item = i > 0 && (ctx.item[i - 1] || ctx.number[i - 1]);
    let ends_clause = toks
        .get(i + 1)
        .is_none_or(|t| t.punct && !matches!(t.text, "'" | "/"));
    let opens_list = toks
        .get(i + 1)
        .is_some_and(|t| (t.punct && matches!(t.text, "-" | ":")) || ctx.number[i + 1]);
    Some(match w {
        "got" | "gotten" if next_is_qty() => GotQty,
        "in" if (first_word && opens_list) || (after_item && ends_clause) => InMark,
        "out" if (first_word && opens_list) || (after_item && ends_clause) => OutMark,
        "more" if i > 0 && ctx.number[i - 1] => MoreQty,
        "plus" if first_word && next_is_qty() => Added,
        "took" | "taken" => Took,
        // "stock of hinges is 36", "hammers are 14": a level stated with a copula
        "is" | "are" | "stands" | "sits" | "staan" | "est" | "sont"
            if toks
                .get(i + 1)
                .is_some_and(|t| !t.punct && super::numbers::digits_value(t.text).is_some())
                && !toks.get(i + 2).is_some_and(|t| {
                    matches!(t.text, "$" | "\u{20ac}" | "\u{a3}")
                        || (!t.punct && super::lexicon::blocks_prev_number(t.text))
                }) =>
        {
            Level
        }
        "bought" | "purchased" | "gekoop" | "achete" | "achetes" | "achetee" | "achetees" => {
            if own_subject(toks, i) {
                Arrive
            } else {
                Bought
            }
        }
        "acheter" | "koop" => Buy,
        "brought" | "stocked" => Arrive,
        "bring" | "brings" | "deliver" => Send,
        "came" | "come" | "comes" | "coming" => Arrive,
        "order" | "orders" | "ordered" | "ordering" | "oda" => {
            let own = i > 0
                && matches!(
                    word(toks, i - 1),
                    Some(
                        "my" | "the"
                            | "that"
                            | "this"
                            | "our"
                            | "your"
                            | "ma"
                            | "mon"
                            | "die"
                            | "an"
                    )
                );
            // "i-order yami", "die bestelling van my": the sender's own order
            let own = own
                || word(toks, i + 1)
                    .is_some_and(|n| super::cues_zu::function_word(n) && n.ends_with("ami"));
            if own { return None } else { OrderWord }
        }
        "put" | "puts" => Added,
        "set" => SetTo,
        // Sent or dropped by a supplier came in; by anyone else it went out.
        "sent" | "gestuur" | "dropped" | "delivered" if carrier_before(toks, ctx, i) => Arrive,
        "sent" | "gestuur" => Took,
        "gave" | "given" | "threw" | "thrown" | "dropped" => Loss,
        "collected" | "fetched" | "picked" => Took,
        "hold" | "keep" => Reserve,
        "kry" => Ask,
        "rupture" | "none" => Zero,
        "any" if first_word || preceded_by_greeting(toks, ctx, i) => Stocked,
        _ => return None,
    })
}

/// "varnish status?", "cement qty", "glue level?": a status noun straight
/// after an item, ending its sentence, asks how much of the item is left.
pub fn status_question(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> bool {
    let status = matches!(
        toks[i].text,
        "status"
            | "quantity"
            | "level"
            | "levels"
            | "count"
            | "update"
            | "situation"
            | "availability"
            | "available"
            | "stock"
            | "total"
            | "numbers"
            | "figures"
            | "inventory"
            | "etat"
    );
    if !status || i == 0 || !ctx.item[i - 1] || ctx.anchored[i] {
        return false;
    }
    // After a word outside the catalogue only the unmistakable status nouns
    // ask: "show stock" and "send update" are requests of their own.
    let plain_status = matches!(
        toks[i].text,
        "status" | "quantity" | "availability" | "available" | "level"
    );
    if !ctx.anchored[i - 1] && !plain_status {
        return false;
    }
    // Nothing after it in the sentence but filler, time words and "?".
    toks[i + 1..]
        .iter()
        .zip(&ctx.roles[i + 1..])
        .take_while(|(t, _)| !(t.punct && matches!(t.text, "." | "!" | ";" | ",")))
        .all(|(t, r)| t.punct || matches!(r, Role::Filler | Role::Boundary | Role::Stop))
}

/// A later "to"/"à"/"op"/":"/"=" followed by a number.
pub fn has_target(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> bool {
    let mut to = false;
    for (t, number) in toks.iter().zip(ctx.number).skip(i + 1) {
        if *number && to {
            return true;
        }
        to |= matches!(
            t.text,
            "to" | "a" | "op" | "na" | "naar" | "at" | "=" | ":" | "on"
        );
    }
    false
}

/// "the supplier sent…", "the rep dropped…": a carrier is the subject.
fn carrier_before(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> bool {
    (i.saturating_sub(4)..i)
        .rev()
        .take_while(|&j| !toks[j].punct)
        .any(|j| {
            ctx.roles[j] == Role::Agent
                && (super::words::is_carrier(toks[j].text)
                    || super::context::trade_person(toks, ctx, j))
        })
}

/// "we bought 20 bags from the supplier": the shop is the buyer, so stock came in.
fn own_subject(toks: &[Token<'_>], i: usize) -> bool {
    (i.saturating_sub(3)..i)
        .filter_map(|j| word(toks, j))
        .any(|w| {
            matches!(
                w,
                "i" | "we" | "ons" | "ek" | "nous" | "on" | "j'" | "we've" | "i've"
            )
        })
}

/// "hi, any cement?": the first real word after a greeting.
fn preceded_by_greeting(toks: &[Token<'_>], ctx: &Ctx<'_>, i: usize) -> bool {
    toks[..i]
        .iter()
        .zip(ctx.roles)
        .all(|(t, r)| t.punct || *r == Role::Filler || super::words::is_greeting(t.text))
}
