//! The message being handled and what to say back.

use super::prepare::Prepared;
use crate::domain::lang::Lang;
use crate::{
    domain::event::{Event, MessageReceived},
    inventory::{Effects, Origin, StockBook},
    parsing::{KnownItems, Parse},
    storage::{WriteTx, contacts::Role, events::NewEvent},
};

/// What a batch's steps read and change: its transaction, the stock book of
/// the items it locked, what the changes cause, and the shop's item names.
pub(super) struct Work<'a> {
    pub tx: &'a mut WriteTx,
    pub book: &'a mut StockBook,
    pub fx: &'a mut Effects,
    pub known: &'a KnownItems,
    /// Messages to others than the sender (a purchase order to its supplier).
    pub sends: &'a mut Vec<crate::storage::outbound::NewOutbound>,
}

/// The person and message being handled.
pub(super) struct Turn<'a> {
    pub p: &'a Prepared,
    pub wa_id: &'a str,
    pub role: Role,
    pub lang: Lang,
    pub now: i64,
    /// The location of the number written to: its stock is the one changed.
    pub location: i64,
}

impl Turn<'_> {
    pub fn origin(&self, reason: &'static str) -> Origin {
        Origin {
            reason,
            actor: Some(self.wa_id.to_string()),
            source_message_id: Some(self.p.record.wamid.clone()),
            location: self.location,
        }
    }
}

/// Something to say back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Say {
    Text(String),
    /// A question with reply buttons for the stored action: a title for
    /// each choice, and a last button that says no (when there is one).
    Ask {
        text: String,
        action: i64,
        choices: Vec<String>,
        no: Option<String>,
    },
    /// A list message: rows in sections, behind a button.
    List {
        text: String,
        button: String,
        sections: Vec<super::shelf::Section>,
    },
}

/// A question waiting for a tap: the parse each choice applies. ("Did you
/// mean…?" questions stored before there were several choices hold `parse`.)
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Question {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse: Option<Parse>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Parse>,
}

impl Question {
    pub fn new(choices: Vec<Parse>) -> Self {
        Self {
            parse: None,
            choices,
        }
    }

    /// The parse a tap on button `n` applies.
    pub fn choice(&self, n: usize) -> Option<&Parse> {
        self.choices
            .get(n)
            .or(self.parse.as_ref().filter(|_| n == 0))
    }
}

/// Records the `message.received` event; its id follows from the message's,
/// so a redelivery cannot record it twice.
pub(super) fn message_received(fx: &mut Effects, p: &Prepared, intent: Option<&str>) {
    let r = &p.record;
    let event = Event::MessageReceived(MessageReceived {
        message_id: r.wamid.clone(),
        from: r.sender.clone(),
        profile_name: r.profile_name.clone(),
        kind: r.msg_type.clone(),
        text: p.heard.clone().or_else(|| r.body.clone()),
        timestamp: r.sent_at,
        intent: intent.map(String::from),
    });
    fx.events.push(NewEvent::derived(
        event,
        &format!("{}\n{}", r.phone_number_id, r.wamid),
    ));
}
