//! Reading `Settings` from the environment's variables.

use std::{collections::HashMap, time::Duration};

use super::{
    env::{Env, origins, schedule},
    *,
};

impl Settings {
    /// Reads the process environment (after `.env`, if present, was loaded).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_map(&std::env::vars().collect())
    }

    /// Reads settings from any map of variables, which keeps tests off the process env.
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        Self::read(&Env::new(vars))
    }

    pub(super) fn read(env: &Env<'_>) -> Result<Self, ConfigError> {
        let whatsapp = WhatsAppSettings {
            verify_token: env.secret("WHATSAPP_VERIFY_TOKEN"),
            app_secret: env.secret("WHATSAPP_APP_SECRET"),
            access_token: env.secret("WHATSAPP_ACCESS_TOKEN"),
            phone_number_id: env.digits("WHATSAPP_PHONE_NUMBER_ID")?,
            numbers: env.numbers("WHATSAPP_NUMBERS")?,
            business_account_id: env.digits("WHATSAPP_BUSINESS_ACCOUNT_ID")?,
            graph_api_base: env.url("GRAPH_API_BASE", "https://graph.facebook.com/v21.0")?,
            templates: Templates {
                alert: env.template("TEMPLATE_ALERT")?,
                order_update: env.template("TEMPLATE_ORDER_UPDATE")?,
                login_code: env.template("TEMPLATE_LOGIN_CODE")?,
                back_in_stock: env.template("TEMPLATE_BACK_IN_STOCK")?,
                purchase_order: env.template("TEMPLATE_PURCHASE_ORDER")?,
            },
        };
        Settings {
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
                name: match env.get("SHOP_NAME").filter(|v| !v.is_empty()) {
                    None => None,
                    Some(v) => Some(
                        prefs::Pref::Name
                            .check(v)
                            .map_err(|e| bad("SHOP_NAME", e))?,
                    ),
                },
                currency: match env.get("SHOP_CURRENCY").filter(|v| !v.is_empty()) {
                    None => None,
                    Some(v) => Some(
                        prefs::Pref::Currency
                            .check(v)
                            .map_err(|e| bad("SHOP_CURRENCY", e))?,
                    ),
                },
                pinned: prefs::Pref::ALL
                    .into_iter()
                    .filter(|p| env.get(p.env()).is_some_and(|v| !v.is_empty()))
                    .collect(),
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
                in_doubt: Duration::from_secs(env.bounded(
                    "SENDER_IN_DOUBT_SECS",
                    60,
                    1,
                    86_400,
                )?),
            },
            llm: LlmSettings {
                provider: llm_provider(env)?,
                timeout: Duration::from_millis(env.bounded("LLM_TIMEOUT_MS", 2500, 100, 60_000)?),
            },
            catalog: CatalogSettings {
                id: env.digits("WHATSAPP_CATALOG_ID")?,
                delay: Duration::from_millis(env.bounded(
                    "CATALOG_SYNC_DELAY_MS",
                    3000,
                    1,
                    3_600_000,
                )?),
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
            secrets_key: match env.get("SECRETS_KEY") {
                None => None,
                Some(v) => Some(crate::secrets::Keys::parse(v).map_err(|e| bad("SECRETS_KEY", e))?),
            },
            trusted_proxy_hops: env.bounded("TRUSTED_PROXY_HOPS", 0, 0, 10)?,
            max_connections: env.bounded("HTTP_MAX_CONNECTIONS", 1024, 4, 1_000_000)?,
            header_timeout: Duration::from_millis(env.bounded(
                "HTTP_HEADER_TIMEOUT_MS",
                10_000,
                100,
                300_000,
            )?),
        }
        .fail_closed()
    }

    /// Outside sandbox mode (an access token is set) backroom talks to real
    /// people: it refuses to start without what keeps that safe.
    fn fail_closed(self) -> Result<Self, ConfigError> {
        if self.whatsapp.sandbox() {
            return Ok(self);
        }
        let why = "is required when WHATSAPP_ACCESS_TOKEN is set";
        if self.whatsapp.app_secret.is_none() {
            return Err(bad(
                "WHATSAPP_APP_SECRET",
                format!("{why}: without it anyone could post messages as your customers and staff"),
            ));
        }
        if self.whatsapp.primary_number().is_none() {
            return Err(bad(
                "WHATSAPP_PHONE_NUMBER_ID",
                format!("{why}: it is the shop's number, and messages to others are ignored"),
            ));
        }
        if self.secrets_key.is_none() {
            return Err(bad(
                "SECRETS_KEY",
                format!(
                    "{why}: it encrypts webhook secrets at rest (make one with `openssl rand -base64 32`)"
                ),
            ));
        }
        Ok(self)
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
            json_mode(env)?;
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
            json_mode: json_mode(env)?,
        }),
        other => Err(bad(
            "LLM_PROVIDER",
            format!("{other:?} is not gemini, openai or none"),
        )),
    }
}

fn json_mode(env: &Env<'_>) -> Result<JsonMode, ConfigError> {
    match env.get("OPENAI_JSON_MODE").unwrap_or("auto") {
        "auto" => Ok(JsonMode::Auto),
        "json_schema" => Ok(JsonMode::JsonSchema),
        "json_object" => Ok(JsonMode::JsonObject),
        other => Err(bad(
            "OPENAI_JSON_MODE",
            format!("{other:?} is not auto, json_schema or json_object"),
        )),
    }
}

/// Normalises `DATABASE_URL`: SQLite files are created when missing.
pub(super) fn database_url(raw: Option<&str>) -> Result<String, ConfigError> {
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
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.is_empty() {
        return Err(bad("DATABASE_URL", "the SQLite file name is empty"));
    }
    if path.contains("mode=") {
        return Ok(format!("sqlite://{path}"));
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    Ok(format!("sqlite://{path}{sep}mode=rwc"))
}
