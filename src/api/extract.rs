//! Request bodies and query strings with clear errors, pagination, and field
//! validation.

use std::collections::BTreeMap;

use axum::{
    extract::{FromRequest, FromRequestParts, Request, rejection::JsonRejection},
    http::request::Parts,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::{IntoParams, ToSchema};

use crate::error::AppError;

/// A JSON object body; a wrong type or a missing field is a 400 naming it.
/// (serde would also read a struct from an array; the API only takes objects.)
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) if v.is_object() => serde_json::from_value(v)
                .map(Body)
                .map_err(|e| AppError::BadRequest(format!("invalid JSON body: {e}"))),
            Ok(_) => Err(AppError::BadRequest(
                "the body must be a JSON object".into(),
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::BadRequest(format!(
                "invalid JSON body: {}",
                e.body_text().trim_start_matches(
                    "Failed to deserialize the JSON body into the target type: "
                )
            ))),
            Err(JsonRejection::BytesRejection(e)) if e.status().as_u16() == 413 => {
                Err(AppError::TooLarge("request body too large".into()))
            }
            Err(e) => Err(AppError::BadRequest(e.body_text())),
        }
    }
}

/// Like `Body`, for requests whose fields are all optional: no body at all
/// (as `curl -X POST` sends) means the defaults.
pub struct OptionalBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let empty = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0")
            || (!req
                .headers()
                .contains_key(axum::http::header::CONTENT_LENGTH)
                && !req
                    .headers()
                    .contains_key(axum::http::header::TRANSFER_ENCODING));
        if empty {
            return Ok(Self(T::default()));
        }
        Body::<T>::from_request(req, state)
            .await
            .map(|Body(t)| Self(t))
    }
}

/// A query string; a bad value is a 400 naming the parameter.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Params(q.0))
            .map_err(|e| {
                AppError::BadRequest(
                    e.body_text()
                        .replace("Failed to deserialize query string: ", "invalid query: "),
                )
            })
    }
}

/// A path segment; a value of the wrong type is a JSON 400.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Id<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Id(p.0))
            .map_err(|e| AppError::BadRequest(format!("invalid path: {}", e.body_text())))
    }
}

/// `limit` (1–200, default 50) and `offset` (default 0).
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Items per page, 1 to 200.
    pub limit: Option<i64>,
    /// How many to skip.
    pub offset: Option<i64>,
}

impl Page {
    pub fn resolve(self) -> Result<(i64, i64), AppError> {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=200).contains(&limit) {
            return Err(AppError::field("limit", "must be between 1 and 200"));
        }
        if !(0..=1_000_000_000).contains(&offset) {
            return Err(AppError::field("offset", "must be 0 or more"));
        }
        Ok((limit, offset))
    }
}

/// A page of results. `next_offset` is null on the last page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    pub data: Vec<T>,
    pub next_offset: Option<i64>,
}

impl<T> Paged<T> {
    /// Builds a page from rows fetched with one extra to detect a next page.
    pub fn from_rows<R>(mut rows: Vec<R>, limit: i64, offset: i64, map: impl Fn(R) -> T) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Self {
            data: rows.into_iter().map(map).collect(),
            next_offset: more.then_some(offset + limit),
        }
    }
}

/// Collects field errors and reports them together.
#[derive(Default)]
pub struct Check {
    fields: BTreeMap<String, String>,
}

impl Check {
    pub fn fail(&mut self, field: &str, why: impl Into<String>) {
        self.fields
            .entry(field.to_string())
            .or_insert_with(|| why.into());
    }

    /// A trimmed text of `min..=max` characters without control characters.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        let v = value.trim();
        let n = v.chars().count();
        if n < min || n > max {
            self.fail(field, format!("must be {min} to {max} characters"));
        } else if v.chars().any(char::is_control) {
            self.fail(field, "must not contain control characters");
        }
        v.to_string()
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.fail(field, format!("must be between {min} and {max}"));
        }
    }

    pub fn done(self) -> Result<(), AppError> {
        if self.fields.is_empty() {
            return Ok(());
        }
        let message = self
            .fields
            .iter()
            .map(|(f, why)| format!("{f}: {why}"))
            .collect::<Vec<_>>()
            .join("; ");
        Err(AppError::Invalid {
            message,
            fields: self.fields,
        })
    }
}

/// A WhatsApp id as given: digits (`+`, spaces and dashes dropped).
pub fn wa_id(check: &mut Check, field: &str, value: &str) -> String {
    crate::config::normalise_phone(value).unwrap_or_else(|| {
        check.fail(field, "must be a phone number in international format");
        String::new()
    })
}
