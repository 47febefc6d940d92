//! The shop's shelf as WhatsApp list messages: pages of in-stock items in
//! sections by category, rows a customer picks, and suggestions for an item
//! the shop does not have. Pure: the caller reads the items.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    domain::{
        lang::{Lang, t},
        money,
    },
    storage::items::ItemRow,
};

/// Meta's limits on a list message.
const MAX_ROWS: usize = 10;
const MAX_TITLE: usize = 24;
const MAX_DESCRIPTION: usize = 72;

/// A picked list row: an item, or the next page from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Item(i64),
    More(usize),
}

/// One row and the section it goes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

#[derive(Deserialize)]
struct Message {
    interactive: Option<Interactive>,
    context: Option<Context>,
}

#[derive(Deserialize)]
struct Interactive {
    list_reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    id: String,
}

#[derive(Deserialize)]
struct Context {
    referred_product: Option<Referred>,
}

#[derive(Deserialize)]
struct Referred {
    product_retailer_id: String,
}

/// Reads a pick from one of our lists; other lists' rows are read as text.
pub fn pick(msg_type: &str, payload: &str) -> Option<Pick> {
    if msg_type != "interactive" {
        return None;
    }
    let m: Message = serde_json::from_str(payload).ok()?;
    let id = m.interactive?.list_reply?.id;
    if let Some(item) = id.strip_prefix("it:") {
        return item.parse().ok().map(Pick::Item);
    }
    let offset: usize = id.strip_prefix("more:")?.parse().ok()?;
    Some(Pick::More(offset.min(100_000)))
}

/// The catalogue product a message asks about ("Message business" on a
/// product): its retailer id, which is our SKU.
pub fn referred_sku(payload: &str) -> Option<String> {
    let m: Message = serde_json::from_str(payload).ok()?;
    let sku = m.context?.referred_product?.product_retailer_id;
    (!sku.is_empty()).then(|| sku.chars().take(100).collect())
}

/// The category an item is listed under.
pub fn category(lang: Lang, row: &ItemRow) -> String {
    row.category
        .clone()
        .unwrap_or_else(|| t(lang, "Other", "Autres"))
}

/// Listing order: by category (uncategorised last), then name.
pub fn sort(rows: &mut [ItemRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &ItemRow| {
            (
                r.category.is_none(),
                r.category.as_ref().map(|c| c.to_lowercase()),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
}

/// "12 in stock · R25.00", as a row's description.
pub fn describe(lang: Lang, row: &ItemRow, show_counts: bool, currency: &str) -> String {
    let stock = match show_counts {
        true => t(
            lang,
            format!("{} in stock", row.quantity),
            format!("{} en stock", row.quantity),
        ),
        false => t(lang, "In stock", "En stock"),
    };
    let text = match row.price_minor {
        Some(p) => format!("{stock} · {}", money::format(p, currency)),
        None => stock,
    };
    cut(&text, MAX_DESCRIPTION)
}

/// The page of `items` (in stock, sorted) from `offset`: up to ten rows, or
/// nine and a "More…" row when more follow. `None` when nothing is left.
pub fn page(
    lang: Lang,
    items: &[ItemRow],
    offset: usize,
    describe: impl Fn(&ItemRow) -> String,
) -> Option<Vec<Section>> {
    let rest = items.get(offset..).filter(|r| !r.is_empty())?;
    let more = rest.len() > MAX_ROWS;
    let shown = if more { &rest[..MAX_ROWS - 1] } else { rest };
    let mut sections = sections(lang, shown, describe);
    if more {
        sections.push(Section {
            title: t(lang, "More", "Plus"),
            rows: vec![Row {
                id: format!("more:{}", offset + shown.len()),
                title: t(lang, "More…", "Plus…"),
                description: t(
                    lang,
                    format!("{} more items", rest.len() - shown.len()),
                    format!("{} autres articles", rest.len() - shown.len()),
                ),
            }],
        });
    }
    Some(sections)
}

/// Rows grouped into sections by category, in the order given.
pub fn sections(
    lang: Lang,
    items: &[ItemRow],
    describe: impl Fn(&ItemRow) -> String,
) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for item in items.iter().take(MAX_ROWS) {
        let title = cut(&category(lang, item), MAX_TITLE);
        let row = Row {
            id: format!("it:{}", item.id),
            title: cut(&item.name, MAX_TITLE),
            description: describe(item),
        };
        match out.last_mut() {
            Some(s) if s.title == title => s.rows.push(row),
            _ => out.push(Section {
                title,
                rows: vec![row],
            }),
        }
    }
    out
}

/// Up to three in-stock items to offer instead of `wanted`: the same
/// category first, then names alike ("claw hammer" → "hammer").
pub fn similar<'a>(wanted: &str, category: Option<&str>, items: &'a [ItemRow]) -> Vec<&'a ItemRow> {
    let words: Vec<&str> = wanted.split_whitespace().collect();
    let mut scored: Vec<(f64, &ItemRow)> = items
        .iter()
        .filter(|r| r.quantity > 0 && r.name != wanted)
        .filter_map(|r| {
            let same = category.is_some() && r.category.as_deref() == category;
            let shared = r.name.split_whitespace().any(|w| words.contains(&w));
            let alike = strsim::normalized_damerau_levenshtein(wanted, &r.name);
            let score = if same {
                2.0 + alike
            } else if shared {
                1.0 + alike
            } else {
                alike
            };
            (score >= 0.6).then_some((score, r))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    scored.into_iter().take(3).map(|(_, r)| r).collect()
}

/// The Graph `interactive` object of a list message.
pub fn list_json(body: &str, button: &str, sections: &[Section]) -> Value {
    let sections: Vec<Value> = sections
        .iter()
        .map(|s| {
            let rows: Vec<Value> = s
                .rows
                .iter()
                .map(|r| json!({"id": r.id, "title": r.title, "description": r.description}))
                .collect();
            json!({"title": s.title, "rows": rows})
        })
        .collect();
    json!({
        "type": "list",
        "body": {"text": body},
        "action": {"button": cut(button, 20), "sections": sections},
    })
}

/// At most `max` characters, an ellipsis marking a cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

#[cfg(test)]
#[path = "shelf_tests.rs"]
mod tests;
