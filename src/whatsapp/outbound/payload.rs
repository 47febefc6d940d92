//! Graph API request bodies for the messages we send.

use crate::domain::message::OutboundKind;
use serde_json::{Value, json};

use crate::{domain::whatsapp::OPAQUE_PREFIX, storage::outbound::OutboundJob};

/// WhatsApp's limit on a text body, in characters.
pub const MAX_TEXT_CHARS: usize = 4096;

/// The addressing fields: `to` for a phone number, `recipient` for the
/// business-scoped id of a user who hides their number behind a username.
fn address(recipient: &str) -> (&'static str, &str) {
    if recipient.bytes().all(|b| b.is_ascii_digit()) {
        ("to", recipient)
    } else {
        ("recipient", recipient)
    }
}

/// The Graph request body for a claimed outbox row. Text bodies are built
/// here rather than stored, which keeps outbox rows (rewritten on every status
/// change) small. Every message carries its row id as
/// `biz_opaque_callback_data`, which Meta echoes in status callbacks: after a
/// crash cut off Graph's answer, the callback names the row it was about.
pub fn for_job(job: &OutboundJob) -> String {
    let mut body = message(job);
    if job.kind != OutboundKind::Read.as_str()
        && let Some(object) = body.as_object_mut()
    {
        object.insert(
            "biz_opaque_callback_data".into(),
            Value::from(format!("{OPAQUE_PREFIX}{}", job.id)),
        );
    }
    body.to_string()
}

fn message(job: &OutboundJob) -> Value {
    match (job.kind.as_str(), &job.content) {
        ("read", _) => json!({
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": job.in_reply_to,
        }),
        (kind, Some(content)) => {
            let object: Value = serde_json::from_str(content).unwrap_or(Value::Null);
            let (key, value) = address(&job.recipient);
            let mut msg = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "type": kind,
            });
            msg[key] = Value::from(value);
            msg[kind] = object;
            if let Some(id) = &job.in_reply_to {
                msg["context"] = json!({ "message_id": id });
            }
            msg
        }
        _ => text(&job.recipient, &job.preview, job.in_reply_to.as_deref()),
    }
}

/// A text message, quoting `reply_to` when given.
pub fn text(recipient: &str, body: &str, reply_to: Option<&str>) -> Value {
    let body: String = body.chars().take(MAX_TEXT_CHARS).collect();
    let (key, value) = address(recipient);
    let mut msg = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "type": "text",
        "text": {"preview_url": false, "body": body},
    });
    msg[key] = Value::from(value);
    if let Some(id) = reply_to {
        msg["context"] = json!({ "message_id": id });
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reply_in_context() {
        let v = text("27825550101", "✅ Added", Some("wamid.X"));
        assert_eq!(v["to"], "27825550101");
        assert_eq!(v["context"]["message_id"], "wamid.X");
        assert_eq!(v["text"]["body"], "✅ Added");
    }

    #[test]
    fn username_users_are_addressed_by_user_id() {
        let v = text("US.13000000000000000001", "hi", None);
        assert_eq!(v["recipient"], "US.13000000000000000001");
        assert!(v.get("to").is_none() && v.get("context").is_none());
    }

    #[test]
    fn bodies_are_capped() {
        let long = "x".repeat(5000);
        let v = text("1", &long, None);
        assert_eq!(
            v["text"]["body"].as_str().unwrap().chars().count(),
            MAX_TEXT_CHARS
        );
    }
}
