//! API tokens: `bk_` and 192 random bits, shown once, stored as a SHA-256
//! hash. A request's bearer token is looked up by its hash, so nothing
//! secret is ever compared byte by byte.

use std::{
    num::NonZeroU32,
    time::{Duration, Instant},
};

use axum::{extract::FromRequestParts, http::request::Parts};
use base64::Engine;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};
use sha2::{Digest, Sha256};

use super::ApiState;
use crate::{
    error::AppError,
    net::ClientAddr,
    storage::{self, Db, tokens},
};

/// What a token may do; each scope includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Write,
    Admin,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }
}

/// A token as created: the secret is only ever in `token`.
pub struct NewToken {
    pub token: String,
    pub row: tokens::TokenRow,
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token with the given scopes.
pub async fn create(db: &Db, name: &str, scopes: &[Scope]) -> Result<NewToken, sqlx::Error> {
    let secret: [u8; 24] = rand::random();
    let token = format!(
        "bk_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    let mut scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let row = tokens::insert(
        db,
        name,
        &token[..10],
        &hash(&token),
        &scopes.join(" "),
        storage::now_ms(),
    )
    .await?;
    Ok(NewToken { token, row })
}

/// The caller of an API request, authenticated.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub scopes: Vec<Scope>,
    /// How the ledger and events name this caller: `api:bk_AbCdEf`.
    pub actor: String,
}

impl Caller {
    pub fn require(&self, scope: Scope) -> Result<(), AppError> {
        if self.scopes.iter().any(|s| *s >= scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "this token lacks the {} scope",
                scope.as_str()
            )))
        }
    }
}

/// Per-token request budget.
pub struct Limits {
    limiter: DefaultKeyedRateLimiter<i64>,
    /// When each token's `last_used_at` was last written, to write it at most once a minute.
    touched: std::sync::Mutex<std::collections::HashMap<i64, Instant>>,
}

impl Limits {
    pub fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).expect("at least one");
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)),
            touched: Default::default(),
        }
    }

    fn check(&self, token_id: i64) -> Result<(), AppError> {
        self.limiter.check_key(&token_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            AppError::TooManyRequests {
                retry_after: wait.as_secs().max(1),
            }
        })
    }

    fn should_touch(&self, token_id: i64) -> bool {
        let mut touched = self.touched.lock().expect("not poisoned");
        let due = touched
            .get(&token_id)
            .is_none_or(|t| t.elapsed() > Duration::from_secs(60));
        if due {
            touched.insert(token_id, Instant::now());
        }
        due
    }
}

/// Wrong tokens one address may present per minute before it is refused
/// (429) whatever it presents, so tokens cannot be guessed.
pub const BAD_TOKENS_PER_MINUTE: u32 = 30;

impl FromRequestParts<ApiState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, AppError> {
        let Ok(ClientAddr(client)) = ClientAddr::from_request_parts(parts, state).await;
        if let Some(retry_after) = state.bad_tokens.refused(client) {
            return Err(AppError::TooManyRequests { retry_after });
        }
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| AppError::Unauthorized("missing Authorization: Bearer token".into()))?;
        let strike = |why: &str| {
            state.bad_tokens.strike(client);
            AppError::Unauthorized(why.into())
        };
        // The scheme is case-insensitive (RFC 9110); the token is not.
        let token = header
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
            .map(|_| header[7..].trim())
            .filter(|t| t.starts_with("bk_") && t.len() < 200)
            .ok_or_else(|| strike("expected Authorization: Bearer bk_…"))?;
        let row = tokens::find_live(&state.shop.db, &hash(token))
            .await?
            .ok_or_else(|| strike("unknown or revoked token"))?;
        state.limits.check(row.id)?;
        if state.limits.should_touch(row.id) {
            tokens::touch(&state.shop.db, row.id, storage::now_ms()).await?;
        }
        Ok(Caller {
            token_id: row.id,
            scopes: row.scopes.split(' ').filter_map(Scope::parse).collect(),
            actor: format!("api:{}", row.prefix),
        })
    }
}

/// Extractors that authenticate and check the scope before anything else in
/// the request is looked at: a token without the scope gets 403 whatever the
/// path, query or body (a 400 first would tell it the schema). Handlers take
/// one of them as their first argument.
macro_rules! scoped {
    ($name:ident, $scope:expr, $doc:literal) => {
        #[doc = $doc]
        pub struct $name(pub Caller);

        impl FromRequestParts<ApiState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &ApiState,
            ) -> Result<Self, AppError> {
                let caller = Caller::from_request_parts(parts, state).await?;
                caller.require($scope)?;
                Ok(Self(caller))
            }
        }
    };
}

scoped!(
    Reader,
    Scope::Read,
    "A caller with the `read` scope (or more)."
);
scoped!(
    Writer,
    Scope::Write,
    "A caller with the `write` scope (or more)."
);
scoped!(Admin, Scope::Admin, "A caller with the `admin` scope.");
