//! Text normalisation and tokenising.
//!
//! Everything downstream works on one folded form: lower case, accents removed,
//! typographic quotes and dashes made ASCII, emoji and other symbols turned into
//! spaces. Tokens borrow from that string, so tokenising allocates only the `Vec`.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longest message we look at; chat messages are short and this caps the work.
const MAX_CHARS: usize = 2_000;

/// Folds `text` into the parser's working form (see module docs).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 2) + 2);
    for c in text.chars().take(MAX_CHARS) {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{00b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{00d7}' => out.push('x'),
            '\u{2113}' => out.push('l'),
            // currency signs mark prices, which are not quantities
            '\u{20ac}' | '\u{a3}' => out.push(c),
            c if c.is_ascii() => {
                if c.is_ascii_control() {
                    out.push(' ');
                } else {
                    out.push(c.to_ascii_lowercase());
                }
            }
            c => decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    // accent: dropped
                } else if d.is_alphanumeric() {
                    out.extend(d.to_lowercase());
                } else if d.is_ascii_punctuation() {
                    out.push(d);
                } else {
                    // emoji, symbols, exotic spaces
                    out.push(' ');
                }
            }),
        }
    }
    out
}

/// One token: a word (letters and digits, with inner joining marks) or one
/// punctuation character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub punct: bool,
    /// Whitespace (or the start of the text) comes right before this token.
    pub spaced: bool,
}

impl<'a> Token<'a> {
    pub fn word(text: &'a str, spaced: bool) -> Self {
        Self {
            text,
            punct: false,
            spaced,
        }
    }

    pub fn is(&self, c: char) -> bool {
        self.punct && self.text.starts_with(c)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits folded text into tokens. Joining marks stay inside a word only between
/// two word characters: "ama-drill", "it's", "1,200", "10:15".
pub fn tokenize(norm: &str) -> Vec<Token<'_>> {
    let mut toks = Vec::with_capacity(16);
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let mut i = 0;
    let mut spaced = true;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        // Afrikaans "'n" (a, one): an apostrophe that opens a word.
        if c == '\''
            && spaced
            && chars.get(i + 1).is_some_and(|p| p.1 == 'n')
            && chars.get(i + 2).is_none_or(|p| !is_word_char(p.1))
        {
            let end = chars.get(i + 2).map_or(norm.len(), |p| p.0);
            toks.push(Token::word(&norm[at..end], spaced));
            i += 2;
            spaced = false;
            continue;
        }
        if is_word_char(c) {
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                if is_word_char(cj) {
                    j += 1;
                    continue;
                }
                let prev = chars[j - 1].1;
                let next = chars.get(j + 1).map(|p| p.1);
                let joins = match (cj, next) {
                    ('\'' | '-' | '/' | '&', Some(n))
                        if prev.is_alphabetic() && n.is_alphabetic() =>
                    {
                        true
                    }
                    // "12/03", "24/7": a date or a ratio, one token, not two numbers
                    ('/', Some(n)) => prev.is_ascii_digit() && n.is_ascii_digit(),
                    ('.' | ',' | ':', Some(n)) => prev.is_ascii_digit() && n.is_ascii_digit(),
                    _ => false,
                };
                if joins {
                    j += 2;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(norm.len(), |p| p.0);
            split_word(&norm[at..end], spaced, &mut toks);
            i = j;
        } else {
            let end = at + c.len_utf8();
            toks.push(Token {
                text: &norm[at..end],
                punct: true,
                spaced,
            });
            i += 1;
        }
        spaced = false;
    }
    toks
}

/// French elisions ("j'ai", "qu'on", "l'echelle") become two words, and a
/// number glued to a unit or multiplier ("15m", "3x", "x20") is split.
fn split_word<'a>(w: &'a str, spaced: bool, toks: &mut Vec<Token<'a>>) {
    if let Some(pos) = w.find('\'') {
        let head = &w[..pos];
        if matches!(head, "j" | "l" | "d" | "qu" | "n" | "s" | "c" | "m" | "t") && pos + 1 < w.len()
        {
            toks.push(Token::word(&w[..=pos], spaced));
            split_word(&w[pos + 1..], false, toks);
            return;
        }
    }
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < w.len() {
        let tail = &w[digits..];
        if tail == "x" || super::units::unit_code(tail).is_some() {
            toks.push(Token::word(&w[..digits], spaced));
            toks.push(Token::word(tail, false));
            return;
        }
    }
    if let Some(rest) = w.strip_prefix('x')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        toks.push(Token::word("x", spaced));
        toks.push(Token::word(rest, false));
        return;
    }
    toks.push(Token::word(w, spaced));
}
