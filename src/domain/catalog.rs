//! The WhatsApp catalogue: what Meta is told about an item (availability,
//! count, price in Meta's form) and the states of a pending update.

use super::money;

/// Where an item's catalogue update stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// To send when due (after failures too, with backoff).
    Pending,
    /// Given up: Meta refused the item or every retry failed. Shown to owners.
    Failed,
    /// Meta has the item's latest values.
    Done,
}

impl SyncStatus {
    pub const ALL: [SyncStatus; 3] = [Self::Pending, Self::Failed, Self::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Failed => "failed",
            Self::Done => "done",
        }
    }
}

named!(display: SyncStatus);
named!(parse: SyncStatus);

/// Meta's availability words for a product item.
pub fn availability(quantity: i64) -> &'static str {
    if quantity > 0 {
        "in stock"
    } else {
        "out of stock"
    }
}

/// A price as the catalogue batch API takes it: the amount with a point and
/// the currency's own number of decimals, a space, the ISO code ("12.50 ZAR").
pub fn price(minor: i64, currency: &str) -> String {
    format!("{} {currency}", money::plain(minor, currency))
}

/// Reads a price as Graph shows it on a product ("R12.50", "ZAR1,234.50",
/// "12,50 €") into minor units. The last `.` or `,` followed by exactly the
/// currency's number of decimals is the decimal mark; other marks group
/// thousands. `None` when there are no digits.
pub fn parse_price(shown: &str, currency: &str) -> Option<i64> {
    let places = money::decimals(currency) as usize;
    let kept: String = shown
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let kept = kept.trim_matches(|c| c == '.' || c == ',');
    let (whole, part) = match kept.rfind(['.', ',']) {
        Some(at) if places > 0 && kept.len() - at - 1 == places => (&kept[..at], &kept[at + 1..]),
        _ => (kept, ""),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if whole.is_empty() && part.is_empty() {
        return None;
    }
    money::minor_units(&whole, part, places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_both_ways() {
        assert_eq!(price(1250, "ZAR"), "12.50 ZAR");
        assert_eq!(price(500, "JPY"), "500 JPY");
        assert_eq!(parse_price("R12.50", "ZAR"), Some(1250));
        assert_eq!(parse_price("ZAR1,234.50", "ZAR"), Some(123_450));
        assert_eq!(parse_price("12,50 €", "EUR"), Some(1250));
        assert_eq!(parse_price("$1,234", "USD"), Some(123_400));
        assert_eq!(parse_price("¥1,200", "JPY"), Some(1200));
        assert_eq!(parse_price("free", "ZAR"), None);
    }

    #[test]
    fn availability_follows_the_count() {
        assert_eq!(availability(0), "out of stock");
        assert_eq!(availability(3), "in stock");
        assert_eq!(SyncStatus::Failed.to_string(), "failed");
        assert_eq!("done".parse::<SyncStatus>(), Ok(SyncStatus::Done));
    }
}
