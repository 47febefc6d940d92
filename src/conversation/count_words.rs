//! What staff write during a stock count, read without the parser: a count
//! is a narrow conversation ("count paint", "screws 48, bolts 120", "7",
//! "done"), and while one is open its reading comes first.

use crate::parsing::MAX_QUANTITY;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CountWords {
    /// Start (or resume) a count of a category or names containing a word.
    Start(Option<String>),
    Finish,
    /// (item as written, or none for "the next one", counted).
    Answers(Vec<(Option<String>, i64)>),
}

/// Verbs that make "sold 3 hammers" a stock change, never a count answer.
const VERBS: [&str; 14] = [
    "sold", "sell", "used", "use", "add", "added", "got", "remove", "removed", "set", "returned",
    "broke", "lost", "ordered",
];

pub(super) fn read(text: &str) -> Option<CountWords> {
    let t = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.as_str() {
        "count" | "stock take" | "stocktake" | "start count" => {
            return Some(CountWords::Start(None));
        }
        "done" | "finish" | "finish count" | "end count" | "count done" | "finished" => {
            return Some(CountWords::Finish);
        }
        _ => {}
    }
    for start in ["count ", "stock take ", "stocktake "] {
        if let Some(scope) = t.strip_prefix(start) {
            // "count 48 screws" is an answer, not a scope.
            if !scope.split(' ').any(|w| w.parse::<i64>().is_ok()) {
                return Some(CountWords::Start(Some(scope.to_string())));
            }
        }
    }
    let mut answers = Vec::new();
    for chunk in t.replace(" and ", ",").split([',', ';', '\n']) {
        let words: Vec<&str> = chunk.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if VERBS.contains(&words[0]) {
            return None;
        }
        let numbers: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].parse::<i64>().is_ok())
            .collect();
        // One number, first or last: "screws 48", "48 screws", "48".
        let [at] = numbers[..] else { return None };
        if at != 0 && at != words.len() - 1 {
            return None;
        }
        let n = words[at].parse::<i64>().ok()?;
        if !(0..=MAX_QUANTITY).contains(&n) {
            return None;
        }
        let name: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != at)
            .map(|(_, w)| *w)
            .collect();
        let name = (!name.is_empty()).then(|| name.join(" "));
        answers.push((name, n));
    }
    (!answers.is_empty()).then_some(CountWords::Answers(answers))
}

fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// "−2", "+3", "0": a variance as staff read it.
pub(super) fn signed(n: i64) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

pub(super) fn started(total: usize, scope: Option<&str>, next: &[String]) -> String {
    let of = scope.map(|s| format!(" ({s})")).unwrap_or_default();
    format!(
        "📋 Count started: {}{of}. Reply with what you count, e.g. \"screw 48, bolt 120\", \
         or just a number for the next item asked. Write done to finish.\n{}",
        items(total),
        to_count(next)
    )
}

/// The next few items to count, by name only: a blind count, so the number
/// on the shelf is not anchored to the number in the books.
pub(super) fn to_count(next: &[String]) -> String {
    if next.is_empty() {
        "All items counted — write done to finish.".into()
    } else {
        format!("Count next: {}", next.join(", "))
    }
}

pub(super) fn counted(name: &str, counted: i64, expected: i64) -> String {
    format!(
        "{name}: counted {counted}, expected {expected} → {}",
        signed(counted - expected)
    )
}

pub(super) fn summary(counted: usize, variance: i64, missed: &[String]) -> String {
    let mut s = format!(
        "📋 Count finished: {} counted, total variance {}.",
        items(counted),
        signed(variance)
    );
    if !missed.is_empty() {
        let shown: Vec<&str> = missed.iter().take(10).map(String::as_str).collect();
        let more = if missed.len() > 10 { ", …" } else { "" };
        s += &format!(
            " Not counted ({}): {}{more}",
            missed.len(),
            shown.join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{CountWords::*, *};

    #[test]
    fn reads_starts_answers_and_the_end() {
        assert_eq!(read("Count"), Some(Start(None)));
        assert_eq!(
            read("stock take shelf A"),
            Some(Start(Some("shelf a".into())))
        );
        assert_eq!(read("count paint"), Some(Start(Some("paint".into()))));
        assert_eq!(read("Finish count."), Some(Finish));
        assert_eq!(
            read("screws 48, bolts 120"),
            Some(Answers(vec![
                (Some("screws".into()), 48),
                (Some("bolts".into()), 120)
            ]))
        );
        assert_eq!(read("7"), Some(Answers(vec![(None, 7)])));
        assert_eq!(read("12 claw hammers and nuts 3").map(|_| ()), Some(()));
        assert_eq!(read("sold 3 hammers"), None);
        assert_eq!(read("how many screws?"), None);
        assert_eq!(read("screws 4 8"), None);
        assert_eq!(read("screws -2"), None);
    }

    #[test]
    fn variances_are_signed() {
        assert_eq!(
            counted("screw", 48, 50),
            "screw: counted 48, expected 50 → −2"
        );
        assert_eq!(signed(3), "+3");
        assert!(summary(2, -2, &["nut".into()]).contains("Not counted (1): nut"));
    }
}
