//! Meta's webhook notification, read leniently.
//!
//! Only JSON that does not parse at all is an error. Everything else Meta may send
//! — other `object`s, other `field`s, message types we do not know, fields added
//! next year — is accepted and either stored or skipped, because anything but a
//! 200 makes Meta retry for a week. Each message keeps its raw JSON exactly as
//! Meta escaped it.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

/// What one POST carried, flattened over every entry × change.
#[derive(Debug, Default, PartialEq)]
pub struct Notification {
    pub messages: Vec<InboundMessage>,
    pub statuses: Vec<StatusUpdate>,
    /// Changes or items we did not understand and skipped.
    pub skipped: usize,
}

pub use crate::domain::message::{InboundMessage, StatusUpdate};

/// What we send as `biz_opaque_callback_data`, and read back from callbacks.
pub use crate::domain::whatsapp::OPAQUE_PREFIX;

impl Notification {
    /// Keeps only what was sent to or from `numbers` (the shop's phone number
    /// ids) and returns how many messages and statuses were dropped: a
    /// notification for another number is acknowledged, never applied.
    pub fn keep_numbers(&mut self, numbers: &[String]) -> usize {
        let before = self.messages.len() + self.statuses.len();
        self.messages
            .retain(|m| numbers.contains(&m.phone_number_id));
        self.statuses
            .retain(|s| numbers.contains(&s.phone_number_id));
        before - self.messages.len() - self.statuses.len()
    }
}

/// The body is not JSON at all.
#[derive(Debug, thiserror::Error)]
#[error("malformed JSON: {0}")]
pub struct Malformed(String);

#[derive(Deserialize)]
struct Top<'a> {
    object: Option<Cow<'a, str>>,
    #[serde(borrow)]
    entry: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    changes: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Change<'a> {
    field: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Value<'a> {
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(borrow, default)]
    messages: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    statuses: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Metadata {
    phone_number_id: Option<String>,
}

#[derive(Deserialize)]
struct Contact {
    wa_id: Option<String>,
    user_id: Option<String>,
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    id: Option<String>,
    from: Option<String>,
    from_user_id: Option<String>,
    timestamp: Option<Seconds>,
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<Body>,
    image: Option<Caption>,
    video: Option<Caption>,
    document: Option<Caption>,
    interactive: Option<Interactive>,
    button: Option<Button>,
}

/// Meta sends unix seconds as a string; a bare number is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Text(String),
    Number(i64),
}

impl Seconds {
    fn value(opt: Option<Self>) -> i64 {
        match opt {
            Some(Seconds::Text(t)) => t.trim().parse().unwrap_or(0),
            Some(Seconds::Number(n)) => n,
            None => 0,
        }
    }
}

/// The least a message must have to be stored when the rest of it does not fit.
#[derive(Deserialize)]
struct Bare {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Body {
    body: Option<String>,
}

#[derive(Deserialize)]
struct Caption {
    caption: Option<String>,
}

#[derive(Deserialize)]
struct Interactive {
    button_reply: Option<Reply>,
    list_reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    title: Option<String>,
}

#[derive(Deserialize)]
struct Button {
    text: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    id: Option<String>,
    status: Option<String>,
    recipient_id: Option<String>,
    timestamp: Option<Seconds>,
    #[serde(default)]
    errors: Vec<GraphError>,
    biz_opaque_callback_data: Option<String>,
}

#[derive(Deserialize)]
struct GraphError {
    code: Option<i64>,
    title: Option<String>,
}

/// Reads a webhook body. Only a syntax error is an `Err`.
pub fn parse(body: &[u8]) -> Result<Notification, Malformed> {
    let mut out = Notification::default();
    let top: Top<'_> = match serde_json::from_slice(body) {
        Ok(top) => top,
        Err(e) if e.is_data() => {
            // Valid JSON that is not an object: not ours, but not worth a retry.
            out.skipped += 1;
            return Ok(out);
        }
        Err(e) => return Err(Malformed(e.to_string())),
    };
    if top.object.as_deref() != Some("whatsapp_business_account") {
        out.skipped += 1;
        return Ok(out);
    }
    let entries: Vec<Entry<'_>> = top.entry.and_then(lenient).unwrap_or_default();
    for change in entries.iter().flat_map(|e| &e.changes) {
        match lenient::<Change<'_>>(change) {
            Some(Change {
                field: Some(field),
                value: Some(value),
            }) if field == "messages" => read_value(value, &mut out),
            _ => out.skipped += 1,
        }
    }
    strip_nul(&mut out);
    Ok(out)
}

/// PostgreSQL text cannot hold U+0000 (valid JSON as `\u0000`): it is
/// dropped from every decoded string so one such message cannot block the
/// inbox. The raw payload keeps it, escaped.
fn strip_nul(n: &mut Notification) {
    fn clean(s: &mut String) {
        if s.contains('\0') {
            s.retain(|c| c != '\0');
        }
    }
    for m in &mut n.messages {
        for s in [&mut m.phone_number_id, &mut m.wamid, &mut m.msg_type] {
            clean(s);
        }
        for s in [&mut m.sender, &mut m.profile_name, &mut m.body]
            .into_iter()
            .flatten()
        {
            clean(s);
        }
    }
    for st in &mut n.statuses {
        for s in [&mut st.wamid, &mut st.status, &mut st.phone_number_id] {
            clean(s);
        }
        for s in [&mut st.recipient, &mut st.error_title]
            .into_iter()
            .flatten()
        {
            clean(s);
        }
    }
}

fn lenient<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Option<T> {
    serde_json::from_str(raw.get()).ok()
}

fn read_value(raw: &RawValue, out: &mut Notification) {
    let Some(value) = lenient::<Value<'_>>(raw) else {
        out.skipped += 1;
        return;
    };
    let phone_number_id = value
        .metadata
        .and_then(|m| m.phone_number_id)
        .unwrap_or_default();
    for raw in &value.messages {
        match read_message(raw, &phone_number_id, &value.contacts) {
            Some(message) => out.messages.push(message),
            None => out.skipped += 1,
        }
    }
    for raw in &value.statuses {
        match read_status(raw, &phone_number_id) {
            Some(status) => out.statuses.push(status),
            None => out.skipped += 1,
        }
    }
}

fn valid_id(id: Option<String>) -> Option<String> {
    id.filter(|id| !id.is_empty() && id.len() <= 256)
}

fn read_message(
    raw: &RawValue,
    phone_number_id: &str,
    contacts: &[Contact],
) -> Option<InboundMessage> {
    let Some(m) = lenient::<Message>(raw) else {
        // Odd field types: keep the message (stored, not acted on) rather than lose it.
        let bare: Bare = lenient(raw)?;
        return Some(InboundMessage {
            phone_number_id: phone_number_id.to_string(),
            wamid: valid_id(bare.id)?,
            sender: None,
            profile_name: None,
            msg_type: match bare.kind {
                Some(serde_json::Value::String(k)) if k.len() <= 32 => format!("malformed:{k}"),
                _ => "malformed".into(),
            },
            body: None,
            payload: raw.get().to_string(),
            sent_at: 0,
            request_id: None,
            refusal: None,
        });
    };
    let wamid = valid_id(m.id)?;
    let refusal = refuse_sender(m.from.as_deref(), m.from_user_id.as_deref());
    let sender = m.from.or(m.from_user_id.clone());
    let profile_name = contacts
        .iter()
        .find(|c| {
            (sender.is_some() && c.wa_id == sender)
                || (m.from_user_id.is_some() && c.user_id == m.from_user_id)
        })
        .and_then(|c| c.profile.as_ref()?.name.clone());
    let body = m
        .text
        .and_then(|t| t.body)
        .or_else(|| {
            m.interactive
                .and_then(|i| i.button_reply.or(i.list_reply)?.title)
        })
        .or_else(|| m.button.and_then(|b| b.text))
        .or_else(|| {
            [m.image, m.video, m.document]
                .into_iter()
                .flatten()
                .find_map(|c| c.caption)
        });
    Some(InboundMessage {
        phone_number_id: phone_number_id.to_string(),
        wamid,
        sender,
        profile_name,
        msg_type: m.kind.unwrap_or_else(|| "unknown".into()),
        body,
        payload: raw.get().to_string(),
        sent_at: Seconds::value(m.timestamp),
        request_id: None,
        refusal,
    })
}

/// A sender is a phone number (`from`: ASCII digits, as WhatsApp writes a
/// `wa_id`) or, for a user known only by username, a business-scoped user id
/// (`from_user_id`, e.g. `US.13491208655302741918`). Anything else is refused
/// as it stands rather than cleaned up: "27825550101\u0000" must not become
/// the staff number.
fn refuse_sender(from: Option<&str>, user_id: Option<&str>) -> Option<String> {
    let number = |s: &str| (1..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let bsuid = |s: &str| {
        s.len() <= 100
            && s.split('.').count() >= 2
            && s.split('.').enumerate().all(|(i, part)| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    && (i > 0 || part.len() == 2)
            })
    };
    match (from, user_id) {
        (Some(f), _) if number(f) => None,
        (Some(_), _) => Some("the sender (`from`) is not a WhatsApp number".into()),
        (None, Some(u)) if bsuid(u) => None,
        (None, Some(_)) => Some("the sender (`from_user_id`) is not a WhatsApp user id".into()),
        (None, None) => None,
    }
}

fn read_status(raw: &RawValue, phone_number_id: &str) -> Option<StatusUpdate> {
    let s: Status = lenient(raw)?;
    let first_error = s.errors.into_iter().next();
    let outbound_id = s
        .biz_opaque_callback_data
        .as_deref()
        .and_then(|d| d.strip_prefix(OPAQUE_PREFIX))
        .and_then(|id| id.parse().ok());
    Some(StatusUpdate {
        phone_number_id: phone_number_id.to_string(),
        outbound_id,
        wamid: valid_id(s.id)?,
        status: s.status.filter(|st| !st.is_empty() && st.len() <= 32)?,
        recipient: s.recipient_id,
        status_at: Seconds::value(s.timestamp),
        error_code: first_error.as_ref().and_then(|e| e.code),
        error_title: first_error.and_then(|e| e.title),
        payload: raw.get().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzz target: PostgreSQL refused the row, and the webhook got a 503.
    #[test]
    fn nul_characters_are_dropped() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages",
            "value":{"metadata":{"phone_number_id":"1"},"contacts":[{"wa_id":"27","profile":{"name":"A\u0000B"}}],
            "messages":[{"from":"27","id":"wamid.n","timestamp":"1","type":"text","text":{"body":"add\u0000 5 nails"}}]}}]}]}"#;
        let n = parse(body).unwrap();
        assert_eq!(n.messages[0].profile_name.as_deref(), Some("AB"));
        assert_eq!(n.messages[0].body.as_deref(), Some("add 5 nails"));
    }

    #[test]
    fn malformed_json_is_the_only_error() {
        assert!(parse(b"{\"object\":").is_err());
        assert!(parse(b"not json").is_err());
        assert_eq!(parse(b"[1,2]").unwrap().skipped, 1);
        assert_eq!(
            parse(b"{\"object\":\"page\",\"entry\":[]}")
                .unwrap()
                .skipped,
            1
        );
    }

    #[test]
    fn other_fields_are_skipped() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
            {"field":"message_template_status_update","value":{"event":"APPROVED"}}]}]}"#;
        let n = parse(body).unwrap();
        assert!(n.messages.is_empty());
        assert_eq!(n.skipped, 1);
    }

    #[test]
    fn escaped_text_is_decoded_but_payload_kept_raw() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"2","id":"wamid.A","timestamp":"1781000000","type":"text","text":{"body":"caf\u00e9 1\/2"}}]}}]}]}"#;
        let n = parse(body).unwrap();
        let m = &n.messages[0];
        assert_eq!(m.body.as_deref(), Some("café 1/2"));
        assert!(m.payload.contains(r"caf\u00e9 1\/2"));
        assert_eq!(m.sent_at, 1_781_000_000);
    }

    #[test]
    fn a_message_without_an_id_is_skipped_not_fatal() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"2","type":"text"},{"id":"wamid.B","type":"sticker"}]}}]}]}"#;
        let n = parse(body).unwrap();
        assert_eq!(n.messages.len(), 1);
        assert_eq!(n.messages[0].msg_type, "sticker");
        assert_eq!(n.messages[0].sender, None);
        assert_eq!(n.skipped, 1);
    }
}
