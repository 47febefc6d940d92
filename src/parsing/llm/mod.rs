//! The LLM parser: asks a model first, and falls back to the rule parser on
//! any error, any invalid answer, or no answer within the timeout. After
//! repeated failures a circuit breaker skips the model for a while.

mod breaker;
mod gemini;
mod openai;
pub mod prompt;
pub mod validate;

use std::{sync::Arc, time::Duration, time::Instant};

use async_trait::async_trait;

use self::breaker::Breaker;
use super::{KnownItems, Parsed, Parser, RuleParser, Sender};
use crate::config::{LlmProvider, LlmSettings};

/// Failures in a row that open the breaker, and how long it stays open.
const BREAKER_THRESHOLD: u32 = 5;
const BREAKER_COOLDOWN: Duration = Duration::from_secs(30);
/// Voice notes take longer to transcribe than a line of text to parse.
pub const TRANSCRIBE_TIMEOUT: Duration = Duration::from_secs(20);
/// The most a model may write for one parse: twenty items fit well within
/// it, and a model that keeps adding items under a grammar stops here
/// instead of running until the timeout.
pub const MAX_OUTPUT_TOKENS: u32 = 512;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("request failed: {0}")]
    Transport(String),
    #[error("HTTP {0}: {1}")]
    Status(u16, String),
    #[error("{0}")]
    Invalid(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("this provider cannot transcribe audio")]
    Unsupported,
}

impl LlmError {
    fn transport(e: reqwest::Error) -> Self {
        // reqwest's message can carry the URL, and Gemini's URL no key (it is a header).
        LlmError::Transport(e.without_url().to_string())
    }
}

/// Room between our own time limits (`LLM_TIMEOUT_MS`, `TRANSCRIBE_TIMEOUT`)
/// and the HTTP client's: ours always fire first, so a slow model reads as a
/// timeout, never as a failed request.
const CLIENT_MARGIN: Duration = Duration::from_secs(5);

/// A model behind an API.
#[async_trait]
pub trait Provider: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// The model's raw JSON answer for one message.
    async fn complete(&self, text: &str, known: &KnownItems) -> Result<String, LlmError>;
    fn can_transcribe(&self) -> bool {
        false
    }
    async fn transcribe(&self, _audio: &[u8], _mime: &str) -> Result<String, LlmError> {
        Err(LlmError::Unsupported)
    }
}

/// The configured provider, if any.
pub fn provider(settings: &LlmSettings) -> Option<Arc<dyn Provider>> {
    let http = reqwest::Client::builder()
        .timeout(TRANSCRIBE_TIMEOUT.max(settings.timeout) + CLIENT_MARGIN)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("HTTP client builds");
    match &settings.provider {
        LlmProvider::None => None,
        LlmProvider::Gemini {
            api_key,
            model,
            base,
        } => Some(Arc::new(gemini::Gemini::new(
            http,
            base,
            model,
            api_key.clone(),
        ))),
        LlmProvider::OpenAi {
            api_key,
            model,
            base,
            transcribe_model,
            json_mode,
        } => Some(Arc::new(openai::OpenAi::new(
            http,
            base,
            api_key.clone(),
            model,
            transcribe_model,
            *json_mode,
        ))),
    }
}

/// How sure an answer from the model that the rules do not contradict is.
const LLM_CONFIDENCE: f32 = 0.9;
/// How sure a stock change is when the model and the rules read it apart:
/// below `ASK_BELOW`, so it is confirmed with the sender first.
const DISAGREEMENT_CONFIDENCE: f32 = 0.5;

/// Whether the model and the rules disagree about a change to the stock:
/// either reads one, and they differ in intent or in items and quantities —
/// except where the model maps a name the rules did not know onto the
/// shop's own items ("the portland" → cement), which is what it is for.
fn disagree_on_stock(llm: &super::Parse, rules: &super::Parse, known: &KnownItems) -> bool {
    let changes = |p: &super::Parse| {
        matches!(
            p.intent,
            super::Intent::Add | super::Intent::Remove | super::Intent::Set
        )
    };
    let items = |p: &super::Parse| {
        let mut v: Vec<(String, Option<i64>)> = p
            .items
            .iter()
            .map(|i| (i.name.clone(), i.quantity))
            .collect();
        v.sort();
        v
    };
    let mapped_onto_known = llm.items.iter().all(|i| known.contains(&i.name))
        && rules.items.iter().any(|i| !known.contains(&i.name))
        && llm.items.len() == rules.items.len()
        && llm
            .items
            .iter()
            .zip(&rules.items)
            .all(|(a, b)| a.quantity == b.quantity);
    (changes(llm) || changes(rules))
        && (llm.intent != rules.intent || (items(llm) != items(rules) && !mapped_onto_known))
}

/// Model first, rules behind it.
#[derive(Debug)]
pub struct LlmParser {
    provider: Arc<dyn Provider>,
    timeout: Duration,
    breaker: Breaker,
}

impl LlmParser {
    pub fn new(provider: Arc<dyn Provider>, timeout: Duration) -> Self {
        Self {
            provider,
            timeout,
            breaker: Breaker::new(BREAKER_THRESHOLD, BREAKER_COOLDOWN),
        }
    }

    async fn ask(&self, text: &str, known: &KnownItems) -> Result<super::Parse, String> {
        let answer = tokio::time::timeout(self.timeout, self.provider.complete(text, known))
            .await
            .map_err(|_| LlmError::Timeout(self.timeout).to_string())?
            .map_err(|e| e.to_string())?;
        validate::answer(&answer).map_err(|why| format!("answer rejected: {why}"))
    }
}

#[async_trait]
impl Parser for LlmParser {
    async fn parse(&self, text: &str, known: &KnownItems, sender: Sender) -> Parsed {
        let started = Instant::now();
        let name = self.provider.name();
        // Text that tries to instruct the bot never reaches the model: it is
        // `unknown` by contract, and a model is the part such text could steer.
        let why = if super::rules::looks_unsafe(text) {
            "rules: the message tries to give the bot instructions; not sent to the LLM".to_string()
        } else if !self.breaker.allow() {
            format!("{name} skipped: failing repeatedly, retried after a pause")
        } else {
            match self.ask(text, known).await {
                Ok(parse) => {
                    self.breaker.success();
                    let rules = RuleParser.parse(text, known, sender).await;
                    let mut parsed = Parsed {
                        parse,
                        by: name,
                        micros: started.elapsed().as_micros() as i64,
                        notes: vec![format!("{name} answered; the answer passed validation")],
                        confidence: rules.confidence.max(LLM_CONFIDENCE),
                        intent_confidence: rules.intent_confidence.max(LLM_CONFIDENCE),
                        alternative: None,
                    };
                    if disagree_on_stock(&parsed.parse, &rules.parse, known) {
                        // Two readers, two stock changes: the person decides.
                        parsed.confidence = DISAGREEMENT_CONFIDENCE;
                        parsed.intent_confidence = DISAGREEMENT_CONFIDENCE;
                        parsed.alternative = Some(rules.parse.clone());
                        parsed.notes.push(format!(
                            "the rules read {} {:?}: they disagree on a stock change, so it is confirmed first",
                            rules.parse.intent.as_str(),
                            rules.parse.items
                        ));
                    }
                    return parsed;
                }
                Err(why) => {
                    self.breaker.failure();
                    tracing::warn!(provider = name, reason = %why, "LLM parse failed; rules answer");
                    format!("{name} failed ({why}); the rule parser answered")
                }
            }
        };
        let mut parsed = RuleParser.parse(text, known, sender).await;
        parsed.notes.insert(0, why);
        parsed.micros = started.elapsed().as_micros() as i64;
        parsed
    }
}
