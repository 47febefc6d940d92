//! Encryption at rest for the secrets backroom must read back: webhook signing
//! secrets (needed to sign) and a sign-in code waiting in the outbox (needed
//! to send). XChaCha20-Poly1305 with random 24-byte nonces, keyed from
//! `SECRETS_KEY`; what it seals is bound to its purpose, so a sealed value
//! cannot be moved to another column and opened there.
//!
//! `SECRETS_KEY` holds one or more 32-byte keys, base64 or hex, separated by
//! commas. The first seals; each of them opens. To rotate, put a new key first
//! and restart: stored values are re-sealed with it at start-up, after which
//! the old key can be dropped.

use std::fmt;

use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD},
};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use sha2::{Digest, Sha256};

/// Marks a sealed value: `enc1:<key id>:<base64 of nonce and ciphertext>`.
const PREFIX: &str = "enc1:";

/// What a sealed value is for; part of the authenticated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    WebhookSecret,
    LoginCode,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::WebhookSecret => b"backroom webhook secret",
            Purpose::LoginCode => b"backroom sign-in code",
        }
    }
}

struct Key {
    /// The first bytes of the key's SHA-256, naming which key sealed a value.
    id: String,
    cipher: XChaCha20Poly1305,
    /// A key of its own for `digest`, derived so it never equals the cipher's.
    mac: [u8; 32],
}

/// The keys from `SECRETS_KEY`: the first seals, any opens.
#[derive(Clone)]
pub struct Keys {
    keys: std::sync::Arc<Vec<Key>>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keys({} key(s), ***)", self.keys.len())
    }
}

/// A sealed value that does not open with any key we have.
#[derive(Debug, thiserror::Error)]
#[error("a stored secret cannot be opened: {0}")]
pub struct OpenError(&'static str);

impl Keys {
    /// Reads `SECRETS_KEY`'s value.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut keys = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bytes = decode_key(part).ok_or_else(|| {
                "each key must be 32 bytes as base64 (44 characters) or hex (64); \
                 make one with `openssl rand -base64 32`"
                    .to_string()
            })?;
            let mut mac = Sha256::new();
            mac.update(b"backroom digest key\n");
            mac.update(bytes);
            keys.push(Key {
                id: hex::encode(&Sha256::digest(bytes)[..4]),
                cipher: XChaCha20Poly1305::new(&bytes.into()),
                mac: mac.finalize().into(),
            });
        }
        if keys.is_empty() {
            return Err("no key given".into());
        }
        Ok(Self {
            keys: std::sync::Arc::new(keys),
        })
    }

    /// A fresh key in the form `SECRETS_KEY` takes.
    pub fn generate() -> String {
        STANDARD.encode(rand::random::<[u8; 32]>())
    }

    pub fn seal(&self, purpose: Purpose, plain: &str) -> String {
        let key = &self.keys[0];
        let nonce: [u8; 24] = rand::random();
        let sealed = key
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: purpose.label(),
                },
            )
            .expect("encryption of a short string cannot fail");
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        format!("{PREFIX}{}:{}", key.id, URL_SAFE_NO_PAD.encode(blob))
    }

    pub fn open(&self, purpose: Purpose, sealed: &str) -> Result<String, OpenError> {
        let (id, blob) = sealed
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .ok_or(OpenError("not a sealed value"))?;
        let key = self.keys.iter().find(|k| k.id == id).ok_or(OpenError(
            "it was sealed with a key SECRETS_KEY no longer holds",
        ))?;
        let blob = URL_SAFE_NO_PAD
            .decode(blob)
            .map_err(|_| OpenError("damaged"))?;
        if blob.len() < 24 {
            return Err(OpenError("damaged"));
        }
        let (nonce, data) = blob.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| OpenError("damaged"))?;
        let plain = key
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: data,
                    aad: purpose.label(),
                },
            )
            .map_err(|_| OpenError("damaged, or sealed for another purpose"))?;
        String::from_utf8(plain).map_err(|_| OpenError("damaged"))
    }

    /// A keyed hash (HMAC-SHA256 with the current key) of a short secret
    /// that is only ever compared, never read back: a sign-in code's plain
    /// SHA-256 would fall to trying all million codes; this needs the key.
    pub fn digest(&self, purpose: Purpose, secret: &str) -> String {
        use hmac::{Hmac, KeyInit as _, Mac};
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.keys[0].mac).expect("HMAC takes any key");
        mac.update(purpose.label());
        mac.update(b"\n");
        mac.update(secret.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `stored` is sealed with the current (first) key; plain values
    /// and values sealed with an older key are re-sealed at start-up.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.keys[0].id)
    }
}

/// Whether a stored value is sealed at all (rows from before encryption are not).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

fn decode_key(text: &str) -> Option<[u8; 32]> {
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).ok()?
    } else {
        [&STANDARD, &URL_SAFE]
            .iter()
            .find_map(|e| e.decode(text).ok())
            .or_else(|| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())?
    };
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_purpose_and_key() {
        let keys = Keys::parse(&Keys::generate()).unwrap();
        let sealed = keys.seal(Purpose::WebhookSecret, "whsec_abc");
        assert!(is_sealed(&sealed) && !sealed.contains("whsec_abc"));
        assert_eq!(
            keys.open(Purpose::WebhookSecret, &sealed).unwrap(),
            "whsec_abc"
        );
        assert!(keys.open(Purpose::LoginCode, &sealed).is_err());
        assert_ne!(sealed, keys.seal(Purpose::WebhookSecret, "whsec_abc"));
        let other = Keys::parse(&Keys::generate()).unwrap();
        assert!(other.open(Purpose::WebhookSecret, &sealed).is_err());
        let mut damaged = sealed.clone();
        damaged.insert(sealed.len() - 3, 'A');
        assert!(keys.open(Purpose::WebhookSecret, &damaged).is_err());
    }

    #[test]
    fn rotation_opens_with_old_keys_and_seals_with_the_new_one() {
        let (old, new) = (Keys::generate(), hex::encode(rand::random::<[u8; 32]>()));
        let before = Keys::parse(&old).unwrap();
        let sealed = before.seal(Purpose::LoginCode, "123456");
        let rotated = Keys::parse(&format!("{new}, {old}")).unwrap();
        assert!(!rotated.is_current(&sealed));
        assert_eq!(rotated.open(Purpose::LoginCode, &sealed).unwrap(), "123456");
        assert!(rotated.is_current(&rotated.seal(Purpose::LoginCode, "1")));
    }

    #[test]
    fn digests_need_the_key() {
        let keys = Keys::parse(&Keys::generate()).unwrap();
        let code = keys.digest(Purpose::LoginCode, "123456");
        assert_eq!(code, keys.digest(Purpose::LoginCode, "123456"));
        assert_ne!(code, keys.digest(Purpose::LoginCode, "123457"));
        assert_ne!(code, keys.digest(Purpose::WebhookSecret, "123456"));
        assert_ne!(code, hex::encode(Sha256::digest(b"123456")));
        let other = Keys::parse(&Keys::generate()).unwrap();
        assert_ne!(code, other.digest(Purpose::LoginCode, "123456"));
    }

    #[test]
    fn keys_must_be_32_bytes() {
        assert!(Keys::parse("short").is_err());
        assert!(Keys::parse("").is_err());
        assert!(Keys::parse(&STANDARD.encode([7u8; 16])).is_err());
        assert!(Keys::parse(&URL_SAFE_NO_PAD.encode([7u8; 32])).is_ok());
        assert!(format!("{:?}", Keys::parse(&Keys::generate()).unwrap()).contains("***"));
    }
}
