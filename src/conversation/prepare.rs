//! Understanding a batch before its transaction: text is parsed, voice notes
//! are downloaded, transcribed and parsed. These may be network calls, so they
//! run concurrently and hold no database lock.

use std::collections::HashSet;

use futures::StreamExt;
use serde::Deserialize;
use tracing::Instrument;

use super::{
    Conversation, replies,
    shelf::{self, Pick},
    special::{self, CatalogLine, PackSize, Tap},
};
use crate::{
    domain::lang::{self, Lang},
    parsing::{
        Intent, KnownItems, Parsed, Sender,
        llm::TRANSCRIBE_TIMEOUT,
        social::{self, Social},
    },
    storage::inbox::InboxRecord,
};

/// Messages understood at once; each may wait on an LLM.
const CONCURRENCY: usize = 16;

/// A claimed message and what was made of it.
pub(super) struct Prepared {
    pub record: InboxRecord,
    /// A voice note's transcript, quoted back in the reply.
    pub heard: Option<String>,
    /// The language the message is written in, when it tells.
    pub lang: Option<Lang>,
    pub understood: Understood,
}

/// What a message turned out to be; exactly one of these.
pub(super) enum Understood {
    /// A message type with nothing to act on (a reaction, a deleted message).
    Nothing,
    /// It could not be understood (a voice note not transcribed); the reason
    /// is said back to the sender.
    Problem(String),
    /// A tap on one of our reply buttons.
    Tap(Tap),
    /// A row picked from one of our list messages.
    Pick(Pick),
    /// A question about a catalogue product ("Message business"): its SKU.
    Product(String),
    /// A WhatsApp catalogue cart.
    Catalog(Vec<CatalogLine>),
    /// "1 box of screws = 50".
    Pack(PackSize),
    /// "reorder screws", "received PO-12: 40 screws".
    Purchase(super::purchasing::Purchase),
    /// "sent 10 screws to Warehouse", "received 10 screws from Main Street".
    Transfer(super::transfers::Transfer),
    /// Text (or a transcript) read by the parser.
    Parsed(Parsed),
    /// About the conversation: opting out or in, a greeting, "where's my order?".
    Social(Social),
    /// An image, sticker, location or the like: we read only text and voice.
    NonText,
}

impl Prepared {
    pub fn parsed(&self) -> Option<&Parsed> {
        match &self.understood {
            Understood::Parsed(p) => Some(p),
            _ => None,
        }
    }
}

/// Whether the message carries a click-to-WhatsApp ad's `referral`.
fn from_ad(payload: &str) -> bool {
    payload.contains("\"referral\"")
        && serde_json::from_str::<serde_json::Value>(payload)
            .is_ok_and(|v| v.get("referral").is_some_and(|r| r.is_object()))
}

#[derive(Deserialize)]
struct AudioPayload {
    audio: Audio,
}

#[derive(Deserialize)]
struct Audio {
    id: String,
    mime_type: Option<String>,
}

impl Conversation {
    /// Understands every message of a batch, in order.
    pub(super) async fn prepare(
        &self,
        batch: Vec<InboxRecord>,
        known: &KnownItems,
        keepers: &HashSet<String>,
    ) -> Vec<Prepared> {
        futures::stream::iter(batch)
            .map(|record| {
                let span = tracing::info_span!("message", id = record.id, wamid = %record.wamid,
                    request_id = record.request_id.as_deref().unwrap_or("-"));
                let sender = match &record.sender {
                    Some(s) if keepers.contains(s) => Sender::Staff,
                    _ => Sender::Customer,
                };
                self.understand(record, known, sender).instrument(span)
            })
            .buffered(CONCURRENCY)
            .collect()
            .await
    }

    async fn understand(
        &self,
        record: InboxRecord,
        known: &KnownItems,
        sender: Sender,
    ) -> Prepared {
        let mut prepared = Prepared {
            record,
            heard: None,
            lang: None,
            understood: Understood::Nothing,
        };
        let record = &prepared.record;
        if let Some(tap) = special::tap(&record.msg_type, &record.payload) {
            prepared.understood = Understood::Tap(tap);
            return prepared;
        }
        if let Some(pick) = shelf::pick(&record.msg_type, &record.payload) {
            prepared.understood = Understood::Pick(pick);
            return prepared;
        }
        // Whatever its words ("Is this still available?"), it is about the product.
        if record.msg_type != "order"
            && let Some(sku) = shelf::referred_sku(&record.payload)
        {
            prepared.lang = record.body.as_deref().and_then(lang::detect);
            prepared.understood = Understood::Product(sku);
            return prepared;
        }
        let text = match (record.msg_type.as_str(), &record.body) {
            ("order", _) => {
                prepared.understood = Understood::Catalog(special::catalog_lines(&record.payload));
                None
            }
            ("text" | "interactive" | "button", Some(body)) => Some(body.clone()),
            ("image" | "sticker" | "location" | "video" | "document" | "contacts", _) => {
                prepared.understood = Understood::NonText;
                None
            }
            ("audio", _) => match self.hear(&prepared.record).await {
                Ok(heard) => {
                    prepared.heard = Some(heard.clone());
                    Some(heard)
                }
                Err(problem) => {
                    prepared.understood = Understood::Problem(problem);
                    None
                }
            },
            _ => None,
        };
        if let Some(text) = text {
            prepared.lang = lang::detect(&text);
            // Opting out is anyone's right; greetings and order questions
            // are a customer's (staff's "hi" keeps its help reply).
            let social = social::classify(&text).filter(|s| {
                sender == Sender::Customer || matches!(s, Social::OptOut | Social::OptIn)
            });
            if let Some(s) = social {
                prepared.understood = Understood::Social(s);
            } else if let Some(p) = super::purchasing::read(&text) {
                prepared.understood = Understood::Purchase(p);
            } else if let Some(tr) = super::transfers::read(&text, &self.places) {
                prepared.understood = Understood::Transfer(tr);
            } else if let Some(pack) = special::pack_size(&text) {
                prepared.understood = Understood::Pack(pack);
            } else {
                let parsed = self.understanding.parser.parse(&text, known, sender).await;
                let path = crate::metrics::Path {
                    parser: parsed.by.to_string(),
                };
                let m = &crate::metrics::METRICS;
                m.parses.get_or_create(&path).inc();
                m.parse_seconds
                    .get_or_create(&path)
                    .observe(parsed.micros as f64 / 1e6);
                // A first message from a click-to-WhatsApp ad ("Can I get
                // more info on this?") that asks for nothing in particular
                // gets the welcome, not a parse failure.
                let vague = matches!(
                    parsed.parse.intent,
                    Intent::Unknown | Intent::Help | Intent::List
                );
                prepared.understood =
                    if vague && sender == Sender::Customer && from_ad(&prepared.record.payload) {
                        Understood::Social(Social::Greeting)
                    } else {
                        Understood::Parsed(parsed)
                    };
            }
        }
        prepared
    }

    /// Downloads and transcribes a voice note, or says why it cannot.
    async fn hear(&self, record: &InboxRecord) -> Result<String, String> {
        let Some(speech) = &self.understanding.speech else {
            return Err(replies::VOICE_NEEDS_PROVIDER.into());
        };
        let Some(graph) = &self.graph else {
            return Err(replies::VOICE_IN_SANDBOX.into());
        };
        let audio: AudioPayload =
            serde_json::from_str(&record.payload).map_err(|_| replies::VOICE_FAILED.to_string())?;
        let work = async {
            let (bytes, mime) = graph
                .fetch_media(&audio.audio.id)
                .await
                .map_err(|e| e.to_string())?;
            let mime = audio.audio.mime_type.clone().unwrap_or(mime);
            speech
                .transcribe(&bytes, &mime)
                .await
                .map_err(|e| e.to_string())
        };
        match tokio::time::timeout(TRANSCRIBE_TIMEOUT, work).await {
            Ok(Ok(text)) if !text.trim().is_empty() => Ok(text),
            Ok(Ok(_)) => Err(replies::VOICE_SILENT.into()),
            Ok(Err(e)) => {
                tracing::warn!(id = record.id, error = %e, "voice note not transcribed");
                Err(replies::VOICE_FAILED.into())
            }
            Err(_) => {
                tracing::warn!(id = record.id, "voice note transcription timed out");
                Err(replies::VOICE_FAILED.into())
            }
        }
    }
}
