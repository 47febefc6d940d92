//! Pairs quantities with names. A number takes the name right after it ("3
//! bags of cement") or, when none follows, the nearest open name before it
//! ("hammers 14", "the extension cords flew off the shelf, sold 7"). When both
//! are possible ("count bolts 40 anchors 35") the message's own habit decides:
//! if its first number follows a name, numbers come after names throughout.

use super::items::{NameText, Piece};
use super::text::Token;

/// One item as read, before its name is cleaned.
#[derive(Debug, Clone)]
pub struct RawItem<'a> {
    pub name: NameText<'a>,
    pub qty: Option<i64>,
    pub unit: Option<&'static str>,
    /// Started right after "and"/"+"/"et": a real list entry even without a number.
    pub listed: bool,
    /// The quantity came from a bare "a"/"an".
    pub implicit: bool,
    /// Named only in context ("for the shop door", "how are we on sand"):
    /// used only when nothing else is named.
    pub ctx: bool,
    /// The quantity was found far after the name.
    pub far: bool,
    /// The quantity came after the name ("hammers 14").
    pub postfix: bool,
    /// Describes a person or carrier ("the bread guy"): an item only when a
    /// count naming just its unit takes it ("…came, 20 loaves").
    pub modifier: bool,
    /// Token where the name starts.
    pub at: usize,
    piece: usize,
}

/// Items, plus how many numbers found no name.
pub struct Grouped<'a> {
    pub items: Vec<RawItem<'a>>,
    pub dangling: u8,
    pub far: bool,
}

/// A catalogue item named right after "for (the)" within two verbs after
/// piece `k`: "count is 22 for the hinges".
fn known_ahead(pieces: &[Piece<'_>], k: usize, toks: &[Token<'_>]) -> bool {
    let mut j = k + 1;
    while matches!(pieces.get(j), Some(Piece::Verb)) && j <= k + 2 {
        j += 1;
    }
    let Some(Piece::Name {
        text: NameText::Known { .. },
        at,
        ..
    }) = pieces.get(j)
    else {
        return false;
    };
    let before: Vec<&str> = toks[..*at]
        .iter()
        .rev()
        .filter(|t| !t.punct)
        .take(2)
        .map(|t| t.text)
        .collect();
    matches!(
        before.as_slice(),
        ["for" | "vir" | "pour", ..]
            | ["the" | "die" | "les" | "my" | "our", "for" | "vir" | "pour"]
    )
}

fn next_name(pieces: &[Piece<'_>], k: usize) -> Option<usize> {
    let mut j = k + 1;
    while matches!(pieces.get(j), Some(Piece::Unit(_))) {
        j += 1;
    }
    matches!(
        pieces.get(j),
        Some(Piece::Name {
            modifier: false,
            ..
        })
    )
    .then_some(j)
}

pub fn group<'a>(pieces: Vec<Piece<'a>>, toks: &[Token<'_>]) -> Grouped<'a> {
    let mut items: Vec<RawItem<'a>> = Vec::new();
    let mut pending: Option<(i64, Option<&'static str>, bool)> = None;
    let mut pending_unit: Option<&'static str> = None;
    let mut join = false;
    let mut last_num_piece: Option<usize> = None;
    let mut postfix: Option<bool> = None;
    let mut dangling = 0u8;
    let mut any_far = false;
    for (k, p) in pieces.iter().enumerate() {
        match p {
            Piece::Name {
                text,
                ctx,
                at,
                modifier,
            } => {
                let mut it = RawItem {
                    modifier: *modifier,
                    name: text.clone(),
                    qty: None,
                    unit: pending_unit.take(),
                    listed: join,
                    implicit: false,
                    ctx: *ctx,
                    far: false,
                    postfix: false,
                    at: *at,
                    piece: k,
                };
                if let Some((q, unit, implicit)) = pending.take_if(|_| !*modifier) {
                    it.qty = Some(q);
                    it.unit = unit.or(it.unit);
                    it.implicit = implicit;
                    it.ctx = false;
                }
                items.push(it);
                join = false;
            }
            Piece::Num {
                value,
                implicit,
                unit,
                ..
            } => {
                if pending.take().is_some() {
                    dangling += 1;
                }
                let fwd = next_name(&pieces, k).is_some();
                let after_last_num = |it: &RawItem<'_>| last_num_piece.is_none_or(|n| it.piece > n);
                // An unknown word in context ("off the shelf") takes no number;
                // a person's modifier only a count that names nothing after it.
                let open = |it: &RawItem<'_>| {
                    let ok = if it.modifier {
                        !fwd
                    } else {
                        !(it.ctx && matches!(it.name, NameText::Words { .. }))
                    };
                    it.qty.is_none() && after_last_num(it) && ok
                };
                let back = items.iter().rposition(open).filter(|_| !implicit);
                let adjacent = back.is_some_and(|b| items[b].piece + 1 == k);
                let style = *postfix.get_or_insert(adjacent);
                // A catalogue name after the number beats a stray word before
                // it: "pls confirm 4 buckets sold".
                let known_fwd = next_name(&pieces, k).is_some_and(|j| {
                    matches!(
                        pieces[j],
                        Piece::Name {
                            text: NameText::Known { .. },
                            ..
                        }
                    )
                });
                let stray_back =
                    back.is_some_and(|b| matches!(items[b].name, NameText::Words { .. }));
                let prefer_fwd = known_fwd && stray_back;
                // Numbers after names throughout ("count bolts 40 anchors 35")
                // is read only when the name before is a catalogue item.
                let known_back =
                    back.is_some_and(|b| matches!(items[b].name, NameText::Known { .. }));
                let take_back =
                    back.is_some() && (!fwd || (style && adjacent && !prefer_fwd && known_back));
                if take_back {
                    let b = back.expect("checked");
                    let it = &mut items[b];
                    it.qty = Some(*value);
                    it.unit = unit.or(it.unit);
                    // a person's modifier named first by design: "the bread guy came, 20 loaves"
                    it.far = k - it.piece > 3 && !it.modifier;
                    it.postfix = !it.modifier;
                    it.ctx = false;
                    any_far |= it.far;
                } else if fwd {
                    pending = Some((*value, *unit, *implicit));
                } else if known_ahead(&pieces, k, toks) && !implicit {
                    // "count is 22 for the hinges": the number waits for the
                    // catalogue item named just after it.
                    pending = Some((*value, *unit, false));
                } else if let Some(code) = unit.filter(|_| !implicit) {
                    // "I'll have 2 loaves": the unit is all that was named.
                    items.push(RawItem {
                        name: NameText::Words {
                            words: vec![code],
                            compound: false,
                        },
                        qty: Some(*value),
                        unit: None,
                        listed: join,
                        implicit: false,
                        ctx: false,
                        far: false,
                        postfix: false,
                        modifier: false,
                        at: 0,
                        piece: k,
                    });
                } else if !implicit {
                    dangling += 1;
                }
                last_num_piece = Some(k);
            }
            Piece::Unit(code) => {
                let follows = matches!(
                    pieces.get(k + 1),
                    Some(Piece::Name { .. } | Piece::Num { .. })
                );
                let prev_item = items
                    .last_mut()
                    .filter(|it| it.piece + 1 == k && it.unit.is_none());
                match prev_item {
                    Some(it) if !follows => it.unit = Some(code),
                    _ => pending_unit = Some(code),
                }
                if let Some((_, u @ None, _)) = pending.as_mut() {
                    *u = Some(code);
                }
            }
            Piece::Join => {
                join = true;
                pending_unit = None;
            }
            Piece::Break => {
                pending_unit = None;
                join = false;
            }
            Piece::Verb => join = false,
        }
    }
    if pending.is_some() {
        dangling += 1;
    }
    Grouped {
        items,
        dangling,
        far: any_far,
    }
}
