//! Messages that are not free text for the parser: taps on our reply
//! buttons, catalogue carts, and pack-size statements.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

/// A tap on a reply button we sent: `pa:<pending action id>:<choice>|no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tap {
    pub action: i64,
    pub answer: Answer,
}

/// Which button: one of the question's choices, or "no / neither".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Pick(usize),
    No,
}

/// The id we give a reply button. The first choice is `yes`, as on buttons
/// sent before questions had several choices.
pub fn button_id(action: i64, answer: Answer) -> String {
    match answer {
        Answer::Pick(0) => format!("pa:{action}:yes"),
        Answer::Pick(n) => format!("pa:{action}:{n}"),
        Answer::No => format!("pa:{action}:no"),
    }
}

#[derive(Deserialize)]
struct Interactive {
    interactive: Option<Inner>,
    button: Option<TemplateButton>,
}

#[derive(Deserialize)]
struct Inner {
    button_reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    id: String,
}

#[derive(Deserialize)]
struct TemplateButton {
    payload: Option<String>,
}

/// Reads a tap on one of our buttons; other buttons are read as their title.
pub fn tap(msg_type: &str, payload: &str) -> Option<Tap> {
    if !matches!(msg_type, "interactive" | "button") {
        return None;
    }
    let m: Interactive = serde_json::from_str(payload).ok()?;
    let id = m
        .interactive
        .and_then(|i| i.button_reply)
        .map(|r| r.id)
        .or_else(|| m.button.and_then(|b| b.payload))?;
    let rest = id.strip_prefix("pa:")?;
    let (action, answer) = rest.split_once(':')?;
    Some(Tap {
        action: action.parse().ok()?,
        answer: match answer {
            "yes" => Answer::Pick(0),
            "no" => Answer::No,
            n => Answer::Pick(n.parse().ok().filter(|n| *n < 3)?),
        },
    })
}

/// One product of a catalogue cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogLine {
    pub sku: String,
    pub quantity: i64,
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
}

#[derive(Deserialize)]
struct OrderMessage {
    order: Order,
}

#[derive(Deserialize)]
struct Order {
    #[serde(default)]
    product_items: Vec<ProductItem>,
}

#[derive(Deserialize)]
struct ProductItem {
    product_retailer_id: String,
    quantity: serde_json::Value,
    item_price: Option<serde_json::Value>,
    currency: Option<String>,
}

/// The cart's lines; malformed lines get quantity 0 and are refused later.
pub fn catalog_lines(payload: &str) -> Vec<CatalogLine> {
    let Ok(m) = serde_json::from_str::<OrderMessage>(payload) else {
        return Vec::new();
    };
    m.order
        .product_items
        .into_iter()
        .take(100)
        .map(|p| CatalogLine {
            sku: p.product_retailer_id.chars().take(100).collect(),
            quantity: number(&p.quantity).map_or(0, |q| q.round() as i64),
            price_minor: p
                .item_price
                .as_ref()
                .and_then(number)
                .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e12)
                .map(|v| (v * 100.0).round() as i64),
            currency: p.currency.map(|c| c.chars().take(8).collect()),
        })
        .collect()
}

/// Meta sends numbers, sometimes as strings.
fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// "1 box of screws = 50": how many singles a pack holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSize {
    pub unit: &'static str,
    pub item: String,
    pub size: i64,
}

static PACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:1|one|a|an)\s+(box|boxes|bag|bags|pack|packs|packet|packets|carton|cartons|crate|crates|roll|rolls|tin|tins|bottle|bottles|case|cases)\s+of\s+([\p{L}][\p{L}\d '\-]{0,60}?)\s*(?:=|is|holds|contains|has)\s*(\d{1,7})\s*$",
    )
    .expect("valid regex")
});

pub fn pack_size(text: &str) -> Option<PackSize> {
    let c = PACK.captures(text)?;
    let unit = match c[1].to_lowercase().as_str() {
        "box" | "boxes" => "box",
        "bag" | "bags" => "bag",
        "pack" | "packs" | "packet" | "packets" => "pack",
        "carton" | "cartons" => "carton",
        "crate" | "crates" | "case" | "cases" => "crate",
        "roll" | "rolls" => "roll",
        "tin" | "tins" => "tin",
        _ => "bottle",
    };
    let size: i64 = c[3].parse().ok()?;
    (size >= 1).then(|| PackSize {
        unit,
        item: crate::parsing::rules::singular(&c[2].trim().to_lowercase()),
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taps_on_our_buttons_only() {
        let ours = r#"{"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"pa:42:yes","title":"Yes"}}}"#;
        assert_eq!(
            tap("interactive", ours),
            Some(Tap {
                action: 42,
                answer: Answer::Pick(0)
            })
        );
        let second = ours.replace("pa:42:yes", "pa:42:1");
        assert_eq!(tap("interactive", &second).unwrap().answer, Answer::Pick(1));
        let no = ours.replace("pa:42:yes", "pa:42:no");
        assert_eq!(tap("interactive", &no).unwrap().answer, Answer::No);
        let beyond = ours.replace("pa:42:yes", "pa:42:7");
        assert_eq!(tap("interactive", &beyond), None, "three buttons at most");
        for answer in [Answer::Pick(0), Answer::Pick(2), Answer::No] {
            let id = button_id(42, answer);
            let payload = ours.replace("pa:42:yes", &id);
            assert_eq!(tap("interactive", &payload).unwrap().answer, answer);
        }
        let theirs = r#"{"interactive":{"button_reply":{"id":"confirm_order","title":"Confirm"}}}"#;
        assert_eq!(tap("interactive", theirs), None);
        assert_eq!(tap("text", ours), None);
    }

    #[test]
    fn alert_reorder_buttons_read_as_taps() {
        for n in 0..3 {
            let id = crate::ops::reorder::button_id(9, n);
            let payload = format!(r#"{{"interactive":{{"button_reply":{{"id":"{id}"}}}}}}"#);
            let want = Tap {
                action: 9,
                answer: Answer::Pick(n),
            };
            assert_eq!(tap("interactive", &payload), Some(want));
        }
    }

    #[test]
    fn catalogue_lines_in_cents() {
        let payload = r#"{"order":{"product_items":[{"product_retailer_id":"h-1","quantity":2,"item_price":189.99,"currency":"ZAR"},{"product_retailer_id":"s","quantity":"1"}]}}"#;
        let lines = catalog_lines(payload);
        assert_eq!(lines[0].price_minor, Some(18999));
        assert_eq!(lines[1].quantity, 1);
        assert!(catalog_lines("{}").is_empty());
    }

    #[test]
    fn pack_sizes() {
        let p = pack_size("1 box of screws = 50").unwrap();
        assert_eq!((p.unit, p.item.as_str(), p.size), ("box", "screw", 50));
        assert_eq!(pack_size("a bag of cement holds 1").unwrap().item, "cement");
        assert!(pack_size("added 2 boxes of screws").is_none());
        assert!(pack_size("1 box of screws = 0").is_none());
    }
}
