//! Any OpenAI-compatible server — OpenAI, Ollama, vLLM, llama.cpp, OpenRouter:
//! `/chat/completions` with a strict JSON schema, `/audio/transcriptions`
//! (which local Whisper servers offer too) for voice notes.

use async_trait::async_trait;
use reqwest::multipart;
use serde_json::{Value, json};

use super::{LlmError, Provider, prompt};
use crate::{config::Secret, parsing::KnownItems};

#[derive(Debug)]
pub struct OpenAi {
    http: reqwest::Client,
    base: String,
    key: Option<Secret>,
    model: String,
    transcribe_model: String,
}

impl OpenAi {
    pub fn new(
        http: reqwest::Client,
        base: &str,
        key: Option<Secret>,
        model: &str,
        transcribe_model: &str,
    ) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_string(),
            key,
            model: model.to_string(),
            transcribe_model: transcribe_model.to_string(),
        }
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
    let body: Value = response.json().await.map_err(LlmError::transport)?;
    if !status.is_success() {
        let message = body["error"]["message"].as_str().unwrap_or("no message");
        return Err(LlmError::Status(
            status.as_u16(),
            message.chars().take(200).collect(),
        ));
    }
    Ok(body)
}

#[async_trait]
impl Provider for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    async fn complete(&self, text: &str, known: &KnownItems) -> Result<String, LlmError> {
        let request = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": prompt::SYSTEM},
                {"role": "user", "content": prompt::user_turn(text, known)}
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "parse", "strict": true, "schema": prompt::openai_schema()}
            }
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
