//! Typed settings, read once from the environment and validated at start-up.
//!
//! A bad value stops the process with one line naming the variable, so a typo in
//! `render.yaml` fails the deploy instead of misbehaving later.

use std::{collections::HashMap, fmt, net::IpAddr, time::Duration};

use crate::storage::SqliteSync;

/// A secret string whose `Debug` never prints the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A configuration problem, naming the variable at fault.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// Everything backroom needs to run, already parsed and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub host: IpAddr,
    pub port: u16,
    pub database_url: String,
    pub sqlite_sync: SqliteSync,
    pub whatsapp: WhatsAppSettings,
    /// Numbers (digits only) made staff at start-up.
    pub staff_phones: Vec<String>,
    /// Numbers made owners at start-up: staff who also get alerts.
    pub owner_phones: Vec<String>,
    pub shop: ShopSettings,
    pub api: ApiSettings,
    pub webhooks: WebhookSettings,
    pub sender: SenderSettings,
    pub llm: LlmSettings,
    /// Largest webhook body accepted; Meta documents payloads up to 3 MB.
    pub max_webhook_body: usize,
    /// How many inbox messages one processing transaction takes.
    pub process_batch: usize,
    /// How long claimed work stays with a worker before another may take it
    /// (after a crash on PostgreSQL; SQLite releases leases at start-up).
    pub worker_lease: Duration,
    pub log_format: LogFormat,
    /// False runs an HTTP-only replica: it stores webhooks, others process them.
    pub run_workers: bool,
}

#[derive(Debug, Clone)]
pub struct WhatsAppSettings {
    pub verify_token: Option<Secret>,
    pub app_secret: Option<Secret>,
    pub access_token: Option<Secret>,
    pub phone_number_id: Option<String>,
    pub business_account_id: Option<String>,
    pub graph_api_base: String,
    pub templates: Templates,
}

/// Approved templates for messages the shop starts outside the 24-hour window.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub alert: Option<TemplateRef>,
    pub order_update: Option<TemplateRef>,
    pub login_code: Option<TemplateRef>,
}

/// `name` or `name:language` (default `en_US`), as approved in WhatsApp Manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    pub name: String,
    pub language: String,
}

impl WhatsAppSettings {
    /// Without an access token replies are stored but never sent.
    pub fn sandbox(&self) -> bool {
        self.access_token.is_none()
    }
}

/// Delivery of events to subscriber URLs.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Delay before each attempt: the first is usually 0 (at once).
    pub retry_schedule: Vec<Duration>,
    pub timeout: Duration,
    /// A subscription failing this long is disabled and owners are told.
    pub disable_after: Duration,
    pub retention: Duration,
    pub allow_http: bool,
    pub allow_private: bool,
    /// Requests in flight at once, and at most this many per subscription.
    pub concurrency: usize,
    pub per_subscription: usize,
}

/// Limits of the developer API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Requests each token may make per minute.
    pub rate_limit_per_minute: u32,
    pub max_body_bytes: usize,
    /// Browser origins allowed to call the API; empty keeps CORS off.
    pub cors_origins: Vec<String>,
}

/// How the bot treats the shop's people and stock.
#[derive(Debug, Clone)]
pub struct ShopSettings {
    /// Low-stock threshold for items without their own; 0 turns alerts off.
    pub default_low_stock_threshold: i64,
    /// Whether customers are told how many are in stock, or only whether.
    pub show_stock_counts: bool,
    /// How long after a change its author may still undo it.
    pub undo_window: Duration,
    /// Mark each processed message as read (blue ticks).
    pub mark_as_read: bool,
    /// The shop's time zone (IANA name), for times people read.
    pub time_zone: String,
    /// When owners get the daily stock summary (local time); `None` = never.
    pub summary_at: Option<jiff::civil::Time>,
}

impl Default for ShopSettings {
    fn default() -> Self {
        Self {
            default_low_stock_threshold: 5,
            show_stock_counts: false,
            undo_window: Duration::from_secs(900),
            mark_as_read: false,
            time_zone: "UTC".into(),
            summary_at: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SenderSettings {
    /// Requests to the Graph API in flight at once.
    pub concurrency: usize,
    /// Attempts before a transient failure becomes permanent.
    pub max_attempts: u32,
    /// First retry delay; later ones double, with jitter.
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub request_timeout: Duration,
    /// Messages per second sent from one business number.
    pub rate_per_number: u32,
    /// Messages one user may get at once, then one per `recipient_every`
    /// (WhatsApp's pair limit, 131056).
    pub recipient_burst: u32,
    pub recipient_every: Duration,
}

/// Which LLM reads messages, if any; the rule parser always stands behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LlmProvider {
    None,
    Gemini {
        api_key: Secret,
        model: String,
        base: String,
    },
    /// Any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp, OpenRouter.
    OpenAi {
        api_key: Option<Secret>,
        model: String,
        base: String,
        transcribe_model: String,
    },
}

#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub provider: LlmProvider,
    /// No answer within this falls back to the rule parser.
    pub timeout: Duration,
}

impl SenderSettings {
    /// How long a claimed message stays with its sender: the request and the
    /// recording of its outcome, with room to spare.
    pub fn lease(&self) -> Duration {
        self.request_timeout + Duration::from_secs(5)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    /// Reads the process environment (after `.env`, if present, was loaded).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_map(&std::env::vars().collect())
    }

    /// Reads settings from any map of variables, which keeps tests off the process env.
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        Self::read(&Env::new(vars))
    }

    fn read(env: &Env<'_>) -> Result<Self, ConfigError> {
        let whatsapp = WhatsAppSettings {
            verify_token: env.secret("WHATSAPP_VERIFY_TOKEN"),
            app_secret: env.secret("WHATSAPP_APP_SECRET"),
            access_token: env.secret("WHATSAPP_ACCESS_TOKEN"),
            phone_number_id: env.digits("WHATSAPP_PHONE_NUMBER_ID")?,
            business_account_id: env.digits("WHATSAPP_BUSINESS_ACCOUNT_ID")?,
            graph_api_base: env.url("GRAPH_API_BASE", "https://graph.facebook.com/v21.0")?,
            templates: Templates {
                alert: env.template("TEMPLATE_ALERT")?,
                order_update: env.template("TEMPLATE_ORDER_UPDATE")?,
                login_code: env.template("TEMPLATE_LOGIN_CODE")?,
            },
        };
        Ok(Settings {
            host: env.parse("HOST", "0.0.0.0".parse().expect("valid literal"))?,
            port: env.parse("PORT", 8080)?,
            database_url: database_url(env.get("DATABASE_URL"))?,
            sqlite_sync: match env.get("SQLITE_SYNCHRONOUS").unwrap_or("normal") {
                "normal" => SqliteSync::Normal,
                "full" => SqliteSync::Full,
                other => {
                    return Err(bad(
                        "SQLITE_SYNCHRONOUS",
                        format!("{other:?} is not normal or full"),
                    ));
                }
            },
            whatsapp,
            staff_phones: env.phone_list("STAFF_PHONES")?,
            owner_phones: env.phone_list("OWNER_PHONES")?,
            shop: ShopSettings {
                default_low_stock_threshold: env.bounded(
                    "DEFAULT_LOW_STOCK_THRESHOLD",
                    5,
                    0,
                    1_000_000,
                )?,
                show_stock_counts: env.flag("SHOW_STOCK_COUNTS", false)?,
                undo_window: Duration::from_secs(env.bounded(
                    "UNDO_WINDOW_SECS",
                    900,
                    1,
                    604_800,
                )?),
                mark_as_read: env.flag("MARK_AS_READ", false)?,
                summary_at: match env.get("SUMMARY_AT").filter(|v| !v.is_empty()) {
                    None => None,
                    Some(v) => Some(v.parse::<jiff::civil::Time>().map_err(|_| {
                        bad(
                            "SUMMARY_AT",
                            format!("{v:?} is not a time of day such as 18:00"),
                        )
                    })?),
                },
                time_zone: match env.get("TZ").unwrap_or("UTC") {
                    tz if jiff::tz::TimeZone::get(tz).is_ok() => tz.to_string(),
                    tz => {
                        return Err(bad(
                            "TZ",
                            format!("{tz:?} is not a time zone such as Africa/Johannesburg"),
                        ));
                    }
                },
            },
            webhooks: WebhookSettings {
                retry_schedule: schedule(env.get("WEBHOOK_RETRY_SCHEDULE"))?,
                timeout: Duration::from_millis(env.bounded(
                    "WEBHOOK_TIMEOUT_MS",
                    15_000,
                    100,
                    120_000,
                )?),
                disable_after: Duration::from_secs(env.bounded(
                    "WEBHOOK_DISABLE_AFTER_SECS",
                    432_000,
                    1,
                    31_536_000,
                )?),
                retention: Duration::from_secs(
                    86_400 * env.bounded("WEBHOOK_RETENTION_DAYS", 30, 1, 3650)?,
                ),
                allow_http: env.flag("ALLOW_HTTP_WEBHOOKS", false)?,
                allow_private: env.flag("ALLOW_PRIVATE_WEBHOOKS", false)?,
                concurrency: env.bounded("WEBHOOK_CONCURRENCY", 256, 1, 4096)?,
                per_subscription: env.bounded("WEBHOOK_PER_SUBSCRIPTION", 64, 1, 4096)?,
            },
            api: ApiSettings {
                rate_limit_per_minute: env.bounded(
                    "API_RATE_LIMIT_PER_MINUTE",
                    600,
                    1,
                    1_000_000,
                )?,
                max_body_bytes: env.bounded("API_MAX_BODY_BYTES", 65_536, 1024, 16 << 20)?,
                cors_origins: origins(env.get("CORS_ALLOWED_ORIGINS"))?,
            },
            sender: SenderSettings {
                concurrency: env.bounded("SENDER_CONCURRENCY", 128, 1, 1024)?,
                max_attempts: env.bounded("SENDER_MAX_ATTEMPTS", 8, 1, 100)?,
                retry_base: Duration::from_millis(env.bounded(
                    "SENDER_RETRY_BASE_MS",
                    1000,
                    1,
                    3_600_000,
                )?),
                retry_max: Duration::from_millis(env.bounded(
                    "SENDER_RETRY_MAX_MS",
                    300_000,
                    1,
                    86_400_000,
                )?),
                request_timeout: Duration::from_millis(env.bounded(
                    "GRAPH_TIMEOUT_MS",
                    10_000,
                    100,
                    120_000,
                )?),
                rate_per_number: env.bounded("WHATSAPP_SEND_RATE", 80, 1, 1_000_000)?,
                recipient_burst: env.bounded("WHATSAPP_RECIPIENT_BURST", 20, 1, 1_000_000)?,
                recipient_every: Duration::from_millis(env.bounded(
                    "WHATSAPP_RECIPIENT_INTERVAL_MS",
                    6000,
                    1,
                    3_600_000,
                )?),
            },
            llm: LlmSettings {
                provider: llm_provider(env)?,
                timeout: Duration::from_millis(env.bounded("LLM_TIMEOUT_MS", 2500, 100, 60_000)?),
            },
            max_webhook_body: env.bounded("WEBHOOK_MAX_BODY_BYTES", 4 << 20, 1024, 64 << 20)?,
            process_batch: env.bounded("PROCESS_BATCH", 128, 1, 4096)?,
            worker_lease: Duration::from_secs(env.bounded("WORKER_LEASE_SECS", 30, 1, 3600)?),
            log_format: match env.get("LOG_FORMAT").unwrap_or("text") {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                other => return Err(bad("LOG_FORMAT", format!("{other:?} is not text or json"))),
            },
            run_workers: env.flag("RUN_WORKERS", true)?,
        })
    }
}

fn llm_provider(env: &Env<'_>) -> Result<LlmProvider, ConfigError> {
    match env.get("LLM_PROVIDER").unwrap_or("none") {
        "none" => {
            // Read so `.env.example` is checked against them even when unused.
            for var in [
                "GEMINI_API_KEY",
                "GEMINI_MODEL",
                "GEMINI_API_BASE",
                "OPENAI_API_KEY",
                "OPENAI_MODEL",
                "OPENAI_BASE_URL",
                "OPENAI_TRANSCRIBE_MODEL",
            ] {
                env.get(var);
            }
            Ok(LlmProvider::None)
        }
        "gemini" => Ok(LlmProvider::Gemini {
            api_key: env
                .secret("GEMINI_API_KEY")
                .ok_or_else(|| bad("GEMINI_API_KEY", "is required when LLM_PROVIDER=gemini"))?,
            model: env
                .get("GEMINI_MODEL")
                .unwrap_or("gemini-2.5-flash")
                .to_string(),
            base: env.url(
                "GEMINI_API_BASE",
                "https://generativelanguage.googleapis.com/v1beta",
            )?,
        }),
        "openai" => Ok(LlmProvider::OpenAi {
            api_key: env.secret("OPENAI_API_KEY"),
            model: env.get("OPENAI_MODEL").unwrap_or("gpt-4o-mini").to_string(),
            base: env.url("OPENAI_BASE_URL", "https://api.openai.com/v1")?,
            transcribe_model: env
                .get("OPENAI_TRANSCRIBE_MODEL")
                .unwrap_or("whisper-1")
                .to_string(),
        }),
        other => Err(bad(
            "LLM_PROVIDER",
            format!("{other:?} is not gemini, openai or none"),
        )),
    }
}

/// Normalises `DATABASE_URL`: SQLite files are created when missing.
fn database_url(raw: Option<&str>) -> Result<String, ConfigError> {
    let raw = raw.unwrap_or("sqlite://backroom.db");
    if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        url::Url::parse(raw).map_err(|e| bad("DATABASE_URL", e.to_string()))?;
        return Ok(raw.to_string());
    }
    let Some(rest) = raw.strip_prefix("sqlite:") else {
        return Err(bad(
            "DATABASE_URL",
            "must start with sqlite:, postgres:// or postgresql://",
        ));
    };
    let path = rest.trim_start_matches("//");
    if path.is_empty() {
        return Err(bad("DATABASE_URL", "the SQLite file name is empty"));
    }
    if path.contains("mode=") {
        return Ok(format!("sqlite://{path}"));
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    Ok(format!("sqlite://{path}{sep}mode=rwc"))
}

struct Env<'a> {
    vars: &'a HashMap<String, String>,
    /// Every variable looked at, so a test can check `.env.example` lists them all.
    read: std::cell::RefCell<std::collections::BTreeSet<&'static str>>,
}

impl<'a> Env<'a> {
    fn new(vars: &'a HashMap<String, String>) -> Self {
        Self {
            vars,
            read: Default::default(),
        }
    }

    fn get(&self, var: &'static str) -> Option<&str> {
        self.read.borrow_mut().insert(var);
        self.vars
            .get(var)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn secret(&self, var: &'static str) -> Option<Secret> {
        self.get(var).map(Secret::new)
    }

    fn parse<T: std::str::FromStr>(&self, var: &'static str, default: T) -> Result<T, ConfigError>
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

    fn bounded<T>(&self, var: &'static str, default: T, min: T, max: T) -> Result<T, ConfigError>
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

    fn flag(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(var).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(v) => Err(bad(var, format!("{v:?} is not true or false"))),
        }
    }

    fn digits(&self, var: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(var) {
            None => Ok(None),
            Some(v) if v.bytes().all(|b| b.is_ascii_digit()) && v.len() <= 32 => {
                Ok(Some(v.to_string()))
            }
            Some(v) => Err(bad(var, format!("{v:?} must be digits only"))),
        }
    }

    fn template(&self, var: &'static str) -> Result<Option<TemplateRef>, ConfigError> {
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

    fn url(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
        let v = self.get(var).unwrap_or(default);
        let parsed = url::Url::parse(v).map_err(|e| bad(var, format!("{v:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(var, "must be an http:// or https:// URL"));
        }
        Ok(v.trim_end_matches('/').to_string())
    }

    fn phone_list(&self, var: &'static str) -> Result<Vec<String>, ConfigError> {
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
fn schedule(raw: Option<&str>) -> Result<Vec<Duration>, ConfigError> {
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
fn origins(raw: Option<&str>) -> Result<Vec<String>, ConfigError> {
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

/// Digits only, as WhatsApp writes `wa_id`: "+27 82-555 0101" → "27825550101".
pub fn normalise_phone(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'))
        .collect();
    let ok = (6..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_map(&map)
    }

    #[test]
    fn defaults_are_a_sandbox_on_sqlite() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.port, 8080);
        assert_eq!(s.database_url, "sqlite://backroom.db?mode=rwc");
        assert!(s.whatsapp.sandbox());
        assert_eq!(
            s.whatsapp.graph_api_base,
            "https://graph.facebook.com/v21.0"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = settings(&[("PORT", "eighty")]).unwrap_err();
        assert_eq!(err.var, "PORT");
        let err = settings(&[("STAFF_PHONES", "27825550101, call me")]).unwrap_err();
        assert_eq!(err.var, "STAFF_PHONES");
        let err = settings(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        let err = settings(&[("GRAPH_API_BASE", "ftp://x")]).unwrap_err();
        assert_eq!(err.var, "GRAPH_API_BASE");
        let err = settings(&[("WHATSAPP_PHONE_NUMBER_ID", "10600x")]).unwrap_err();
        assert_eq!(err.var, "WHATSAPP_PHONE_NUMBER_ID");
        let err = settings(&[("LLM_PROVIDER", "gemini")]).unwrap_err();
        assert_eq!(err.var, "GEMINI_API_KEY");
        let err = settings(&[("LLM_PROVIDER", "claude")]).unwrap_err();
        assert_eq!(err.var, "LLM_PROVIDER");
    }

    #[test]
    fn staff_phones_are_normalised() {
        let s = settings(&[("STAFF_PHONES", "+27 82 555 0101, 15555550123")]).unwrap();
        assert_eq!(s.staff_phones, ["27825550101", "15555550123"]);
        let s = settings(&[
            ("OWNER_PHONES", "+1 555 555 0199"),
            ("MARK_AS_READ", "true"),
        ])
        .unwrap();
        assert_eq!(s.owner_phones, ["15555550199"]);
        assert!(s.shop.mark_as_read);
        let err = settings(&[("DEFAULT_LOW_STOCK_THRESHOLD", "-1")]).unwrap_err();
        assert_eq!(err.var, "DEFAULT_LOW_STOCK_THRESHOLD");
    }

    #[test]
    fn sqlite_urls_create_missing_files() {
        assert_eq!(
            database_url(Some("sqlite:data/shop.db")).unwrap(),
            "sqlite://data/shop.db?mode=rwc"
        );
        assert_eq!(
            database_url(Some("sqlite://shop.db?mode=ro")).unwrap(),
            "sqlite://shop.db?mode=ro"
        );
    }

    #[test]
    fn env_example_is_valid_and_complete() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.env.example");
        let example: HashMap<String, String> = dotenvy::from_path_iter(path)
            .unwrap()
            .map(|kv| kv.unwrap())
            .collect();
        let env = Env::new(&example);
        Settings::read(&env).expect(".env.example holds valid values");
        let documented: std::collections::BTreeSet<&str> = example
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "RUST_LOG")
            .collect();
        let read: std::collections::BTreeSet<&str> = env.read.borrow().iter().copied().collect();
        assert_eq!(documented, read, ".env.example and the settings disagree");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = settings(&[("WHATSAPP_ACCESS_TOKEN", "EAAGm0PX4ZCps")]).unwrap();
        assert!(!format!("{s:?}").contains("EAAGm0PX4ZCps"));
    }
}
