//! Typed reads of single variables, each failing with the variable's name.

use std::{collections::HashMap, fmt, time::Duration};

use super::{ConfigError, Secret, TemplateRef, bad, normalise_phone};

pub(super) struct Env<'a> {
    vars: &'a HashMap<String, String>,
    /// Every variable looked at, so a test can check `.env.example` lists them all.
    pub(super) read: std::cell::RefCell<std::collections::BTreeSet<&'static str>>,
}

impl<'a> Env<'a> {
    pub(super) fn new(vars: &'a HashMap<String, String>) -> Self {
        Self {
            vars,
            read: Default::default(),
        }
    }

    pub(super) fn get(&self, var: &'static str) -> Option<&str> {
        self.read.borrow_mut().insert(var);
        self.vars
            .get(var)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn secret(&self, var: &'static str) -> Option<Secret> {
        self.get(var).map(Secret::new)
    }

    pub(super) fn parse<T: std::str::FromStr>(
        &self,
        var: &'static str,
        default: T,
    ) -> Result<T, ConfigError>
    where
        T::Err: fmt::Display,
    {
        match self.get(var) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|e| bad(var, format!("{v:?} is not valid: {e}"))),
        }
    }

    pub(super) fn bounded<T>(
        &self,
        var: &'static str,
        default: T,
        min: T,
        max: T,
    ) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
        T::Err: fmt::Display,
    {
        let v = self.parse(var, default)?;
        if v < min || v > max {
            return Err(bad(var, format!("{v} is outside {min}..={max}")));
        }
        Ok(v)
    }

    pub(super) fn flag(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(var).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(v) => Err(bad(var, format!("{v:?} is not true or false"))),
        }
    }

    pub(super) fn digits(&self, var: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(var) {
            None => Ok(None),
            Some(v) if v.bytes().all(|b| b.is_ascii_digit()) && v.len() <= 32 => {
                Ok(Some(v.to_string()))
            }
            Some(v) => Err(bad(var, format!("{v:?} must be digits only"))),
        }
    }

    pub(super) fn template(&self, var: &'static str) -> Result<Option<TemplateRef>, ConfigError> {
        let Some(v) = self.get(var) else {
            return Ok(None);
        };
        let (name, language) = v.split_once(':').unwrap_or((v, "en_US"));
        let name_ok = !name.is_empty()
            && name.len() <= 512
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let lang_ok = (2..=15).contains(&language.len())
            && language
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_');
        if !name_ok || !lang_ok {
            return Err(bad(
                var,
                format!("{v:?} must be template_name or template_name:language"),
            ));
        }
        Ok(Some(TemplateRef {
            name: name.to_string(),
            language: language.to_string(),
        }))
    }

    pub(super) fn url(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
        let v = self.get(var).unwrap_or(default);
        // The value is not echoed: a URL may carry a password.
        let parsed = url::Url::parse(v).map_err(|e| bad(var, format!("not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(var, "must be an http:// or https:// URL"));
        }
        Ok(v.trim_end_matches('/').to_string())
    }

    /// `WHATSAPP_NUMBERS`: `phone_number_id=Location name` pairs, comma
    /// separated; ids digits only, names unique (ignoring case) and short.
    pub(super) fn numbers(&self, var: &'static str) -> Result<Vec<(String, String)>, ConfigError> {
        let mut out: Vec<(String, String)> = Vec::new();
        for part in self.get(var).unwrap_or_default().split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((id, name)) = part.split_once('=') else {
                return Err(bad(
                    var,
                    format!("{part:?} must be phone_number_id=Location name"),
                ));
            };
            let (id, name) = (id.trim(), name.trim());
            if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(
                    var,
                    format!("{id:?} must be a phone number id (digits only)"),
                ));
            }
            if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
                return Err(bad(
                    var,
                    format!("{name:?} must be a location name of 1–60 characters"),
                ));
            }
            if out
                .iter()
                .any(|(i, n)| i == id || n.eq_ignore_ascii_case(name))
            {
                return Err(bad(
                    var,
                    format!("{part:?} repeats a number or a location name"),
                ));
            }
            out.push((id.to_string(), name.to_string()));
        }
        Ok(out)
    }

    pub(super) fn phone_list(&self, var: &'static str) -> Result<Vec<String>, ConfigError> {
        let Some(v) = self.get(var) else {
            return Ok(Vec::new());
        };
        v.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                normalise_phone(p).ok_or_else(|| bad(var, format!("{p:?} is not a phone number")))
            })
            .collect()
    }
}

/// "0,5,300" → at once, then after 5 s, then after 5 min.
pub(super) fn schedule(raw: Option<&str>) -> Result<Vec<Duration>, ConfigError> {
    let raw = raw.unwrap_or("0,5,300,1800,7200,18000,36000,36000");
    let steps: Result<Vec<Duration>, _> = raw
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .map(|r| match r {
            Ok(secs) if (0.0..=604_800.0).contains(&secs) => Ok(Duration::from_secs_f64(secs)),
            _ => Err(()),
        })
        .collect();
    match steps {
        Ok(v) if !v.is_empty() && v.len() <= 50 => Ok(v),
        _ => Err(bad(
            "WEBHOOK_RETRY_SCHEDULE",
            format!("{raw:?} is not 1 to 50 comma-separated delays in seconds (0 to 604800)"),
        )),
    }
}

/// `https://shop.example,https://admin.example` → each origin, checked.
pub(super) fn origins(raw: Option<&str>) -> Result<Vec<String>, ConfigError> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let ok = (o.starts_with("https://") || o.starts_with("http://"))
                && url::Url::parse(o).is_ok()
                && !o.trim_end_matches('/').contains(['?', '#'])
                && axum::http::HeaderValue::from_str(o).is_ok();
            ok.then(|| o.trim_end_matches('/').to_string())
                .ok_or_else(|| {
                    bad(
                        "CORS_ALLOWED_ORIGINS",
                        format!("{o:?} is not an origin like https://shop.example"),
                    )
                })
        })
        .collect()
}
