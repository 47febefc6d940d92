//! Media downloads through the Graph API: `GET /{media-id}` gives a short-lived
//! URL, which is fetched at once with the same bearer token.

use reqwest::header::AUTHORIZATION;
use serde::Deserialize;

use super::graph::{GraphClient, without_url};

/// Largest voice note we fetch; WhatsApp caps audio at 16 MB.
pub const MAX_MEDIA_BYTES: usize = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media id {0:?} is not valid")]
    BadId(String),
    #[error("Graph API: {0}")]
    Graph(String),
    #[error("the file is {0} bytes, more than the {MAX_MEDIA_BYTES} allowed")]
    TooLarge(u64),
}

#[derive(Deserialize)]
struct MediaInfo {
    url: String,
    mime_type: Option<String>,
}

impl GraphClient {
    /// Downloads a media file; returns its bytes and MIME type.
    pub async fn fetch_media(&self, media_id: &str) -> Result<(Vec<u8>, String), MediaError> {
        if media_id.is_empty() || !media_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(MediaError::BadId(media_id.chars().take(40).collect()));
        }
        let info: MediaInfo = self
            .get(&format!("{}/{media_id}", self.base))
            .await?
            .json()
            .await
            .map_err(|e| MediaError::Graph(without_url(&e)))?;
        let response = self.get(&info.url).await?;
        if let Some(len) = response.content_length()
            && len > MAX_MEDIA_BYTES as u64
        {
            return Err(MediaError::TooLarge(len));
        }
        let mime = info
            .mime_type
            .or_else(|| {
                let header = response.headers().get(reqwest::header::CONTENT_TYPE)?;
                header.to_str().ok().map(str::to_string)
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let bytes = response
            .bytes()
            .await
            .map_err(|e| MediaError::Graph(without_url(&e)))?;
        if bytes.len() > MAX_MEDIA_BYTES {
            return Err(MediaError::TooLarge(bytes.len() as u64));
        }
        Ok((bytes.to_vec(), mime))
    }

    async fn get(&self, url: &str) -> Result<reqwest::Response, MediaError> {
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| MediaError::Graph(without_url(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(MediaError::Graph(format!("HTTP {status}")));
        }
        Ok(response)
    }
}
