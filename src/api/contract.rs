//! The event contract in the API reference: OpenAPI 3.1 `webhooks`, one per
//! event type, whose `data` schemas are generated from the domain payloads.

use std::fmt::Write;

use serde_json::Value;

use super::docs::{esc, schema_ref};
use crate::domain::{event as ev, sample::sample};

/// The event contract as OpenAPI 3.1 `webhooks` (utoipa 5 cannot say them):
/// per event type, the body subscribers receive, its `data` a schema
/// generated from the domain payload type.
pub(super) fn add_webhooks(doc: &mut Value) {
    let mut hooks = serde_json::Map::new();
    for kind in ev::EventType::ALL {
        let data = format!("#/components/schemas/{}", kind.schema_name());
        let body = serde_json::json!({
            "type": "object",
            "required": ["id", "event", "timestamp", "data"],
            "properties": {
                "id": {"type": "string", "description": "`evt_…`; also the `webhook-id` header. Stable across retries: deduplicate on it."},
                "event": {"const": kind.as_str()},
                "timestamp": {"type": "string", "format": "date-time", "description": "When it was recorded."},
                "data": {"$ref": data},
            },
        });
        let example = serde_json::json!({
            "id": "evt_0123456789abcdef0123456789abcdef", "event": kind.as_str(),
            "timestamp": "2026-06-09T10:13:20.000Z", "data": sample(kind).data(),
        });
        hooks.insert(
            kind.as_str().to_string(),
            serde_json::json!({"post": {
                "summary": format!("`{kind}`"),
                "description": "Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). \
                    Changes are additive only: new keys may appear, none is renamed, retyped or removed; \
                    a breaking change comes as a new event type.",
                "operationId": format!("webhook_{}", kind.as_str().replace('.', "_")),
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": body, "example": example}}},
                "responses": {"2XX": {"description": "Received. Anything else is retried on the schedule; 410 turns the subscription off."}},
            }}),
        );
    }
    doc["webhooks"] = Value::Object(hooks);
    for kind in ev::EventType::ALL {
        // The test event leaves out its sample when none was asked for.
        if kind != ev::EventType::WebhookTest {
            require_every_key(doc, kind.schema_name());
        }
    }
}

/// Marks every property of a payload schema, and of the schemas it refers
/// to, required: backroom always sends every key (null when it has no
/// value), which is what lets a receiver rely on one shape.
fn require_every_key(doc: &mut Value, name: &str) {
    let schema = &mut doc["components"]["schemas"][name];
    let Some(props) = schema["properties"].as_object() else {
        return;
    };
    let keys: Vec<Value> = props.keys().cloned().map(Value::from).collect();
    let mut refs = Vec::new();
    collect_refs(&schema["properties"], &mut refs);
    schema["required"] = Value::Array(keys);
    for r in refs {
        if r != name {
            require_every_key(doc, &r);
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                out.extend(r.rsplit('/').next().map(String::from));
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The `webhooks` section: each event type, its `data` schema and an example body.
pub(super) fn render_webhooks(out: &mut String, doc: &Value) {
    out.push_str(
        "<h2 id=\"webhooks\">Webhooks: events sent to subscribers</h2>\
         <p>Each event type has one shape, whoever causes it. Changes are additive only; \
         a breaking change comes as a new event type.</p>",
    );
    let empty = serde_json::Map::new();
    for (kind, hook) in doc["webhooks"].as_object().unwrap_or(&empty) {
        let content = &hook["post"]["requestBody"]["content"]["application/json"];
        let _ = write!(
            out,
            "<section class=\"op\" id=\"event-{0}\"><h3><code>{0}</code></h3><p>data: {1}</p><pre>{2}</pre></section>",
            esc(kind),
            schema_ref(&content["schema"]["properties"]["data"]),
            esc(&serde_json::to_string_pretty(&content["example"]).unwrap_or_default())
        );
    }
}
