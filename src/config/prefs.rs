//! The shop's own settings, changeable from the dashboard while it runs:
//! name, currency, time zone and default alert level. Each comes from the
//! environment if set there (and then cannot be changed on the page), else
//! from the database, else a default. One shared handle, read per use.

use std::sync::{Arc, RwLock};

use super::ShopSettings;

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopPrefs {
    pub name: String,
    /// ISO 4217 code; prices are stored in its minor unit.
    pub currency: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Alert level for items without their own; 0 turns alerts off.
    pub default_threshold: i64,
}

/// One setting, as stored (`shop_settings.name`) and named in forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pref {
    Name,
    Currency,
    TimeZone,
    DefaultThreshold,
}

impl Pref {
    pub const ALL: [Pref; 4] = [
        Pref::Name,
        Pref::Currency,
        Pref::TimeZone,
        Pref::DefaultThreshold,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Pref::Name => "shop_name",
            Pref::Currency => "currency",
            Pref::TimeZone => "time_zone",
            Pref::DefaultThreshold => "default_threshold",
        }
    }

    /// The environment variable that pins it.
    pub fn env(self) -> &'static str {
        match self {
            Pref::Name => "SHOP_NAME",
            Pref::Currency => "SHOP_CURRENCY",
            Pref::TimeZone => "TZ",
            Pref::DefaultThreshold => "DEFAULT_LOW_STOCK_THRESHOLD",
        }
    }

    /// Checks and tidies a value given for this setting.
    pub fn check(self, value: &str) -> Result<String, String> {
        let v = value.trim();
        match self {
            Pref::Name if v.is_empty() || v.chars().count() > 60 => {
                Err("must be 1 to 60 characters".into())
            }
            Pref::Name if v.chars().any(char::is_control) => {
                Err("must not hold control characters".into())
            }
            Pref::Name => Ok(v.to_string()),
            Pref::Currency => currency(v)
                .map(str::to_string)
                .ok_or_else(|| "must be a three-letter currency code such as ZAR".into()),
            Pref::TimeZone if jiff::tz::TimeZone::get(v).is_ok() => Ok(v.to_string()),
            Pref::TimeZone => Err("must be a time zone such as Africa/Johannesburg".into()),
            Pref::DefaultThreshold => v
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=1_000_000).contains(n))
                .map(|n| n.to_string())
                .ok_or_else(|| "must be a whole number from 0 to 1000000".into()),
        }
    }
}

/// An ISO 4217-shaped code, upper-cased.
fn currency(v: &str) -> Option<&str> {
    (v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase())).then_some(v)
}

/// The shared handle.
#[derive(Debug, Clone)]
pub struct Prefs {
    now: Arc<RwLock<ShopPrefs>>,
    defaults: ShopPrefs,
    pinned: Vec<Pref>,
}

impl Prefs {
    /// From the configuration alone; `stored` values are laid over it later.
    pub fn new(shop: &ShopSettings) -> Self {
        let defaults = ShopPrefs {
            name: shop.name.clone().unwrap_or_else(|| "My shop".into()),
            currency: shop.currency.clone().unwrap_or_else(|| "ZAR".into()),
            time_zone: shop.time_zone.clone(),
            default_threshold: shop.default_low_stock_threshold,
        };
        Self {
            now: Arc::new(RwLock::new(defaults.clone())),
            defaults,
            pinned: shop.pinned.clone(),
        }
    }

    pub fn get(&self) -> ShopPrefs {
        self.now.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn threshold(&self) -> i64 {
        self.now
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .default_threshold
    }

    /// Whether the environment sets this one.
    pub fn pinned(&self, pref: Pref) -> bool {
        self.pinned.contains(&pref)
    }

    /// Lays stored values over the defaults; pinned or unreadable ones are
    /// skipped. `fallback_currency` (the catalogue's) stands in for an unset one.
    pub fn apply(&self, stored: &[(String, String)], fallback_currency: Option<&str>) {
        let mut next = self.defaults.clone();
        if !self.pinned(Pref::Currency)
            && let Some(c) = fallback_currency.and_then(currency)
        {
            next.currency = c.to_string();
        }
        for pref in Pref::ALL {
            if self.pinned(pref) {
                continue;
            }
            let Some(Ok(v)) = stored
                .iter()
                .find(|(k, _)| k == pref.key())
                .map(|(_, v)| pref.check(v))
            else {
                continue;
            };
            match pref {
                Pref::Name => next.name = v,
                Pref::Currency => next.currency = v,
                Pref::TimeZone => next.time_zone = v,
                Pref::DefaultThreshold => next.default_threshold = v.parse().unwrap_or(0),
            }
        }
        *self.now.write().unwrap_or_else(|e| e.into_inner()) = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn stored_values_apply_unless_the_environment_pins_them() {
        let shop = ShopSettings {
            pinned: vec![Pref::TimeZone],
            time_zone: "Europe/Paris".into(),
            ..ShopSettings::default()
        };
        let prefs = Prefs::new(&shop);
        prefs.apply(
            &stored(&[
                ("shop_name", "Hardware Hut"),
                ("time_zone", "Africa/Johannesburg"),
                ("default_threshold", "12"),
            ]),
            Some("KES"),
        );
        let now = prefs.get();
        assert_eq!(now.name, "Hardware Hut");
        assert_eq!(now.time_zone, "Europe/Paris");
        assert_eq!(now.default_threshold, 12);
        assert_eq!(now.currency, "KES");
        assert!(prefs.pinned(Pref::TimeZone) && !prefs.pinned(Pref::Name));
    }

    #[test]
    fn bad_stored_values_are_ignored_and_checks_explain() {
        let prefs = Prefs::new(&ShopSettings::default());
        prefs.apply(
            &stored(&[("currency", "rand"), ("default_threshold", "-3")]),
            None,
        );
        assert_eq!(prefs.get().currency, "ZAR");
        assert_eq!(prefs.threshold(), 5);
        assert!(Pref::Currency.check("zar").is_err());
        assert_eq!(Pref::Currency.check(" USD ").as_deref(), Ok("USD"));
        assert!(Pref::TimeZone.check("Mars/Olympus").is_err());
        assert!(Pref::Name.check("").is_err());
    }
}
