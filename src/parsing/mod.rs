//! Understanding messages: free text in, a `Parse` (the parse contract) out.
//!
//! A parser only says what the words mean. What the sender may do with that
//! meaning is decided later by their role, so no parser, however wrong or
//! manipulated, can give a customer the power to change stock.

pub mod batch;
pub mod llm;
pub mod rules;
pub mod score;
pub mod social;

use std::time::Instant;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What a message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    Add,
    Remove,
    Set,
    Query,
    List,
    Order,
    Cancel,
    Undo,
    Help,
    Unknown,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Add => "add",
            Intent::Remove => "remove",
            Intent::Set => "set",
            Intent::Query => "query",
            Intent::List => "list",
            Intent::Order => "order",
            Intent::Cancel => "cancel",
            Intent::Undo => "undo",
            Intent::Help => "help",
            Intent::Unknown => "unknown",
        }
    }

    /// Intents that change stock and so are for staff only.
    pub fn changes_stock(self) -> bool {
        matches!(
            self,
            Intent::Add | Intent::Remove | Intent::Set | Intent::Undo
        )
    }
}

/// One item named in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Lower case, singular, without quantity or unit.
    pub name: String,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
}

/// The parse contract: what one chat message means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parse {
    pub intent: Intent,
    pub items: Vec<Item>,
}

/// Largest quantity one message may add, remove, set or order.
pub const MAX_QUANTITY: i64 = 1_000_000;

impl Parse {
    pub fn unknown() -> Self {
        Self::bare(Intent::Unknown)
    }

    pub fn bare(intent: Intent) -> Self {
        Self {
            intent,
            items: Vec::new(),
        }
    }

    /// The items for people: "3 × hammer, screw".
    pub fn describe_items(&self) -> String {
        self.items
            .iter()
            .map(|i| match i.quantity {
                Some(q) => format!("{q} × {}", i.name),
                None => i.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Applies the contract's quantity bounds: out of bounds means `unknown`,
    /// so the bot asks again instead of guessing.
    pub fn bounded(self) -> Self {
        let min = match self.intent {
            Intent::Add | Intent::Remove | Intent::Order => 1,
            Intent::Set => 0,
            _ => return self,
        };
        let ok = !self.items.is_empty()
            && self.items.iter().all(|i| {
                i.quantity
                    .is_some_and(|q| (min..=MAX_QUANTITY).contains(&q))
            });
        if ok { self } else { Self::unknown() }
    }
}

/// The shop's item names, which parsers map misspellings and synonyms onto.
/// Holds a word index built once, so matching a message never scans every name.
#[derive(Debug, Clone, Default)]
pub struct KnownItems {
    names: Vec<String>,
    index: rules::anchor::Index,
}

impl KnownItems {
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        let index = rules::anchor::Index::build(&names);
        Self { names, index }
    }

    pub(crate) fn index(&self) -> &rules::anchor::Index {
        &self.index
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }
}

/// Who wrote, as far as a parser may know: a prior for reading ambiguous
/// wording ("I need 4 rollers" from a customer is an order), never
/// authority — the sender's role alone decides what a message may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sender {
    #[default]
    Unknown,
    Staff,
    Customer,
}

/// Below this confidence a stock change is confirmed with the sender (reply
/// buttons) before it is made.
pub use rules::ASK_BELOW;

/// A parse and where it came from.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub parse: Parse,
    /// Which parser answered: `rules`, or the LLM provider's name.
    pub by: &'static str,
    pub micros: i64,
    /// Why: the steps that led to the answer, for `backroom parse --explain`.
    pub notes: Vec<String>,
    /// How sure the reading is, from 0 to 1.
    pub confidence: f32,
    /// How sure the intent alone is, before doubts about item names.
    pub intent_confidence: f32,
    /// The runner-up reading, when it came close: another intent for the
    /// same items (the rules), or the rules' reading where an LLM's differs.
    pub alternative: Option<Parse>,
}

/// A catalogue smaller than this is still being filled: a name outside it
/// is more likely a new item than a misreading.
const YOUNG_CATALOGUE: usize = 20;

impl Parsed {
    /// A stock change the bot is not sure of: it asks before making it. In
    /// a young catalogue, doubt that comes only from new names in an add
    /// does not count: new items are announced and can be undone.
    pub fn needs_confirmation(&self, known: &KnownItems) -> bool {
        if !matches!(
            self.parse.intent,
            Intent::Add | Intent::Remove | Intent::Set
        ) {
            return false;
        }
        let only_new_names = self.parse.intent == Intent::Add
            && known.names().len() < YOUNG_CATALOGUE
            && self.parse.items.iter().all(|i| !known.contains(&i.name));
        let doubt = if only_new_names {
            self.intent_confidence
        } else {
            self.confidence
        };
        doubt < ASK_BELOW
    }

    /// What the bot does at once with the message: a reading it confirms
    /// first changes nothing yet, so it counts as not understood.
    pub fn acted_on(&self, known: &KnownItems) -> Parse {
        if self.needs_confirmation(known) {
            Parse::unknown()
        } else {
            self.parse.clone()
        }
    }
}

/// Anything that can read a message.
#[async_trait]
pub trait Parser: Send + Sync {
    async fn parse(&self, text: &str, known: &KnownItems, sender: Sender) -> Parsed;
}

/// How the bot reads messages: a parser, and speech-to-text when the
/// configured provider offers it.
#[derive(Clone)]
pub struct Understanding {
    pub parser: std::sync::Arc<dyn Parser>,
    pub speech: Option<std::sync::Arc<dyn llm::Provider>>,
}

impl Understanding {
    /// The LLM (with the rules behind it) when one is configured, else the rules.
    pub fn from_settings(settings: &crate::config::LlmSettings) -> Self {
        match llm::provider(settings) {
            Some(provider) => Self {
                parser: std::sync::Arc::new(llm::LlmParser::new(
                    provider.clone(),
                    settings.timeout,
                )),
                speech: provider.can_transcribe().then_some(provider),
            },
            None => Self {
                parser: std::sync::Arc::new(RuleParser),
                speech: None,
            },
        }
    }
}

/// The rule parser alone: no network, always answers.
#[derive(Debug, Default)]
pub struct RuleParser;

#[async_trait]
impl Parser for RuleParser {
    async fn parse(&self, text: &str, known: &KnownItems, sender: Sender) -> Parsed {
        let started = Instant::now();
        let (reading, notes) = rules::read_explained(text, known, sender);
        let alternative = reading.alternative.map(|intent| Parse {
            intent,
            items: reading.parse.items.clone(),
        });
        Parsed {
            parse: reading.parse,
            by: "rules",
            micros: started.elapsed().as_micros() as i64,
            notes,
            confidence: reading.confidence,
            intent_confidence: reading.intent_confidence,
            alternative,
        }
    }
}
