//! Sentence form: which sentences of a message are questions. A question mark
//! makes one, and so does an interrogative opener ("do you…", "is there…",
//! "any…", "how many…", "het julle…", "est-ce que…", "ninawo…").

use super::lexicon::Role;
use super::text::Token;
use super::words;

pub struct Form {
    /// For each token, whether its sentence is a question.
    question: Vec<bool>,
    /// For each token, whether it stands in a prepositional or subordinate
    /// stretch ("during the delivery", "when the truck came").
    aside: Vec<bool>,
    pub any_question: bool,
}

/// Words that open a question when they come first.
#[rustfmt::skip]
fn opener(w: &str) -> bool {
    matches!(
        w,
        "do" | "does" | "did" | "is" | "are" | "was" | "were" | "any" | "anything" | "can"
            | "could" | "would" | "will" | "may" | "have" | "has" | "how" | "what" | "what's"
            | "whats" | "which" | "where" | "when" | "who" | "whos" | "est-ce" | "combien"
            | "avez-vous" | "hoeveel" | "kan" | "mag" | "ninawo" | "ninayo" | "ninazo"
            | "unayo" | "zingaki" | "kungaki" | "kukhona" | "kusekhona" | "ukhona" | "zikhona"
            | "isekhona" | "wat" | "hoe" | "y" | "qu'est-ce" | "ngubani" | "watter" | "quel"
            | "quelle" | "ou" | "pourquoi" | "quand"
    )
}

/// Auxiliary openers ask only when a subject follows: "did we get…", "is
/// glue…", "can I…" — not "did a count", "have 3 left".
fn asks(toks: &[Token<'_>], roles: &[Role], k: usize) -> bool {
    let aux = matches!(
        toks[k].text,
        "do" | "does"
            | "did"
            | "is"
            | "are"
            | "was"
            | "were"
            | "can"
            | "could"
            | "would"
            | "will"
            | "may"
            | "have"
            | "has"
            | "kan"
            | "mag"
    );
    if !aux {
        return true;
    }
    let Some(next) = toks.get(k + 1).filter(|t| !t.punct) else {
        return false;
    };
    // "there are 7 left" states a count; "are 7 left?" needs its question mark.
    let existential = k > 0 && toks[k - 1].text == "there";
    let number = next.text.starts_with(|c: char| c.is_ascii_digit())
        || super::numbers::is_number_word(next.text);
    if existential || number {
        return false;
    }
    matches!(
        next.text,
        "you"
            | "we"
            | "they"
            | "i"
            | "he"
            | "she"
            | "it"
            | "there"
            | "y'all"
            | "ya"
            | "the"
            | "any"
            | "your"
            | "our"
            | "this"
            | "that"
            | "these"
            | "those"
            | "ek"
            | "ons"
            | "julle"
            | "jy"
            | "daar"
            | "my"
            | "someone"
            | "anyone"
            | "anybody"
    ) || roles[k + 1] == Role::Content
}

/// Words skipped when looking for the first word of a sentence.
fn lead_in(w: &str, role: Role) -> bool {
    words::is_greeting(w)
        || matches!(
            w,
            "um" | "umm"
                | "uh"
                | "so"
                | "yeah"
                | "ok"
                | "okay"
                | "oh"
                | "well"
                | "hey"
                | "eish"
                | "yoh"
                | "ja"
                | "euh"
                | "bon"
                | "alors"
                | "yebo"
                | "like"
                | "and"
                | "but"
                | "please"
                | "sorry"
                | "excuse"
                | "me"
                | "bru"
                | "mate"
                | "boss"
                | "guys"
                | "there"
                | "all"
                | "everyone"
                | "team"
                | "again"
                | "quick"
                | "question"
                | "btw"
                | "also"
                | "oops"
                | "just"
                | "asseblief"
                | "svp"
                | "stp"
                | "more"
        )
        || (role == Role::Filler && matches!(w, "hi" | "hello"))
}

impl Form {
    pub fn of(toks: &[Token<'_>], roles: &[Role]) -> Self {
        let mut question = vec![false; toks.len()];
        let mut any = false;
        let mut start = 0;
        for end in 0..=toks.len() {
            let closes = end == toks.len()
                || (toks[end].punct && matches!(toks[end].text, "." | "!" | "?" | ";"));
            if !closes {
                continue;
            }
            // Take the run of closing marks with the sentence ("bolts??").
            let mut stop = end;
            while stop < toks.len()
                && toks[stop].punct
                && matches!(toks[stop].text, "." | "!" | "?" | ";")
            {
                stop += 1;
            }
            if stop <= start {
                continue;
            }
            let marked = toks[start..stop].iter().any(|t| t.is('?'));
            let first = (start..stop).find(|&k| !toks[k].punct && !lead_in(toks[k].text, roles[k]));
            let opened = first.is_some_and(|k| opener(toks[k].text) && asks(toks, roles, k));
            if marked || opened {
                question[start..stop].fill(true);
                any = true;
            }
            start = stop;
        }
        Self {
            question,
            aside: super::aside::asides(toks, roles),
            any_question: any,
        }
    }

    pub fn question_at(&self, i: usize) -> bool {
        self.question.get(i).copied().unwrap_or(false)
    }

    pub fn aside_at(&self, i: usize) -> bool {
        self.aside.get(i).copied().unwrap_or(false)
    }
}
