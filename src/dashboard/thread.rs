//! A conversation drawn like WhatsApp: bubbles oldest first, delivery ticks
//! on what the shop sent, what the parser made of each message, and reply
//! buttons and list rows, which in the sandbox can be tapped.

use maud::{Markup, html};
use serde_json::Value;

use super::page::when;

/// `14:59` for today's messages, the date and time for older ones.
fn short_when(ms: i64, tz: &str) -> String {
    let full = when(ms, tz);
    let today = when(crate::storage::now_ms(), tz);
    match (full.split_once(' '), today.split_once(' ')) {
        (Some((day, time)), Some((now_day, _))) if day == now_day => time.to_string(),
        _ => full,
    }
}
use crate::{domain::message::OutboundStatus, storage::log::ThreadRow};

/// A reply button or list row of an interactive message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `button_reply` or `list_reply`, as the tap comes back.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
}

/// The buttons or list rows of an outbound interactive message's object.
pub fn choices(content: &str) -> Vec<Choice> {
    let Ok(v) = serde_json::from_str::<Value>(content) else {
        return Vec::new();
    };
    let action = &v["action"];
    let row = |kind: &'static str, r: &Value| {
        Some(Choice {
            kind,
            id: r["id"].as_str()?.to_string(),
            title: r["title"].as_str()?.to_string(),
        })
    };
    let buttons = action["buttons"].as_array().into_iter().flatten();
    let rows = action["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["rows"].as_array().into_iter().flatten());
    buttons
        .filter_map(|b| row("button_reply", &b["reply"]))
        .chain(rows.filter_map(|r| row("list_reply", r)))
        .collect()
}

/// How the thread's choices are drawn: tappable forms (the sandbox) or
/// plain labels (a conversation page, which is read-only).
pub enum Taps<'a> {
    ReadOnly,
    /// Posts `as`, `kind`, `id`, `title` and `context` to `/sandbox/reply`.
    Sandbox {
        csrf: &'a str,
        who: &'a str,
        /// The location whose number the sandbox writes to.
        at: i64,
    },
}

/// The thread, oldest first; the last bubble has `id="latest"` so a page
/// can jump to it with `#latest`.
pub fn thread(who: &str, messages: &[ThreadRow], tz: &str, taps: Taps<'_>) -> Markup {
    html! {
        section.thread aria-label="Conversation" {
            @if messages.is_empty() { p.note { "No messages with " (who) " yet." } }
            @for (n, m) in messages.iter().enumerate() {
                @let last = n + 1 == messages.len();
                div class=(format!("msg {}", m.direction)) id=[last.then_some("latest")] {
                    (m.text.as_deref().unwrap_or(&m.kind))
                    @if m.direction == "out" && let Some(c) = m.content.as_deref() {
                        @let options = choices(c);
                        @if !options.is_empty() {
                            div.choices {
                                @for o in &options { (choice(o, m, &taps)) }
                            }
                        }
                    }
                    @if m.direction == "in" && (m.intent.is_some() || m.parser.is_some()) {
                        span.parse {
                            "understood: " (m.intent.as_deref().unwrap_or("—"))
                            @if let Some(items) = &m.items { " · " (items) }
                            @if let Some(p) = &m.parser { " · by " (p) }
                        }
                    }
                    span.meta {
                        (short_when(m.at, tz))
                        @if m.direction == "out" { " " (ticks(&m.status)) }
                    }
                }
            }
        }
    }
}

fn choice(o: &Choice, m: &ThreadRow, taps: &Taps<'_>) -> Markup {
    match taps {
        Taps::ReadOnly => html! { span.badge { (o.title) } },
        Taps::Sandbox { csrf, who, at } => html! {
            form method="post" action="/sandbox/reply" class="inline" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="as" value=(who);
                input type="hidden" name="at" value=(at);
                input type="hidden" name="kind" value=(o.kind);
                input type="hidden" name="id" value=(o.id);
                input type="hidden" name="title" value=(o.title);
                input type="hidden" name="context" value=(m.wamid.as_deref().unwrap_or(""));
                button type="submit" { (o.title) }
            }
        },
    }
}

/// WhatsApp-style delivery ticks for a stored status.
pub fn ticks(status: &str) -> Markup {
    use OutboundStatus as S;
    let (mark, class, words) = match S::parse(status) {
        Some(S::Queued) => ("🕓", "", "waiting to send"),
        Some(S::Accepted | S::Sent) => ("✓", "", "sent"),
        Some(S::Delivered) => ("✓✓", "", "delivered to the phone"),
        Some(S::Read | S::Played) => ("✓✓", "tick-read", "read"),
        Some(S::Failed) => ("⚠", "", "failed"),
        Some(S::Held) => ("⏳", "", "held until they write"),
        Some(S::Sandbox) => ("✓✓", "", "delivered in the sandbox"),
        _ => ("", "", ""),
    };
    html! { span class=(class) title=(words) aria-label=(words) { (mark) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_and_list_rows_become_choices() {
        let buttons = r#"{"type":"button","body":{"text":"Add 50 screws?"},"action":{"buttons":[
            {"type":"reply","reply":{"id":"pa:1:yes","title":"Yes"}},
            {"type":"reply","reply":{"id":"pa:1:no","title":"No"}}]}}"#;
        let got = choices(buttons);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].kind, "button_reply");
        assert_eq!(
            (got[1].id.as_str(), got[1].title.as_str()),
            ("pa:1:no", "No")
        );
        let list = r#"{"type":"list","action":{"button":"Pick","sections":[{"title":"Items","rows":[
            {"id":"r1","title":"screw"},{"id":"r2","title":"bolt","description":"M8"}]}]}}"#;
        let got = choices(list);
        assert_eq!(
            got.iter().map(|c| c.kind).collect::<Vec<_>>(),
            ["list_reply"; 2]
        );
        assert!(choices("not json").is_empty());
        assert!(choices(r#"{"name":"alert","language":{"code":"en"}}"#).is_empty());
    }
}
