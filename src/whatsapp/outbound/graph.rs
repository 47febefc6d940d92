//! The Graph API client and the reading of its answers.
//!
//! Graph reports most errors as HTTP 400 whatever the cause, so decisions rest
//! on `error.code`: throttling and outages are retried, everything else (a
//! closed 24-hour window, a bad token, a bad parameter) is final.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::Deserialize;

use crate::config::Secret;

/// What one request to `/{phone-number-id}/messages` came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphResult {
    Accepted {
        wamid: String,
        wa_id: Option<String>,
    },
    /// Succeeded without creating a message (a read receipt).
    Done,
    /// Worth another try later (network, 5xx, throttling).
    Transient {
        code: Option<i64>,
        message: String,
        retry_after: Option<Duration>,
    },
    /// Retrying cannot help.
    Permanent { code: Option<i64>, message: String },
}

#[derive(Debug, Clone)]
pub struct GraphClient {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) auth: HeaderValue,
}

impl GraphClient {
    pub fn new(base: &str, token: &Secret, timeout: Duration) -> Result<Self, reqwest::Error> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
        auth.set_sensitive(true);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(256)
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_string(),
            auth,
        })
    }

    /// POSTs a prepared message body.
    pub async fn send(&self, phone_number_id: &str, body: String) -> GraphResult {
        if phone_number_id.is_empty() || !phone_number_id.bytes().all(|b| b.is_ascii_digit()) {
            return GraphResult::Permanent {
                code: None,
                message: format!("no valid phone_number_id to send from ({phone_number_id:?})"),
            };
        }
        let url = format!("{}/{phone_number_id}/messages", self.base);
        let response = self
            .http
            .post(url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                return GraphResult::Transient {
                    code: None,
                    message: format!("request failed: {}", without_url(&e)),
                    retry_after: None,
                };
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.trim().parse().ok())
            .map(Duration::from_secs);
        match response.bytes().await {
            Ok(body) => classify(status, &body, retry_after),
            Err(e) => GraphResult::Transient {
                code: None,
                message: format!("reading the response failed: {}", without_url(&e)),
                retry_after: None,
            },
        }
    }
}

/// reqwest's errors embed the URL; ours holds no secret, but keep logs short.
pub(super) fn without_url(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    if let Some(url) = e.url() {
        msg = msg.replace(url.as_str(), "graph");
    }
    msg
}

#[derive(Deserialize)]
struct Success {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    contacts: Vec<SuccessContact>,
    #[serde(default)]
    messages: Vec<SuccessMessage>,
}

#[derive(Deserialize)]
struct SuccessContact {
    wa_id: Option<String>,
    user_id: Option<String>,
}

#[derive(Deserialize)]
struct SuccessMessage {
    id: String,
}

#[derive(Deserialize)]
struct Failure {
    error: FailureDetail,
}

#[derive(Deserialize)]
struct FailureDetail {
    code: Option<i64>,
    message: Option<String>,
    error_data: Option<ErrorData>,
}

#[derive(Deserialize)]
struct ErrorData {
    details: Option<String>,
}

/// Reads a Graph response into a result.
pub fn classify(status: u16, body: &[u8], retry_after: Option<Duration>) -> GraphResult {
    if (200..300).contains(&status) {
        return match serde_json::from_slice::<Success>(body) {
            Ok(ok) if !ok.messages.is_empty() => {
                let contact = ok.contacts.into_iter().next();
                GraphResult::Accepted {
                    wamid: ok.messages.into_iter().next().expect("non-empty").id,
                    wa_id: contact.and_then(|c| c.wa_id.or(c.user_id)),
                }
            }
            Ok(ok) if ok.success => GraphResult::Done,
            _ => GraphResult::Transient {
                code: None,
                message: format!("HTTP {status} without a message id"),
                retry_after,
            },
        };
    }
    let parsed = serde_json::from_slice::<Failure>(body).ok();
    let code = parsed.as_ref().and_then(|f| f.error.code);
    let message = match parsed {
        Some(Failure { error }) => {
            let mut m = error.message.unwrap_or_else(|| format!("HTTP {status}"));
            if let Some(details) = error.error_data.and_then(|d| d.details) {
                m = format!("{m}: {details}");
            }
            m
        }
        None => format!("HTTP {status}"),
    };
    let transient = match code {
        Some(c) => crate::domain::whatsapp::graph_code::is_transient(c),
        None => status >= 500 || status == 429 || status == 408,
    };
    if transient {
        GraphResult::Transient {
            code,
            message,
            retry_after,
        }
    } else {
        GraphResult::Permanent { code, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/fixtures/whatsapp/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn success_yields_the_wamid() {
        let r = classify(200, &fixture("send_success.json"), None);
        assert_eq!(
            r,
            GraphResult::Accepted {
                wamid: "wamid.HBgLMjc4MjU1NTAxMDEVAgARGBIxMjJDRTNDOENCQTU3MTg2QTkA".into(),
                wa_id: Some("27825550101".into())
            }
        );
    }

    #[test]
    fn throttling_and_outages_are_transient() {
        for (file, status) in [
            ("error_130429.json", 400),
            ("error_131056.json", 400),
            ("error_131000.json", 500),
            ("error_80007.json", 400),
        ] {
            assert!(
                matches!(
                    classify(status, &fixture(file), None),
                    GraphResult::Transient { .. }
                ),
                "{file}"
            );
        }
        assert!(matches!(
            classify(502, b"<html>bad gateway</html>", None),
            GraphResult::Transient { .. }
        ));
        assert!(matches!(
            classify(429, b"", None),
            GraphResult::Transient { .. }
        ));
    }

    #[test]
    fn window_token_and_parameter_errors_are_final() {
        for (file, status, code) in [
            ("error_131047.json", 400, 131047),
            ("error_190.json", 401, 190),
            ("error_100.json", 400, 100),
            ("error_131026.json", 400, 131026),
        ] {
            match classify(status, &fixture(file), None) {
                GraphResult::Permanent { code: Some(c), .. } => assert_eq!(c, code),
                other => panic!("{file}: {other:?}"),
            }
        }
    }
}
