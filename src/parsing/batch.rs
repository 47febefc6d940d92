//! `backroom parse`: one JSON string per input line, one parse per output line.
//!
//! This is the interface a scorer measures parsers through: answers go to
//! stdout in input order, logs to stderr, and a line that is not a JSON
//! string still gets an answer (`unknown`) so later lines stay aligned.
//!
//! Each answer is what the bot acts on at once: a stock change it would
//! confirm first prints as `unknown`, with the reading under `ask`.

use std::io::{BufRead, Write};

use serde_json::{Value, json};

use super::{KnownItems, Parse, Parsed, Parser, Sender};

/// The answer for one message, as `backroom parse` prints it.
pub fn answer(parsed: &Parsed, known: &KnownItems, explain: bool) -> Value {
    let mut answer = serde_json::to_value(parsed.acted_on(known)).expect("parse serialises");
    if parsed.needs_confirmation(known) {
        answer["ask"] = serde_json::to_value(&parsed.parse).expect("parse serialises");
    }
    if explain {
        answer["explain"] = json!({
            "parser": parsed.by,
            "micros": parsed.micros,
            "confidence": parsed.confidence,
            "intent_confidence": parsed.intent_confidence,
            "alternative": parsed.alternative,
            "notes": parsed.notes,
        });
    }
    answer
}

/// Reads every line of `input`, writes one JSON object per line to `output`.
pub async fn run(
    parser: &dyn Parser,
    known: &KnownItems,
    sender: Sender,
    explain: bool,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<usize> {
    let mut count = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<String>(&line) {
            Ok(text) => answer(&parser.parse(&text, known, sender).await, known, explain),
            Err(e) => {
                let mut answer = serde_json::to_value(Parse::unknown()).expect("serialises");
                if explain {
                    answer["explain"] = json!({ "error": format!("not a JSON string: {e}") });
                }
                answer
            }
        };
        writeln!(output, "{}", Value::to_string(&answer))?;
        count += 1;
    }
    output.flush()?;
    Ok(count)
}

/// Known item names from a file: one per line, blank lines and `#` comments skipped.
pub fn known_items_from(text: &str) -> KnownItems {
    KnownItems::new(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parsing::RuleParser;

    #[tokio::test]
    async fn one_answer_per_line_in_order() {
        let input = "\"Added 50 screws\"\n\n\"how many screws?\"\nnot json\n";
        let mut out = Vec::new();
        let n = run(
            &RuleParser,
            &KnownItems::default(),
            Sender::Unknown,
            false,
            input.as_bytes(),
            &mut out,
        )
        .await
        .unwrap();
        assert_eq!(n, 3);
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["intent"], "add");
        assert_eq!(lines[1]["intent"], "query");
        assert_eq!(lines[2]["intent"], "unknown");
    }

    #[tokio::test]
    async fn explain_names_the_parser() {
        let mut out = Vec::new();
        run(
            &RuleParser,
            &KnownItems::default(),
            Sender::Unknown,
            true,
            "\"stock\"\n".as_bytes(),
            &mut out,
        )
        .await
        .unwrap();
        let answer: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(answer["explain"]["parser"], "rules");
    }

    #[test]
    fn known_items_file() {
        let known = known_items_from("# shop\nScrew\n\nhammer\n");
        assert_eq!(known.names(), ["hammer", "screw"]);
    }
}
