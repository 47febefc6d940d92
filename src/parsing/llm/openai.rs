//! Any OpenAI-compatible server — OpenAI, Ollama, vLLM, llama.cpp,
//! llama-cpp-python, OpenRouter: `/chat/completions` constrained to the
//! parse schema, `/audio/transcriptions` (which local Whisper servers offer
//! too) for voice notes.
//!
//! Servers disagree on how the schema is given: OpenAI's `json_schema` form,
//! or `json_object` with a `schema` beside it (llama-cpp-python, which
//! answers the first with a 500). In `auto` mode the first form is tried,
//! and a server that rejects it gets the second from then on.

use std::sync::atomic::{AtomicU8, Ordering};

use async_trait::async_trait;
use reqwest::multipart;
use serde_json::{Value, json};

use super::{LlmError, MAX_OUTPUT_TOKENS, Provider, prompt};
use crate::{
    config::{JsonMode, Secret},
    parsing::KnownItems,
};

/// `mode` values: which form is used now.
const SCHEMA: u8 = 0;
const OBJECT: u8 = 1;

#[derive(Debug)]
pub struct OpenAi {
    http: reqwest::Client,
    base: String,
    key: Option<Secret>,
    model: String,
    transcribe_model: String,
    /// Whether a rejected `json_schema` may switch the form (auto mode).
    may_switch: bool,
    mode: AtomicU8,
}

impl OpenAi {
    pub fn new(
        http: reqwest::Client,
        base: &str,
        key: Option<Secret>,
        model: &str,
        transcribe_model: &str,
        json_mode: JsonMode,
    ) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_string(),
            key,
            model: model.to_string(),
            transcribe_model: transcribe_model.to_string(),
            may_switch: json_mode == JsonMode::Auto,
            mode: AtomicU8::new(if json_mode == JsonMode::JsonObject {
                OBJECT
            } else {
                SCHEMA
            }),
        }
    }

    async fn chat(&self, text: &str, known: &KnownItems, mode: u8) -> Result<String, LlmError> {
        let response_format = if mode == OBJECT {
            json!({"type": "json_object", "schema": prompt::openai_schema()})
        } else {
            json!({"type": "json_schema",
                   "json_schema": {"name": "parse", "strict": true, "schema": prompt::openai_schema()}})
        };
        let request = json!({
            "model": self.model,
            "temperature": 0,
            "max_tokens": MAX_OUTPUT_TOKENS,
            "messages": [
                {"role": "system", "content": prompt::SYSTEM},
                {"role": "user", "content": prompt::user_turn(text, known)}
            ],
            "response_format": response_format,
        });
        let response = self
            .post("/chat/completions")
            .json(&request)
            .send()
            .await
            .map_err(LlmError::transport)?;
        let body = read(response).await?;
        let message = &body["choices"][0]["message"];
        if let Some(refusal) = message["refusal"].as_str() {
            return Err(LlmError::Invalid(format!("model refused: {refusal}")));
        }
        message["content"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| LlmError::Invalid("no content in the answer".into()))
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.post(format!("{}{path}", self.base));
        match &self.key {
            Some(key) => request.bearer_auth(key.expose()),
            None => request,
        }
    }
}

async fn read(response: reqwest::Response) -> Result<Value, LlmError> {
    let status = response.status();
    let text = response.text().await.map_err(LlmError::transport)?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !status.is_success() {
        // Servers put the reason in different places; any will do.
        let message = body["error"]["message"]
            .as_str()
            .or(body["detail"].as_str())
            .map_or_else(|| text.clone(), str::to_string);
        return Err(LlmError::Status(
            status.as_u16(),
            message.chars().take(200).collect(),
        ));
    }
    if body.is_null() {
        return Err(LlmError::Invalid("the answer is not JSON".into()));
    }
    Ok(body)
}

/// A server turning down the `json_schema` form rather than the request: an
/// error that names the response format (llama-cpp-python answers 500 with
/// its validation message). Any other failure is not a reason to switch.
fn rejects_the_form(e: &LlmError) -> bool {
    match e {
        LlmError::Status(400 | 422 | 500, message) => {
            let m = message.to_lowercase();
            ["response_format", "json_schema", "json_object"]
                .iter()
                .any(|w| m.contains(w))
        }
        _ => false,
    }
}

#[async_trait]
impl Provider for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    async fn complete(&self, text: &str, known: &KnownItems) -> Result<String, LlmError> {
        let mode = self.mode.load(Ordering::Relaxed);
        match self.chat(text, known, mode).await {
            Err(e) if mode == SCHEMA && self.may_switch && rejects_the_form(&e) => {
                let answer = self.chat(text, known, OBJECT).await;
                if answer.is_ok() {
                    self.mode.store(OBJECT, Ordering::Relaxed);
                    tracing::warn!(error = %e, "the LLM server rejected response_format json_schema; \
                        using json_object with the schema from now on (OPENAI_JSON_MODE)");
                }
                answer
            }
            answer => answer,
        }
    }

    fn can_transcribe(&self) -> bool {
        true
    }

    async fn transcribe(&self, audio: &[u8], mime: &str) -> Result<String, LlmError> {
        let mime = mime.split(';').next().unwrap_or(mime).trim().to_string();
        let extension = mime.rsplit('/').next().unwrap_or("ogg").to_string();
        let file = multipart::Part::bytes(audio.to_vec())
            .file_name(format!("voice.{extension}"))
            .mime_str(&mime)
            .map_err(LlmError::transport)?;
        let form = multipart::Form::new()
            .text("model", self.transcribe_model.clone())
            .part("file", file);
        let response = self
            .post("/audio/transcriptions")
            .multipart(form)
            .send()
            .await
            .map_err(LlmError::transport)?;
        let body = read(response).await?;
        body["text"]
            .as_str()
            .map(|t| t.trim().to_string())
            .ok_or_else(|| LlmError::Invalid("no text in the transcription".into()))
    }
}
