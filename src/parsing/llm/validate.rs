//! Checks a model's answer against the parse contract. Anything off — an
//! unknown intent, a fractional, negative or huge quantity, too many items, a
//! name that is not a product name — rejects the whole answer, and the rule
//! parser answers instead. The model can be wrong; it cannot be harmful.

use serde::Deserialize;

use super::prompt::{INTENTS, UNITS};
use crate::parsing::{Intent, Item, MAX_QUANTITY, Parse};

/// Most items one message may name.
pub const MAX_ITEMS: usize = 20;
/// Longest item name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

#[derive(Debug, Deserialize)]
struct Answer {
    intent: String,
    #[serde(default)]
    items: Vec<AnswerItem>,
}

#[derive(Debug, Deserialize)]
struct AnswerItem {
    name: String,
    quantity: Option<serde_json::Number>,
    unit: Option<String>,
}

/// Reads the model's JSON text into a `Parse`, or says what was wrong with it.
pub fn answer(json: &str) -> Result<Parse, String> {
    let answer: Answer = serde_json::from_str(strip_fences(json))
        .map_err(|e| format!("answer is not the expected JSON: {e}"))?;
    if !INTENTS.contains(&answer.intent.as_str()) {
        return Err(format!("unknown intent {:?}", answer.intent));
    }
    let intent: Intent =
        serde_json::from_value(answer.intent.clone().into()).map_err(|e| e.to_string())?;
    if answer.items.len() > MAX_ITEMS {
        return Err(format!("{} items, at most {MAX_ITEMS}", answer.items.len()));
    }
    let items = answer
        .items
        .into_iter()
        .map(|i| item(intent, i))
        .collect::<Result<Vec<_>, _>>()?;
    let needs_items = matches!(
        intent,
        Intent::Add | Intent::Remove | Intent::Set | Intent::Order | Intent::Query
    );
    if needs_items && items.is_empty() {
        return Err(format!("intent {} without items", intent.as_str()));
    }
    if matches!(
        intent,
        Intent::List | Intent::Undo | Intent::Help | Intent::Unknown
    ) {
        // These carry no items in the contract; drop any the model added.
        return Ok(Parse::bare(intent));
    }
    Ok(Parse { intent, items })
}

fn item(intent: Intent, raw: AnswerItem) -> Result<Item, String> {
    let name = raw.name.trim().to_lowercase();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(format!("item name of {chars} characters"));
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | '/' | '&');
    if !name.chars().all(allowed) || name.contains("--") || name.contains("/*") {
        return Err(format!("item name {name:?} is not a product name"));
    }
    let quantity = match raw.quantity {
        None => None,
        Some(n) => Some(
            n.as_i64()
                .ok_or_else(|| format!("quantity {n} is not a whole number"))?,
        ),
    };
    let range = match intent {
        Intent::Set => Some(0..=MAX_QUANTITY),
        Intent::Add | Intent::Remove | Intent::Order => Some(1..=MAX_QUANTITY),
        Intent::Cancel => quantity.map(|_| 1..=MAX_QUANTITY),
        _ => None,
    };
    let quantity = match (range, quantity) {
        (Some(r), Some(q)) if r.contains(&q) => Some(q),
        (Some(_), q) => {
            return Err(format!(
                "quantity {q:?} out of bounds for {}",
                intent.as_str()
            ));
        }
        (None, _) => None,
    };
    let unit = match raw.unit {
        Some(u) if UNITS.contains(&u.as_str()) => Some(u),
        Some(u) => return Err(format!("unit {u:?} is not a unit code")),
        None => None,
    };
    Ok(Item {
        name,
        quantity,
        unit,
    })
}

/// Some models wrap JSON in Markdown fences despite being asked not to.
fn strip_fences(text: &str) -> &str {
    let t = text.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .unwrap_or(t);
    t.strip_suffix("```").unwrap_or(t).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_answer_becomes_a_parse() {
        let p = answer(r#"{"intent":"add","items":[{"name":"Screw","quantity":50,"unit":null}]}"#)
            .unwrap();
        assert_eq!(p.intent, Intent::Add);
        assert_eq!(p.items[0].name, "screw");
        assert_eq!(p.items[0].quantity, Some(50));
        let fenced = "```json\n{\"intent\":\"list\",\"items\":[]}\n```";
        assert_eq!(answer(fenced).unwrap(), Parse::bare(Intent::List));
    }

    #[test]
    fn contract_violations_are_rejected() {
        for bad in [
            "not json",
            r#"{"intent":"delete_all","items":[]}"#,
            r#"{"intent":"add","items":[{"name":"screw","quantity":-5,"unit":null}]}"#,
            r#"{"intent":"add","items":[{"name":"screw","quantity":99999999999,"unit":null}]}"#,
            r#"{"intent":"add","items":[{"name":"screw","quantity":2.5,"unit":null}]}"#,
            r#"{"intent":"add","items":[{"name":"screw","quantity":0,"unit":null}]}"#,
            r#"{"intent":"add","items":[]}"#,
            r#"{"intent":"add","items":[{"name":"x'); DROP TABLE items;--","quantity":1,"unit":null}]}"#,
            r#"{"intent":"add","items":[{"name":"screw","quantity":1,"unit":"barrel"}]}"#,
        ] {
            assert!(answer(bad).is_err(), "{bad}");
        }
        let many: Vec<String> = (0..21)
            .map(|i| format!(r#"{{"name":"item{i}","quantity":1,"unit":null}}"#))
            .collect();
        let too_many = format!(r#"{{"intent":"add","items":[{}]}}"#, many.join(","));
        assert!(answer(&too_many).is_err());
    }

    #[test]
    fn set_may_be_zero_and_queries_drop_quantities() {
        let set = answer(r#"{"intent":"set","items":[{"name":"drill","quantity":0,"unit":null}]}"#);
        assert_eq!(set.unwrap().items[0].quantity, Some(0));
        let q = answer(r#"{"intent":"query","items":[{"name":"drill","quantity":3,"unit":null}]}"#);
        assert_eq!(q.unwrap().items[0].quantity, None);
    }
}
