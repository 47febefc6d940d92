//! Quantities written as digits or as English, French or Afrikaans number words.

use super::text::Token;

/// Value of a run of digits: "12", "1,200", "1.200" (thousands marks). Decimals
/// ("1.5") and times ("10:15") are not quantities. Huge numbers saturate so the
/// bounds check rejects them instead of wrapping.
pub fn digits_value(w: &str) -> Option<i64> {
    let b = w.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return Some(saturating_parse(w));
    }
    // Thousands groups: 1-3 digits then groups of exactly three.
    let sep = if w.contains(',') { ',' } else { '.' };
    let mut parts = w.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut joined = String::from(first);
    for p in parts {
        if p.len() != 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        joined.push_str(p);
    }
    Some(saturating_parse(&joined))
}

fn saturating_parse(digits: &str) -> i64 {
    digits.parse().unwrap_or(i64::MAX)
}

/// A number word's value: ones, teens and tens (also hyphenated, "twenty-five",
/// "dix-sept"), or a multiplier.
enum Word {
    Small(i64),
    Hundred,
    Thousand,
    Dozen,
}

fn word(w: &str) -> Option<Word> {
    let v = match w {
        "zero" | "nil" | "nul" => 0,
        "one" | "een" => 1,
        "two" | "deux" | "twee" => 2,
        "three" | "trois" | "drie" => 3,
        "four" | "quatre" | "vier" => 4,
        "five" | "cinq" | "vyf" => 5,
        "six" => 6,
        "seven" | "sept" | "sewe" => 7,
        "eight" | "huit" | "agt" => 8,
        "nine" | "neuf" | "nege" => 9,
        "ten" | "dix" | "tien" => 10,
        "eleven" | "onze" | "elf" => 11,
        "twelve" | "douze" | "twaalf" => 12,
        "thirteen" | "treize" | "dertien" => 13,
        "fourteen" | "quatorze" | "veertien" => 14,
        "fifteen" | "quinze" | "vyftien" => 15,
        "sixteen" | "seize" | "sestien" => 16,
        "seventeen" | "sewentien" => 17,
        "eighteen" | "agtien" => 18,
        "nineteen" | "negentien" => 19,
        "twenty" | "vingt" | "twintig" => 20,
        "thirty" | "trente" | "dertig" => 30,
        "forty" | "fourty" | "quarante" | "veertig" => 40,
        "fifty" | "cinquante" | "vyftig" => 50,
        "sixty" | "soixante" | "sestig" => 60,
        "seventy" | "sewentig" => 70,
        "eighty" | "tagtig" => 80,
        "ninety" | "negentig" => 90,
        // Zulu counts after the noun ("ama-hammer amabili", "i-drill eyodwa")
        "eyodwa" | "owodwa" | "olulodwa" | "elilodwa" | "kunye" | "munye" => 1,
        "ezimbili" | "amabili" | "mabili" | "zimbili" | "kubili" => 2,
        "ezintathu" | "amathathu" | "mathathu" | "zintathu" | "kuthathu" => 3,
        "ezine" | "amane" | "mane" | "zine" => 4,
        "ezinhlanu" | "amahlanu" | "mahlanu" | "zinhlanu" => 5,
        "eziyisithupha" | "isithupha" => 6,
        "eziyisikhombisa" | "isikhombisa" => 7,
        "eziyisishiyagalombili" | "isishiyagalombili" => 8,
        "eziyisishiyagalolunye" | "isishiyagalolunye" => 9,
        "eziyishumi" | "ishumi" => 10,
        "hundred" | "cent" | "cents" | "honderd" => return Some(Word::Hundred),
        "thousand" | "mille" | "duisend" => return Some(Word::Thousand),
        "dozen" | "dozens" | "douzaine" | "douzaines" | "dosyn" => return Some(Word::Dozen),
        _ => return hyphenated(w).map(Word::Small),
    };
    Some(Word::Small(v))
}

/// "twenty-five", "dix-sept", "vingt-deux", "soixante-dix".
fn hyphenated(w: &str) -> Option<i64> {
    let (a, b) = w.split_once('-')?;
    match (word(a)?, word(b)?) {
        (Word::Small(x), Word::Small(y)) if x >= 20 && x % 10 == 0 && y < 20 => Some(x + y),
        (Word::Small(10), Word::Small(y)) if y < 10 => Some(10 + y),
        _ => None,
    }
}

/// French round-number nouns: "une dizaine" (about ten), "une centaine".
fn approx(w: &str) -> Option<i64> {
    Some(match w.strip_suffix('s').unwrap_or(w) {
        "dizaine" => 10,
        "quinzaine" => 15,
        "vingtaine" => 20,
        "trentaine" => 30,
        "quarantaine" => 40,
        "cinquantaine" => 50,
        "centaine" => 100,
        _ => return None,
    })
}

/// Cheap first test: digits, a number word, or an article ("a dozen").
fn may_start(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            w,
            "a" | "an" | "un" | "une" | "'n" | "half" | "couple" | "demi-douzaine"
        )
        || word(w).is_some()
}

/// Whether a word can start a spelt-out number.
pub fn is_number_word(w: &str) -> bool {
    word(w).is_some()
}

/// Reads a quantity starting at token `i`: digits ("12", "1,200"), number words
/// ("twenty five", "a hundred", "one hundred and fifty"), and dozens ("a dozen",
/// "half a dozen", "3 dozen", "une douzaine de"). A bare "a"/"an" is left to the
/// caller, which knows whether it stands for one. Returns the value and the number
/// of tokens read.
pub fn number_at(toks: &[Token<'_>], i: usize) -> Option<(i64, usize)> {
    let w = |k: usize| toks.get(k).filter(|t| !t.punct).map_or("", |t| t.text);
    if !may_start(w(i)) {
        return None;
    }
    let of = |k: usize| usize::from(matches!(w(k), "of" | "de" | "d'" | "des"));
    let first = w(i);
    match first {
        "half" if w(i + 1) == "a" && w(i + 2) == "dozen" => return Some((6, 3 + of(i + 3))),
        "demi-douzaine" => return Some((6, 1 + of(i + 1))),
        "a" | "an" | "un" | "une" | "'n" => {
            return match w(i + 1) {
                "couple" => Some((2, 2 + of(i + 2))),
                "dozen" | "douzaine" => Some((12, 2 + of(i + 2))),
                "hundred" | "thousand" | "cent" | "mille" => {
                    let (v, n) = spelt(toks, i + 1)?;
                    Some((v, n + 1))
                }
                // "une vingtaine de râteaux": about twenty, read as twenty
                next => approx(next).map(|v| (v, 2 + of(i + 2))),
            };
        }
        "couple" => return Some((2, 1 + of(i + 1))),
        _ => {}
    }
    if let Some(v) = digits_value(first) {
        // "2 dozen", "3 douzaines de"
        if matches!(word(w(i + 1)), Some(Word::Dozen)) {
            return Some((v.saturating_mul(12), 2 + of(i + 2)));
        }
        // "1 200": thousands written with a space, groups of exactly three digits
        let group = |k: usize| {
            let g = w(k);
            (g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())).then(|| saturating_parse(g))
        };
        if first.len() <= 3 && first.bytes().all(|b| b.is_ascii_digit()) && first != "0" {
            let (mut total, mut used) = (v, 1);
            while let Some(g) = group(i + used) {
                total = total.saturating_mul(1000).saturating_add(g);
                used += 1;
            }
            return Some((total, used));
        }
        return Some((v, 1));
    }
    spelt(toks, i)
}

/// Spelt-out numbers: a running total with hundreds and thousands.
fn spelt(toks: &[Token<'_>], i: usize) -> Option<(i64, usize)> {
    let mut total = 0i64;
    let mut current = 0i64;
    let mut k = i;
    let mut seen = false;
    let mut dozen_at = None;
    while let Some(t) = toks.get(k) {
        if t.punct {
            break;
        }
        let joiner = matches!(t.text, "and" | "et" | "en");
        if joiner && seen {
            // "one hundred and fifty", "vingt et un": only when a number follows
            match toks.get(k + 1).and_then(|n| word(n.text)) {
                Some(Word::Small(_)) => {
                    k += 1;
                    continue;
                }
                _ => break,
            }
        }
        match word(t.text) {
            Some(Word::Small(v)) => {
                // "twenty five" adds; "five twenty" would be two numbers
                if seen && current % 100 != 0 && (current % 10 != 0 || v >= 10) {
                    break;
                }
                current += v;
            }
            Some(Word::Hundred) => current = current.max(1) * 100,
            Some(Word::Thousand) => {
                total += current.max(1) * 1000;
                current = 0;
            }
            Some(Word::Dozen) => {
                current = current.max(1) * 12;
                dozen_at = Some(k);
                k += 1;
                seen = true;
                break;
            }
            None => break,
        }
        seen = true;
        k += 1;
    }
    if !seen {
        return None;
    }
    let mut used = k - i;
    if dozen_at.is_some()
        && toks
            .get(k)
            .is_some_and(|t| matches!(t.text, "of" | "de" | "d'"))
    {
        used += 1;
    }
    Some((total + current, used))
}
