//! The Graph API's catalogue calls: the items batch that updates products
//! (`POST /{catalog_id}/items_batch`), its status check
//! (`GET /{catalog_id}/check_batch_request_status`) and the product list
//! (`GET /{catalog_id}/products`). They reuse the message client's HTTP
//! client, base URL and token; every URL is built from that base (paging
//! follows the `after` cursor, never a URL from the answer).

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde::{Deserialize, Serialize};

use super::graph::{GraphClient, GraphResult, classify, without_url};

/// The values of one product Meta is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductUpdate {
    /// The item's SKU, the product's `retailer_id`.
    pub id: String,
    pub availability: &'static str,
    pub inventory: i64,
    /// "12.50 ZAR"; left out when the item has no price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
}

/// Why a catalogue call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// Network, outage or throttling: worth another try later.
    #[error("{0}")]
    Transient(String),
    /// A bad token, a missing permission, a wrong catalogue id.
    #[error("{0}")]
    Permanent(String),
}

/// Meta's answer to a batch: handles to check, and items refused at once.
#[derive(Debug, Default, Deserialize)]
pub struct BatchAccepted {
    #[serde(default)]
    pub handles: Vec<String>,
    #[serde(default)]
    pub validation_status: Vec<ItemProblems>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ItemProblems {
    #[serde(default)]
    pub retailer_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<Problem>,
}

/// One error Meta reports; `id` is the retailer_id in status checks.
#[derive(Debug, Default, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub message: String,
}

/// A batch's processing state.
#[derive(Debug, Default, Deserialize)]
pub struct BatchStatus {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub errors: Vec<Problem>,
}

impl BatchStatus {
    /// Meta documents `finished`; `error` ends processing too.
    pub fn is_over(&self) -> bool {
        matches!(self.status.as_str(), "finished" | "error")
    }
}

#[derive(Deserialize)]
struct StatusList {
    #[serde(default)]
    data: Vec<BatchStatus>,
}

/// A product as the catalogue lists it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CatalogProduct {
    #[serde(default)]
    pub retailer_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Shown form ("R12.50"); the currency says how to read it.
    #[serde(default)]
    pub price: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
}

#[derive(Deserialize)]
struct ProductList {
    #[serde(default)]
    data: Vec<CatalogProduct>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    cursors: Option<Cursors>,
    /// Present only when another page follows.
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

impl GraphClient {
    /// Sends product updates as one batch. `allow_upsert` is off: an update
    /// for a SKU the catalogue lacks is refused rather than creating a
    /// product with no name or picture.
    pub async fn items_batch(
        &self,
        catalog_id: &str,
        updates: &[ProductUpdate],
    ) -> Result<BatchAccepted, CatalogError> {
        #[derive(Serialize)]
        struct Request<'a> {
            method: &'static str,
            data: &'a ProductUpdate,
        }
        let requests: Vec<Request<'_>> = updates
            .iter()
            .map(|data| Request {
                method: "UPDATE",
                data,
            })
            .collect();
        let body = serde_json::json!({
            "item_type": "PRODUCT_ITEM",
            "allow_upsert": false,
            "requests": requests,
        });
        let url = format!("{}/{catalog_id}/items_batch", self.base);
        let req = self.http.post(url).header(CONTENT_TYPE, "application/json");
        read(self.call(req.body(body.to_string())).await?)
    }

    /// How far Meta got with a batch.
    pub async fn batch_status(
        &self,
        catalog_id: &str,
        handle: &str,
    ) -> Result<BatchStatus, CatalogError> {
        let url = format!("{}/{catalog_id}/check_batch_request_status", self.base);
        let url = with_query(&url, &[("handle", handle)])?;
        let list: StatusList = read(self.call(self.http.get(url)).await?)?;
        Ok(list.data.into_iter().next().unwrap_or_default())
    }

    /// One page of the catalogue's products and the cursor of the next.
    pub async fn products_page(
        &self,
        catalog_id: &str,
        after: Option<&str>,
    ) -> Result<(Vec<CatalogProduct>, Option<String>), CatalogError> {
        let url = format!("{}/{catalog_id}/products", self.base);
        let mut query = vec![
            (
                "fields",
                "retailer_id,name,price,currency,availability,inventory",
            ),
            ("limit", "100"),
        ];
        if let Some(after) = after {
            query.push(("after", after));
        }
        let url = with_query(&url, &query)?;
        let list: ProductList = read(self.call(self.http.get(url)).await?)?;
        let next = list
            .paging
            .filter(|p| p.next.is_some())
            .and_then(|p| p.cursors?.after);
        Ok((list.data, next))
    }

    /// Sends a request with the token; the body of a 2xx answer, else why not.
    async fn call(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>, CatalogError> {
        let res = req
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| CatalogError::Transient(format!("request failed: {}", without_url(&e))))?;
        let status = res.status().as_u16();
        let body = res.bytes().await.map_err(|e| {
            CatalogError::Transient(format!("reading the answer failed: {}", without_url(&e)))
        })?;
        if (200..300).contains(&status) {
            return Ok(body.to_vec());
        }
        Err(match classify(status, &body, None) {
            GraphResult::Transient { message, .. } => CatalogError::Transient(message),
            GraphResult::Permanent { message, .. } => CatalogError::Permanent(message),
            other => CatalogError::Transient(format!("HTTP {status}: {other:?}")),
        })
    }
}

/// The URL with its query encoded (a handle or cursor may hold any character).
fn with_query(url: &str, query: &[(&str, &str)]) -> Result<reqwest::Url, CatalogError> {
    reqwest::Url::parse_with_params(url, query)
        .map_err(|e| CatalogError::Permanent(format!("bad Graph URL: {e}")))
}

fn read<T: serde::de::DeserializeOwned>(body: Vec<u8>) -> Result<T, CatalogError> {
    serde_json::from_slice(&body)
        .map_err(|e| CatalogError::Transient(format!("unreadable answer from Graph: {e}")))
}
