//! Google Gemini: `generateContent` with a JSON response schema, and inline
//! audio for voice notes.

use async_trait::async_trait;
use base64::Engine;
use serde_json::{Value, json};

use super::{LlmError, Provider, prompt};
use crate::{config::Secret, parsing::KnownItems};

#[derive(Debug)]
pub struct Gemini {
    http: reqwest::Client,
    url: String,
    key: Secret,
}

impl Gemini {
    pub fn new(http: reqwest::Client, base: &str, model: &str, key: Secret) -> Self {
        Self {
            http,
            url: format!(
                "{}/models/{model}:generateContent",
                base.trim_end_matches('/')
            ),
            key,
        }
    }

    async fn generate(&self, request: Value) -> Result<String, LlmError> {
        let response = self
            .http
            .post(&self.url)
            .header("x-goog-api-key", self.key.expose())
            .json(&request)
            .send()
            .await
            .map_err(LlmError::transport)?;
        let status = response.status();
        let body: Value = response.json().await.map_err(LlmError::transport)?;
        if !status.is_success() {
            let message = body["error"]["message"].as_str().unwrap_or("no message");
            return Err(LlmError::Status(
                status.as_u16(),
                message.chars().take(200).collect(),
            ));
        }
        body["candidates"][0]["content"]["parts"][0]["text"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| {
                let reason = body["candidates"][0]["finishReason"]
                    .as_str()
                    .unwrap_or("none");
                LlmError::Invalid(format!("no text in the answer (finish reason {reason})"))
            })
    }
}

#[async_trait]
impl Provider for Gemini {
    fn name(&self) -> &'static str {
        "gemini"
    }

    async fn complete(&self, text: &str, known: &KnownItems) -> Result<String, LlmError> {
        self.generate(json!({
            "systemInstruction": {"parts": [{"text": prompt::SYSTEM}]},
            "contents": [{"role": "user", "parts": [{"text": prompt::user_turn(text, known)}]}],
            "generationConfig": {
                "temperature": 0,
                "maxOutputTokens": super::MAX_OUTPUT_TOKENS,
                "responseMimeType": "application/json",
                "responseSchema": prompt::gemini_schema()
            }
        }))
        .await
    }

    fn can_transcribe(&self) -> bool {
        true
    }

    async fn transcribe(&self, audio: &[u8], mime: &str) -> Result<String, LlmError> {
        let data = base64::engine::general_purpose::STANDARD.encode(audio);
        // WhatsApp says "audio/ogg; codecs=opus"; the parameters are not needed.
        let mime = mime.split(';').next().unwrap_or(mime).trim();
        self.generate(json!({
            "contents": [{"role": "user", "parts": [
                {"inlineData": {"mimeType": mime, "data": data}},
                {"text": prompt::TRANSCRIBE}
            ]}],
            "generationConfig": {"temperature": 0}
        }))
        .await
        .map(|t| t.trim().to_string())
    }
}
