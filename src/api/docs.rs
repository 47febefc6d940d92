//! The API reference: an OpenAPI 3.1 document generated from the handlers,
//! and a readable page rendered from it on the server (no scripts, no CDN).

use std::{fmt::Write, sync::LazyLock};

use axum::{Json, response::Html};
use serde_json::Value;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::contract::{add_webhooks, render_webhooks};
use super::{
    contacts, counts, deliveries, events, items, locations, messages, orders, purchase_orders,
    stock, subscriptions, suppliers, tokens,
};
use crate::domain::event as ev;

#[derive(OpenApi)]
#[openapi(
    info(title = "backroom API", version = "1",
        description = "Stock, orders, contacts and WhatsApp messages of a backroom shop. \
            Authenticate with `Authorization: Bearer bk_…` (create a token with `backroom token create`). \
            Scopes: `read` ⊂ `write` ⊂ `admin`. Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`. \
            Lists take `limit` (1–200) and `offset` and return `{\"data\", \"next_offset\"}`. \
            Requests are limited per token; over the limit gives 429 with `Retry-After`."),
    paths(
        items::list, items::get, items::create, items::update, items::delete,
        stock::adjust, stock::set, stock::movements, stock::item_movements, counts::list,
        orders::list, orders::get, orders::create, orders::update,
        suppliers::list, suppliers::get, suppliers::create, suppliers::update, suppliers::set_item,
        purchase_orders::list, purchase_orders::get, purchase_orders::create, purchase_orders::receive, purchase_orders::cancel,
        locations::list, locations::transfers, locations::transfer, locations::send, locations::receive,
        contacts::list, contacts::set_role, locations::set_staff_locations,
        messages::list, messages::send,
        tokens::list, tokens::create, tokens::revoke,
        subscriptions::create, subscriptions::list, subscriptions::get, subscriptions::update, subscriptions::delete,
        subscriptions::rotate, deliveries::logs, deliveries::stats, deliveries::test,
        deliveries::retry, deliveries::replay, events::feed,
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail,
        ev::EventType, ev::MessageReceived, ev::MessageSent, ev::MessageStatus, ev::InventoryUpdated,
        ev::StockLow, ev::OrderCreated, ev::OrderChanged, ev::ContactConsent, ev::WebhookTest,
        ev::PurchaseOrderChanged, ev::PurchaseOrderReceived)),
    modifiers(&BearerToken, &CommonErrors),
    tags(
        (name = "items", description = "The catalogue"),
        (name = "stock", description = "Stock changes and the ledger"),
        (name = "orders", description = "Customer orders"),
        (name = "purchasing", description = "Suppliers and purchase orders"),
        (name = "locations", description = "Locations (one per WhatsApp number) and transfers between them"),
        (name = "contacts", description = "People and their roles"),
        (name = "messages", description = "The WhatsApp conversation log and sending"),
        (name = "tokens", description = "API tokens (admin)"),
        (name = "webhooks", description = "Event subscriptions: signed deliveries, logs, stats, tests"),
        (name = "events", description = "The event log, for systems that poll or fell behind"),
    )
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("bk_ token")
                    .build(),
            ),
        );
    }
}

/// Answers any operation may give: bad input, auth, limits, an unavailable database.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Ref, ResponseBuilder, content::ContentBuilder};
        let common = [
            (
                "400",
                "Malformed request: not JSON, a wrong type or a missing field",
            ),
            ("401", "Missing, unknown or revoked token"),
            ("403", "The token lacks the scope"),
            ("413", "Request body too large"),
            (
                "422",
                "Invalid values; `fields` says what is wrong with each",
            ),
            ("429", "Over the token's rate limit; see Retry-After"),
            (
                "503",
                "The database is unavailable or the request timed out; retry",
            ),
        ];
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            let ops = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in ops.into_iter().flatten() {
                let not_found = has_id.then_some(("404", "No such resource"));
                for (status, why) in common.into_iter().chain(not_found) {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            ResponseBuilder::new()
                                .description(why)
                                .content(
                                    "application/json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                                        .build(),
                                )
                                .into()
                        });
                }
            }
        }
    }
}

static DOC: LazyLock<Value> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    add_webhooks(&mut doc);
    doc
});

/// The OpenAPI document, as served.
pub fn document() -> &'static Value {
    &DOC
}

pub async fn openapi_json() -> Json<Value> {
    Json(DOC.clone())
}

static PAGE: LazyLock<String> = LazyLock::new(|| render(&DOC));

pub async fn page() -> Html<&'static str> {
    Html(PAGE.as_str())
}

/// The reference page's stylesheet, a file of its own so the Content
/// Security Policy allows no inline style.
const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif,\"Noto Color Emoji\";max-width:60rem;margin:auto;padding:1rem;color:#222;overflow-wrap:anywhere}\
code,pre{font:13px ui-monospace,monospace;background:#f4f4f4;border-radius:4px}\
pre{padding:.6rem;overflow-x:auto;max-width:100%}code{padding:0 .2rem;word-break:break-all}\
table{display:block;overflow-x:auto;max-width:100%}\
.op{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1.5rem}\
.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}\
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}\
nav a{margin-right:.8rem}";

pub async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the reference: one section per operation with its parameters,
/// body, responses and examples.
fn render(doc: &Value) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>backroom API</title><link rel=\"stylesheet\" href=\"/assets/docs.css\">\
         </head><body>",
    );
    let info = &doc["info"];
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI {}).</p>",
        esc(info["title"].as_str().unwrap_or("API")),
        esc(info["description"].as_str().unwrap_or("")),
        esc(doc["openapi"].as_str().unwrap_or("3.1")),
    );
    let empty = serde_json::Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap_or(&empty) {
            render_op(&mut out, doc, path, method, op);
        }
    }
    render_webhooks(&mut out, doc);
    out.push_str("<h2>Schemas</h2>");
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap_or(&empty) {
        let _ = write!(
            out,
            "<h3 id=\"schema-{0}\">{0}</h3><pre>{1}</pre>",
            esc(name),
            esc(&serde_json::to_string_pretty(schema).unwrap_or_default())
        );
    }
    out.push_str("</body></html>");
    out
}

fn render_op(out: &mut String, doc: &Value, path: &str, method: &str, op: &Value) {
    let scopes = op["security"][0]["token"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"op\"><h2><span class=\"m\">{}</span> <code>{}</code></h2><p>{}</p><p>Scope: <code>{}</code></p>",
        esc(method),
        esc(path),
        esc(op["summary"]
            .as_str()
            .or(op["description"].as_str())
            .unwrap_or("")),
        esc(&scopes)
    );
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str(
            "<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>",
        );
        for p in params {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p["name"].as_str().unwrap_or("")),
                esc(p["in"].as_str().unwrap_or("")),
                p["required"].as_bool().unwrap_or(false),
                esc(p["description"].as_str().unwrap_or(""))
            );
        }
        out.push_str("</table>");
    }
    if let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
        let _ = write!(
            out,
            "<p>Body: {}</p>",
            schema_ref(&Value::Object(schema.clone()))
        );
        if let Some(example) = example_of(doc, &Value::Object(schema.clone())) {
            let _ = write!(
                out,
                "<pre>{}</pre>",
                esc(&serde_json::to_string_pretty(&example).unwrap_or_default())
            );
        }
    }
    out.push_str("<p>Responses:</p><ul>");
    if let Some(responses) = op["responses"].as_object() {
        for (status, r) in responses {
            let schema = &r["content"]["application/json"]["schema"];
            let _ = write!(
                out,
                "<li><code>{}</code> {} {}</li>",
                esc(status),
                esc(r["description"].as_str().unwrap_or("")),
                if schema.is_null() {
                    String::new()
                } else {
                    schema_ref(schema)
                }
            );
        }
    }
    out.push_str("</ul></section>");
}

/// A link to a referenced schema, or the inline schema's type.
pub(super) fn schema_ref(schema: &Value) -> String {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or(r);
            format!("<a href=\"#schema-{0}\"><code>{0}</code></a>", esc(name))
        }
        None => format!("<code>{}</code>", esc(&schema.to_string())),
    }
}

fn example_of(doc: &Value, schema: &Value) -> Option<Value> {
    let name = schema["$ref"].as_str()?.rsplit('/').next()?;
    let example = doc["components"]["schemas"][name]["example"].clone();
    (!example.is_null()).then_some(example)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_documented_and_secured() {
        let doc = document();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 12);
        for (path, ops) in paths {
            for (method, op) in ops.as_object().unwrap() {
                assert!(
                    op["summary"].is_string() || op["description"].is_string(),
                    "{method} {path}"
                );
                assert!(op["security"].is_array(), "{method} {path} has no security");
                assert!(
                    op["responses"].as_object().unwrap().len() >= 2,
                    "{method} {path}"
                );
            }
        }
        let hooks = doc["webhooks"].as_object().unwrap();
        assert_eq!(hooks.len(), ev::EventType::ALL.len());
        for (kind, hook) in hooks {
            let data = &hook["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
                ["data"]["$ref"];
            let name = data.as_str().unwrap().rsplit('/').next().unwrap();
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{kind}: {name}"
            );
        }
        let page = render(doc);
        assert!(page.contains("id=\"event-order.created\""));
        assert!(page.contains("/api/v1/items/{id}/adjust"));
        assert!(!page.contains("<script"));
    }
}
