//! Replies about transfers between locations (English).

use crate::{
    domain::{lang::Lang, location::Places},
    ops::transfers::{ReceivedLine, SentLine},
};

/// "🚚 Sent 10 screws to Warehouse (T-3). Main Street has 40 left; …"
pub fn sent(places: &Places, from: i64, to: i64, lines: &[SentLine]) -> String {
    let what: Vec<String> = lines
        .iter()
        .map(|l| format!("{} ({})", units(l.quantity, &l.name), l.reference))
        .collect();
    let left: Vec<String> = lines.iter().map(|l| units(l.left, &l.name)).collect();
    format!(
        "🚚 Sent {} to {}. {} has {} left. It shows as in transit until {} confirms it arrived.",
        what.join(", "),
        places.name(to),
        places.name(from),
        left.join(", "),
        places.name(to)
    )
}

/// "📦 Received 10 screws from Main Street — 10 at Warehouse now."
pub fn received(places: &Places, here: i64, lines: &[ReceivedLine]) -> String {
    lines
        .iter()
        .map(|l| {
            format!(
                "📦 Received {} from {} — {} at {} now.",
                units(l.quantity, &l.name),
                places.name(l.from),
                l.here,
                places.name(here)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn units(n: i64, name: &str) -> String {
    super::count(Lang::En, n, name)
}
