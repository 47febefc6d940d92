//! Word roles in context: the lexicon's role for each token, adjusted by its
//! neighbours — a person's name after "it's", French "on a" (we have), "en"
//! before a gerund ("en déchargeant": while unloading).

use super::lexicon::{self, Role};
use super::text::Token;

fn word<'a>(toks: &[Token<'a>], i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| !t.punct).map(|t| t.text)
}

/// "hi it's Naledi again", "Sipho here": a name introducing the sender.
fn sender_name(toks: &[Token<'_>], i: usize) -> bool {
    let after = word(toks, i + 1);
    let ends = after.is_none()
        || matches!(
            after,
            Some("here" | "again" | "from" | "just" | "speaking" | "hier" | "ici")
        );
    let intro = i
        .checked_sub(1)
        .and_then(|p| word(toks, p))
        .is_some_and(|p| {
            matches!(
                p,
                "it's" | "its" | "i'm" | "c'est" | "dis" | "ngu" | "am" | "is"
            )
        });
    let first = toks[..i]
        .iter()
        .all(|t| t.punct || super::words::is_greeting(t.text));
    (intro && ends) || (first && matches!(after, Some("here" | "hier" | "ici" | "speaking")))
}

/// French "on" (we): "on a vendu", "on a 30", "on n'a plus" — not English "on a shelf".
fn french_on(toks: &[Token<'_>], i: usize, french: bool) -> bool {
    if french && word(toks, i + 1).is_some() {
        return true;
    }
    match word(toks, i + 1) {
        Some("n'" | "va" | "peut" | "avait" | "doit" | "ne" | "en" | "avons") => true,
        Some("a") => word(toks, i + 2).is_some_and(|w| {
            w.starts_with(|c: char| c.is_ascii_digit())
                || super::numbers::is_number_word(w)
                || lexicon::role(w) == Role::Cue
                || matches!(
                    w,
                    "des"
                        | "du"
                        | "de"
                        | "encore"
                        | "plus"
                        | "pas"
                        | "besoin"
                        | "deja"
                        | "bien"
                        | "tout"
                        | "rien"
                        | "eu"
                )
        }),
        _ => false,
    }
}

/// More French function words than English ones: "on", "en" read as French.
fn looks_french(toks: &[Token<'_>]) -> bool {
    let (mut fr, mut en) = (0, 0);
    for t in toks.iter().filter(|t| !t.punct) {
        match t.text {
            "le" | "la" | "les" | "des" | "du" | "de" | "un" | "une" | "est" | "et" | "pour"
            | "avec" | "vous" | "nous" | "je" | "j'" | "qu'" | "ce" | "ma" | "mon" | "svp"
            | "merci" | "bonjour" | "vient" | "avons" | "sont" | "pas" | "d'" | "l'" => fr += 1,
            "the" | "of" | "and" | "to" | "is" | "are" | "we" | "i" | "you" | "it" | "for"
            | "with" | "this" | "that" | "please" | "my" => en += 1,
            _ => {}
        }
    }
    fr > en
}

/// "the van came", "bread van", "baker's van": English "van" follows a
/// determiner, a possessive or a noun; Afrikaans "van" opens a phrase ("van
/// die depot", "van my").
fn english_van(toks: &[Token<'_>], i: usize) -> bool {
    let prev = word(toks, i - 1);
    let after = word(toks, i + 1);
    let afrikaans_next = after.is_some_and(|n| {
        matches!(
            n,
            "die" | "'n" | "my" | "ons" | "hom" | "haar" | "hulle" | "jou" | "julle" | "daar"
        )
    });
    let before = prev.is_some_and(|p| {
        matches!(
            p,
            "the" | "a" | "our" | "his" | "their" | "your" | "delivery"
        ) || p.ends_with("'s")
            || lexicon::role(p) == Role::Content
    });
    before && !afrikaans_next
}

pub fn assign(toks: &[Token<'_>]) -> Vec<Role> {
    let mut roles: Vec<Role> = toks
        .iter()
        .map(|t| {
            if t.punct {
                Role::Filler
            } else {
                lexicon::role(t.text)
            }
        })
        .collect();
    let french = looks_french(toks);
    for (i, role) in roles.iter_mut().enumerate() {
        let Some(w) = word(toks, i) else { continue };
        let next = word(toks, i + 1);
        let content = *role == Role::Content;
        match w {
            "on" if french_on(toks, i, french) => *role = Role::Filler,
            // "about drills" is a topic; "about 20 drills" a rough count
            "about" | "around" | "regarding" | "concerning"
                if next.is_some_and(|n| {
                    super::numbers::digits_value(n).is_none() && !super::numbers::is_number_word(n)
                }) =>
            {
                *role = Role::Boundary;
            }
            "en" if next.is_some_and(|n| n.len() > 5 && n.ends_with("ant")) => {
                *role = Role::Boundary;
            }
            // "the van", "the baker's van": the vehicle, not Afrikaans "van" (of)
            "van" if i > 0 && english_van(toks, i) => *role = Role::Agent,
            // "10:15", "2nd": digits that are not a quantity
            _ if content
                && w.starts_with(|c: char| c.is_ascii_digit())
                && super::numbers::digits_value(w).is_none() =>
            {
                *role = Role::Stop
            }
            _ if content && sender_name(toks, i) => *role = Role::Filler,
            _ => {}
        }
    }
    roles
}

/// Words an evidence phrase claimed ("could I grab", "do you have") are
/// intent words: they never join an item name. Prepositions keep their role,
/// so what follows them stays context.
pub fn claim(roles: &mut [Role], claimed: &[bool], anchors: &[super::anchor::Anchor]) {
    for (i, r) in roles.iter_mut().enumerate() {
        let anchored = anchors.iter().any(|a| (a.start..a.end).contains(&i));
        if claimed[i] && !anchored && matches!(r, Role::Content | Role::Filler | Role::Stop) {
            *r = Role::Cue;
        }
    }
}
