//! From scores and items to the reading: items cleaned for the chosen intent
//! (rules 7, 10, 12, 13), and the confidence lowered for every guess the items
//! needed (a name outside the catalogue, a corrected or far-off number).

use super::evidence::{INTENTS, Scores};
use super::group::{Grouped, RawItem};
use super::items::{Flags, NameText};
use super::shape;
use super::summary::usable;
use super::{Notes, Reading, names, units};
use crate::parsing::{Intent, Item, KnownItems, Parse};

/// Below this score nothing was said clearly enough: `unknown`.
const MIN_SCORE: f32 = 1.5;

pub(super) fn reading(
    scores: Scores,
    grouped: Grouped<'_>,
    flags: &Flags,
    known: &KnownItems,
    notes: &mut Notes<'_>,
) -> Reading {
    let (best, s, second) = scores.ranked();
    notes.add(|| {
        let list: Vec<String> = INTENTS
            .iter()
            .zip(scores.s)
            .filter(|(_, v)| *v > 0.0)
            .map(|(i, v)| format!("{}={v:.1}", i.as_str()))
            .collect();
        format!("scores: {}", list.join(" "))
    });
    let runner = second.map_or(0.0, |(_, r)| r);
    if s < MIN_SCORE {
        notes.add(|| "intent: unknown (no clear evidence)".into());
        let unsure = 1.0 - s / (2.0 * MIN_SCORE);
        return Reading {
            parse: Parse::unknown(),
            confidence: unsure,
            intent_confidence: unsure,
            alternative: second
                .map(|(i, _)| i)
                .filter(|_| s > 0.0)
                .or((s > 0.0).then_some(best)),
        };
    }
    let alternative = second.filter(|(_, r)| *r >= 0.5 * s).map(|(i, _)| i);
    let intent_confidence = shape::confidence(s, runner);
    let mut conf = intent_confidence;
    let far = grouped.far;
    let dangling = grouped.dangling;
    // A catalogue item named only in passing while the counted name is new
    // ("we got 3 calls about drills"): the number may not be about stock.
    let known_aside = grouped
        .items
        .iter()
        .any(|it| it.ctx && matches!(it.name, NameText::Known { .. }));
    let items = usable(grouped.items);
    let all_new = !items.is_empty()
        && items
            .iter()
            .all(|it| matches!(it.name, NameText::Words { .. }));
    if known_aside && all_new {
        conf *= 0.75;
    }
    for it in &items {
        conf *= match &it.name {
            NameText::Known { typo: true, .. } => 0.97,
            NameText::Known { .. } => 1.0,
            NameText::Words { compound: true, .. } => 0.88,
            // "I'll take 2 loaves": the unit was the only name given
            NameText::Words { words, .. }
                if words.len() == 1 && units::unit_code(words[0]).is_some() =>
            {
                0.95
            }
            // A new name is likelier a misreading when the number came after
            // it or it is singular beside a count: "confirm 4", "6 eu".
            NameText::Words { words, .. } => {
                let head = words.last().copied().unwrap_or("");
                let plural = head.ends_with('s') || head.ends_with('x');
                // After a unit a singular is the rule: "10 bags of ice".
                let odd =
                    it.postfix || (it.qty.is_some_and(|q| q > 1) && !plural && it.unit.is_none());
                if odd { 0.75 } else { 0.85 }
            }
        };
    }
    if flags.corrected {
        conf *= 0.9;
    }
    if far {
        conf *= 0.9;
    }
    conf *= 0.85f32.powi(i32::from(dangling.min(3)));
    conf *= 0.95f32.powi(i32::from(flags.stray_words.min(3)));
    notes.add(|| format!("intent: {} (confidence {conf:.2})", best.as_str()));
    let parse = build(best, scores.zero, items, flags, known, notes);
    if parse.intent != best {
        return Reading {
            parse,
            confidence: 0.9,
            intent_confidence: 0.9,
            alternative: Some(best),
        };
    }
    Reading {
        parse,
        confidence: conf.clamp(0.0, 1.0),
        intent_confidence: intent_confidence.clamp(0.0, 1.0),
        alternative,
    }
}

/// Items for the chosen intent: names cleaned, quantities per rule 12, bounds per rule 13.
fn build(
    intent: Intent,
    zero: bool,
    mut items: Vec<RawItem<'_>>,
    flags: &Flags,
    known: &KnownItems,
    notes: &mut Notes<'_>,
) -> Parse {
    if matches!(
        intent,
        Intent::List | Intent::Undo | Intent::Help | Intent::Unknown
    ) {
        return Parse::bare(intent);
    }
    // An unknown noun phrase counts only when no catalogue item is named.
    let any_known = items
        .iter()
        .any(|it| matches!(it.name, NameText::Known { .. }));
    items.retain(|it| {
        !(any_known
            && it.qty.is_none()
            && matches!(
                it.name,
                NameText::Words {
                    compound: false,
                    ..
                }
            ))
    });
    let has_qty = items.iter().any(|it| it.qty.is_some());
    let counted = matches!(
        intent,
        Intent::Add | Intent::Remove | Intent::Set | Intent::Order
    );
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        // Name-only words beside counted items are chatter, unless listed with "and".
        let known_item = matches!(it.name, NameText::Known { .. });
        if counted
            && has_qty
            && it.qty.is_none()
            && !(it.listed && (known_item || intent == Intent::Order))
        {
            continue;
        }
        let name = match &it.name {
            NameText::Known { entry, .. } => known.index().name(*entry).to_string(),
            NameText::Words { words, .. } => match names::item_name(words, known, notes) {
                Some(n) => n,
                None => continue,
            },
        };
        let quantity = match intent {
            Intent::Query => None,
            Intent::Order => Some(it.qty.unwrap_or(1)),
            Intent::Set if zero => Some(0),
            Intent::Cancel if it.implicit => None,
            _ => it.qty,
        };
        out.push(Item {
            name,
            quantity,
            unit: it.unit.map(String::from),
        });
    }
    if out.is_empty() && intent != Intent::Cancel {
        notes.add(|| "no item left after cleaning".into());
        return Parse::unknown();
    }
    if flags.negative && counted {
        notes.add(|| "bounds: negative quantity after a verb (rule 13)".into());
        return Parse::unknown();
    }
    let parse = Parse { intent, items: out };
    let bounded = parse.clone().bounded();
    if bounded != parse {
        notes.add(|| "bounds: quantity missing or out of range (rule 13)".into());
    }
    // A count no shop holds is a typo or a joke, whatever the intent.
    let absurd = bounded.items.iter().any(|i| {
        i.quantity
            .is_some_and(|q| !(0..=crate::parsing::MAX_QUANTITY).contains(&q))
    });
    if absurd {
        return Parse::unknown();
    }
    bounded
}
