//! Typo matching: is a word a misspelling of a known one?
//!
//! Typing slips drop, double, swap or add a letter, or hit a neighbouring key;
//! a different real word usually differs by a letter that is neither. So
//! substitutions are cheap only between keyboard neighbours or vowels, and only
//! in longer words, where a one-letter change rarely makes another word.

/// Longest word compared; names longer than this are never typos.
const MAX_LEN: usize = 40;

/// Real words one slip away from a catalogue item ("tape" ~ "tap", "towel" ~
/// "trowel"): a message naming them means them.
const REAL_WORDS: &[&str] = &[
    "tape", "towel", "title", "belt", "bowl", "slat", "boot", "boat", "rap", "trap", "taps",
    "tile", "bold", "sale", "sole", "pie", "pipes", "nuts", "wine", "wise", "rage", "mob", "hose",
    "house", "soup", "spice", "brush", "chair", "paint", "plate", "plant", "pliers", "ladle",
    "cord", "card", "ride", "scale", "shovel", "sieve", "glass", "grass", "pill", "lamp", "lamps",
    "lock", "locks", "clip", "clips", "nail", "rack", "bucket", "sack", "wood", "rice", "tea",
    "gloves", "bolt", "bread", "rope", "soap", "mops", "taper", "sander", "rakes", "sauce",
    "salsa", "sugar", "spoon", "cloth", "clothes", "towels", "wheel", "pegs", "peg", "tie", "ties",
    "fuel", "pins", "pin", "tin", "tins", "bulb", "bulbs",
];

/// QWERTY rows, for neighbouring keys.
const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

fn key_pos(c: char) -> Option<(i32, i32)> {
    let b = u8::try_from(c).ok()?;
    ROWS.iter().enumerate().find_map(|(r, row)| {
        row.iter()
            .position(|&k| k == b)
            .map(|col| (r as i32, col as i32 + r as i32 / 2))
    })
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Letters that spell the same sound: "perseuse" for "perceuse", "kable" for "cable".
fn same_sound(a: char, b: char) -> bool {
    matches!(
        (a.min(b), a.max(b)),
        ('c', 's') | ('c', 'k') | ('s', 'z') | ('k', 'q')
    )
}

/// Whether swapping `a` for `b` looks like a slip of the finger or of spelling.
fn confusable(a: char, b: char) -> bool {
    if (is_vowel(a) && is_vowel(b)) || same_sound(a, b) {
        return true;
    }
    match (key_pos(a), key_pos(b)) {
        (Some((ra, ca)), Some((rb, cb))) => (ra - rb).abs() <= 1 && (ca - cb).abs() <= 1,
        _ => false,
    }
}

/// Weighted Damerau-Levenshtein distance (optimal string alignment).
/// Substitutions cost 1 only for confusable letters in words of 6+ letters.
/// Three rolling rows indexed modulo 3, so nothing is copied between rows.
fn distance(a: &[char], b: &[char]) -> usize {
    const W: usize = MAX_LEN + 1;
    let (n, m) = (a.len(), b.len());
    let cheap_subst = n.min(m) >= 6;
    let mut rows = [0u8; 3 * W];
    for (j, cell) in rows[..=m].iter_mut().enumerate() {
        *cell = j as u8;
    }
    for i in 1..=n {
        let (cur, prev, back) = ((i % 3) * W, ((i - 1) % 3) * W, ((i + 1) % 3) * W);
        rows[cur] = i as u8;
        for j in 1..=m {
            let sub = if a[i - 1] == b[j - 1] {
                0
            } else if cheap_subst && confusable(a[i - 1], b[j - 1]) {
                1
            } else {
                2
            };
            let mut d = (rows[prev + j - 1] + sub)
                .min(rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[back + j - 2] + 1);
            }
            rows[cur + j] = d;
        }
    }
    usize::from(rows[(n % 3) * W + m])
}

/// "pdlock" for "padlock", "scrw" for "screw": letters only dropped, and only
/// vowels or a doubled letter.
fn dropped_vowels(a: &[char], b: &[char]) -> bool {
    if a.len() >= b.len() || a.first() != b.first() {
        return false;
    }
    let mut i = 0;
    for (j, &c) in b.iter().enumerate() {
        if i < a.len() && a[i] == c {
            i += 1;
        } else if !(is_vowel(c) || (j > 0 && b[j - 1] == c)) {
            return false;
        }
    }
    i == a.len()
}

/// Whether `w` is written without vowels (text-speak: "lvl", "dwn", "rcvd");
/// "y" may stay, and so may a vowel that starts the word ("avlbl").
pub fn vowelless(w: &str) -> bool {
    w.len() >= 3
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && !w.bytes().skip(1).any(|b| b"aeiou".contains(&b))
}

/// "lvl" for "level", "dwn" for "down", "hmmr" for "hammer": `input` is
/// `target` with its vowels (and doubled letters) dropped and nothing else —
/// the strict text-speak skeleton, which even three letters may carry.
pub fn is_skeleton_of(input: &str, target: &str) -> bool {
    skeleton(input.as_bytes(), target.as_bytes()) && vowelless(input)
}

/// "tls" for "tiles", "brshs" for "brushes": the skeleton of a plural of
/// `target` (its final "s" kept).
pub fn is_plural_skeleton_of(input: &str, target: &str) -> bool {
    input
        .strip_suffix('s')
        .is_some_and(|stem| skeleton(stem.as_bytes(), target.as_bytes()))
        && vowelless(input)
}

fn skeleton(a: &[u8], b: &[u8]) -> bool {
    if a.len() < 2 || a.len() >= b.len() || a.first() != b.first() || !b.is_ascii() {
        return false;
    }
    // as `dropped_vowels`, on bytes: every target letter is matched in order,
    // or is a vowel, or doubles the letter before it
    let mut i = 0;
    for (j, &c) in b.iter().enumerate() {
        if i < a.len() && a[i] == c {
            i += 1;
        } else if !(is_vowel(char::from(c)) || (j > 0 && b[j - 1] == c)) {
            return false;
        }
    }
    i == a.len()
}

/// Whether a word is a real word that must not be read as a typo.
pub fn is_real_word(w: &str) -> bool {
    REAL_WORDS.contains(&w)
}

/// Whether `input` is a plausible misspelling of `target` (both folded).
/// `min_abbrev` is the shortest input accepted as a vowel-less abbreviation.
pub fn is_typo_of(input: &str, target: &str, min_abbrev: usize) -> Option<usize> {
    if input == target {
        return Some(0);
    }
    let (n, m) = (input.chars().count(), target.chars().count());
    if !(3..=MAX_LEN).contains(&n) || m > MAX_LEN {
        return None;
    }
    let allowed = match n {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    };
    // Cheap rejections first: most catalogue names are far off in length.
    let by_distance = n.abs_diff(m) <= allowed && bag_distance(input, target) <= allowed;
    let by_abbrev = n >= min_abbrev && m > n && input.chars().next() == target.chars().next();
    if !by_distance && !by_abbrev {
        return None;
    }
    let mut a = ['\0'; MAX_LEN];
    let mut b = ['\0'; MAX_LEN];
    fill(input, &mut a);
    fill(target, &mut b);
    let (a, b) = (&a[..n], &b[..m]);
    if by_distance {
        let d = distance(a, b);
        if d <= allowed {
            return Some(d);
        }
    }
    if by_abbrev && dropped_vowels(a, b) {
        return Some(allowed.max(1));
    }
    None
}

/// Letters one word has that the other lacks (the larger side): a lower bound
/// on the edit distance, computed without alignment.
pub fn bag_distance(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i8; 128];
    for c in a.bytes() {
        counts[usize::from(c)] = counts[usize::from(c)].saturating_add(1);
    }
    for c in b.bytes() {
        counts[usize::from(c)] = counts[usize::from(c)].saturating_sub(1);
    }
    let (mut more, mut fewer) = (0usize, 0usize);
    for &k in &counts {
        if k > 0 {
            more += k as usize;
        } else {
            fewer += k.unsigned_abs() as usize;
        }
    }
    more.max(fewer)
}

fn fill(s: &str, buf: &mut [char; MAX_LEN]) {
    for (slot, c) in buf.iter_mut().zip(s.chars()) {
        *slot = c;
    }
}
