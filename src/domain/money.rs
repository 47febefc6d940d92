//! Prices: stored as whole minor units (cents) with an ISO 4217 currency,
//! shown to people in the currency's own form.

/// Digits after the decimal point in the currency's minor unit.
pub fn decimals(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "RWF" | "PYG" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "ZAR" => "R",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "NGN" => "₦",
        "INR" => "₹",
        "KES" => "KSh ",
        "BRL" => "R$",
        "JPY" => "¥",
        _ => return None,
    })
}

/// `R 1,234.50`-style text for an amount in minor units: digits grouped in
/// thousands, the symbol where there is a well-known one, else the code.
pub fn format(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let unit = 10i64.pow(places);
    let sign = if minor < 0 { "-" } else { "" };
    let (whole, part) = (
        minor.unsigned_abs() / unit as u64,
        minor.unsigned_abs() % unit as u64,
    );
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let amount = if places == 0 {
        grouped
    } else {
        format!("{grouped}.{part:0width$}", width = places as usize)
    };
    match symbol(currency) {
        Some(s) => format!("{sign}{s}{amount}"),
        None => format!("{sign}{currency} {amount}"),
    }
}

/// The amount alone, as a person would type it back ("1234.50").
pub fn plain(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let unit = 10u64.pow(places);
    let (sign, abs) = (if minor < 0 { "-" } else { "" }, minor.unsigned_abs());
    match places {
        0 => format!("{sign}{abs}"),
        _ => format!(
            "{sign}{}.{:0w$}",
            abs / unit,
            abs % unit,
            w = places as usize
        ),
    }
}

/// Reads a price typed by a person ("12.50", "12", "1,200.5") into minor
/// units; `None` if it is not one.
pub fn parse(text: &str, currency: &str) -> Option<i64> {
    let places = decimals(currency) as usize;
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    let (whole, part) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && part.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !part.bytes().all(|b| b.is_ascii_digit())
        || part.len() > places
    {
        return None;
    }
    minor_units(whole, part, places)
}

/// Whole digits and decimal digits (at most `places` of them) as minor
/// units: `("12", "5", 2)` is 1250.
pub fn minor_units(whole: &str, part: &str, places: usize) -> Option<i64> {
    if part.len() > places {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let part: i64 = format!("{part:0<places$}").parse().unwrap_or(0);
    whole
        .checked_mul(10i64.pow(places as u32))?
        .checked_add(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(format(123_450, "ZAR"), "R1,234.50");
        assert_eq!(format(5, "USD"), "$0.05");
        assert_eq!(format(1500, "JPY"), "¥1,500");
        assert_eq!(format(-250, "CHF"), "-CHF 2.50");
        assert_eq!(format(100_000_000, "EUR"), "€1,000,000.00");
    }

    #[test]
    fn typed_prices_become_minor_units() {
        assert_eq!(parse("12.5", "ZAR"), Some(1250));
        assert_eq!(parse(&plain(123_405, "ZAR"), "ZAR"), Some(123_405));
        assert_eq!(plain(7, "KWD"), "0.007");
        assert_eq!(parse("1,200", "ZAR"), Some(120_000));
        assert_eq!(parse(".99", "USD"), Some(99));
        assert_eq!(parse("300", "JPY"), Some(300));
        assert_eq!(parse("1.234", "ZAR"), None);
        assert_eq!(parse("12a", "ZAR"), None);
        assert_eq!(parse("", "ZAR"), None);
        assert_eq!(parse("-3", "ZAR"), None);
    }
}
