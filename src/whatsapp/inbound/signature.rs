//! `X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret.
//!
//! The MAC is computed over the bytes exactly as received — Meta escapes
//! non-ASCII as `\uXXXX` and `/` as `\/`, so re-serialised JSON would not match.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Hub-Signature-256 header")]
    Missing,
    #[error("X-Hub-Signature-256 is not sha256=<64 hex digits>")]
    Malformed,
    #[error("X-Hub-Signature-256 does not match the body")]
    Mismatch,
}

/// Checks a header value against the body, in constant time.
pub fn verify(secret: &[u8], header: Option<&[u8]>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digest = header
        .strip_prefix(b"sha256=")
        .filter(|h| h.len() == 64)
        .ok_or(SignatureError::Malformed)?;
    let mut expected = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut expected).map_err(|_| SignatureError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// `sha256=<hex>` for a body: what Meta sends, and what tests and the sandbox sign with.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"backroom-fixture-app-secret";

    #[test]
    fn meta_escaped_fixture_verifies_over_raw_bytes() {
        let body = include_bytes!("../../../fixtures/whatsapp/text_raw_escaped.json");
        let header = b"sha256=137aa9a30853c2708392483bfc4e5dd66f035f303dfed9eecef077f24265d236";
        assert_eq!(verify(SECRET, Some(header), body), Ok(()));
        assert_eq!(sign(SECRET, body).as_bytes(), header);
        // The same JSON re-serialised (é instead of \u00e9) must not verify.
        let value: serde_json::Value = serde_json::from_slice(body).unwrap();
        let reserialised = serde_json::to_vec(&value).unwrap();
        assert_eq!(
            verify(SECRET, Some(header), &reserialised),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn bad_headers_are_told_apart() {
        let body = b"{}";
        assert_eq!(verify(SECRET, None, body), Err(SignatureError::Missing));
        assert_eq!(
            verify(SECRET, Some(b"sha1=abc"), body),
            Err(SignatureError::Malformed)
        );
        let not_hex = format!("sha256={}", "zz".repeat(32));
        assert_eq!(
            verify(SECRET, Some(not_hex.as_bytes()), body),
            Err(SignatureError::Malformed)
        );
        let wrong = sign(b"other secret", body);
        assert_eq!(
            verify(SECRET, Some(wrong.as_bytes()), body),
            Err(SignatureError::Mismatch)
        );
    }
}
