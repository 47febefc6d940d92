//! Typed settings, read once from the environment and validated at start-up.
//!
//! A bad value stops the process with one line naming the variable, so a typo in
//! `render.yaml` fails the deploy instead of misbehaving later.

use std::{fmt, net::IpAddr, time::Duration};

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
    pub catalog: CatalogSettings,
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
    /// Keys that seal secrets at rest (`SECRETS_KEY`); required outside sandbox
    /// mode, generated and kept beside the database inside it.
    pub secrets_key: Option<crate::secrets::Keys>,
    /// How many proxies in front of backroom append to `X-Forwarded-For`; 0
    /// trusts only the socket's address.
    pub trusted_proxy_hops: usize,
    /// HTTP connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct WhatsAppSettings {
    pub verify_token: Option<Secret>,
    pub app_secret: Option<Secret>,
    pub access_token: Option<Secret>,
    pub phone_number_id: Option<String>,
    /// `WHATSAPP_NUMBERS`: each business number and the location it serves,
    /// in order; empty for a single-number shop.
    pub numbers: Vec<(String, String)>,
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
    /// To a customer who asked for an item while it was out of stock.
    pub back_in_stock: Option<TemplateRef>,
    /// To a supplier: a purchase order.
    pub purchase_order: Option<TemplateRef>,
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

    /// The number the shop's own messages go from: `WHATSAPP_PHONE_NUMBER_ID`,
    /// else the first of `WHATSAPP_NUMBERS`.
    pub fn primary_number(&self) -> Option<&str> {
        self.phone_number_id
            .as_deref()
            .or_else(|| self.numbers.first().map(|(id, _)| id.as_str()))
    }

    /// Every number whose notifications are the shop's; empty accepts any
    /// (sandbox without a configured number).
    pub fn accepted_numbers(&self) -> Vec<String> {
        let mut all: Vec<String> = self.numbers.iter().map(|(id, _)| id.clone()).collect();
        if let Some(id) = &self.phone_number_id
            && !all.contains(id)
        {
            all.push(id.clone());
        }
        all
    }
}

/// Keeping the WhatsApp catalogue in step with the stock.
#[derive(Debug, Clone)]
pub struct CatalogSettings {
    /// `WHATSAPP_CATALOG_ID`: the Commerce Manager catalogue; unset, nothing
    /// is recorded or sent.
    pub id: Option<String>,
    /// How long changes to an item gather before one update is sent.
    pub delay: Duration,
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
    /// `SHOP_NAME`, shown on the dashboard.
    pub name: Option<String>,
    /// `SHOP_CURRENCY`, the ISO code prices are in.
    pub currency: Option<String>,
    /// The settings the environment sets, which the dashboard cannot change.
    pub pinned: Vec<prefs::Pref>,
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
            name: None,
            currency: None,
            pinned: Vec::new(),
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
    /// How long a send cut off by a crash waits for Meta's status callback
    /// (which names it) before it is sent again.
    pub in_doubt: Duration,
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
        json_mode: JsonMode,
    },
}

/// How an OpenAI-compatible server is asked for JSON that fits the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonMode {
    /// `json_schema` first; once, on a server that rejects it, `json_object`
    /// with the schema (llama-cpp-python's form) from then on.
    Auto,
    /// `{"type": "json_schema", "json_schema": {…}}` (OpenAI, llama.cpp, vLLM).
    JsonSchema,
    /// `{"type": "json_object", "schema": {…}}` (llama-cpp-python's server).
    JsonObject,
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

/// Digits only, as WhatsApp writes `wa_id`: "+27 82-555 0101" → "27825550101".
pub fn normalise_phone(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'))
        .collect();
    let ok = (6..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(digits)
}

mod env;
pub mod prefs;
mod read;
#[cfg(test)]
mod tests;
