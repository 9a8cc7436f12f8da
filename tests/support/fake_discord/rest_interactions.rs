//! Interaction REST routes: the initial callback
//! (`POST /interactions/{id}/{token}/callback`) and the interaction webhook
//! (`/webhooks/{app}/{token}`: followups and `messages/@original`).
//!
//! Like Discord, the fake only knows interactions it dispatched over the
//! gateway: an unknown one answers 404 / 10062, a second callback 400 /
//! 40060, webhook routes before the callback 404 / 10015.

use serde_json::{Value, json};

use super::payloads::now_timestamp;
use super::rest::{Reply, interaction_message};
use super::state::{Shared, lock};

const KIND_COMMAND: u64 = 2;
const KIND_COMPONENT: u64 = 3;
const KIND_AUTOCOMPLETE: u64 = 4;
const KIND_MODAL_SUBMIT: u64 = 5;

/// `POST /interactions/{id}/{token}/callback`.
pub fn callback(shared: &Shared, iid: &str, token: &str, body: &Value, with_response: bool) -> Reply {
    let mut interactions = lock(&shared.interactions);
    let record = iid.parse().ok().and_then(|i: u64| interactions.get_mut(&i));
    let Some(record) = record.filter(|r| r.token == token) else {
        return Reply::error(404, "Unknown interaction", 10062);
    };
    if record.callback_type.is_some() {
        return Reply::error(400, "Interaction has already been acknowledged.", 40060);
    }
    let cb_type = body.get("type").and_then(Value::as_u64).unwrap_or(0);
    let allowed = match cb_type {
        4 | 5 | 9 => {
            matches!(record.kind, KIND_COMMAND | KIND_COMPONENT | KIND_MODAL_SUBMIT)
                && !(cb_type == 9 && record.kind == KIND_MODAL_SUBMIT)
        }
        6 | 7 => matches!(record.kind, KIND_COMPONENT | KIND_MODAL_SUBMIT),
        8 => record.kind == KIND_AUTOCOMPLETE,
        _ => false,
    };
    if !allowed {
        return Reply::error(400, "Invalid Form Body (interaction callback type)", 50035);
    }
    let data = body.get("data").cloned().filter(|d| !d.is_null()).unwrap_or(json!({}));
    let original = match cb_type {
        4 | 7 => Some(interaction_message(shared, record.channel_id, &data)),
        5 => {
            let mut msg = interaction_message(shared, record.channel_id, &json!({}));
            let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0);
            msg["flags"] = json!(flags | 128); // LOADING
            Some(msg)
        }
        _ => None,
    };
    record.callback_type = Some(cb_type);
    record.original.clone_from(&original);
    if !with_response {
        return Reply { status: 204, body: None };
    }
    let ephemeral = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64 != 0;
    let mut resource = json!({ "type": cb_type });
    if let Some(msg) = &original {
        resource["message"] = msg.clone();
    }
    Reply {
        status: 200,
        body: Some(json!({
            "interaction": {
                "id": record.id.to_string(),
                "type": record.kind,
                "activity_instance_id": null,
                "response_message_id": original.as_ref().map(|m| m["id"].clone()),
                "response_message_loading": cb_type == 5,
                "response_message_ephemeral": ephemeral,
            },
            "resource": resource,
        })),
    }
}

/// `/webhooks/{app}/{token}[/messages/{id|@original}]` for interaction tokens.
pub fn webhook(shared: &Shared, m: &str, app: &str, token: &str, rest: &[&str], body: &Value) -> Reply {
    let application_id = shared.world().application_id;
    let unknown_webhook = || Reply::error(404, "Unknown Webhook", 10015);
    if app.parse::<u64>().ok() != Some(application_id) {
        return unknown_webhook();
    }
    let mut interactions = lock(&shared.interactions);
    let Some(record) = interactions.values_mut().find(|r| r.token == token) else {
        return unknown_webhook();
    };
    if record.callback_type.is_none() {
        return unknown_webhook();
    }
    let channel_id = record.channel_id;
    match (m, rest) {
        ("POST", []) => Reply { status: 200, body: Some(interaction_message(shared, channel_id, body)) },
        ("GET", ["messages", "@original"]) => match &record.original {
            Some(msg) => Reply { status: 200, body: Some(msg.clone()) },
            None => Reply::error(404, "Unknown Message", 10008),
        },
        ("PATCH", ["messages", "@original"]) => {
            let fresh = interaction_message(shared, channel_id, body);
            let merged = match &record.original {
                Some(original) => merge_edit(original, body),
                None => fresh,
            };
            record.original = Some(merged.clone());
            Reply { status: 200, body: Some(merged) }
        }
        ("DELETE", ["messages", "@original"]) => {
            record.original = None;
            Reply { status: 204, body: None }
        }
        ("PATCH", ["messages", mid]) => {
            let mut msg = interaction_message(shared, channel_id, body);
            msg["id"] = json!(mid);
            msg["edited_timestamp"] = json!(now_timestamp());
            Reply { status: 200, body: Some(msg) }
        }
        ("DELETE", ["messages", _]) => Reply { status: 204, body: None },
        _ => Reply::error(404, "404: Not Found", 0),
    }
}

/// Applies an edit body to a message: `content`, `embeds`, `components`,
/// `flags` replace the old values when present; a deferred (loading)
/// message stops loading.
fn merge_edit(original: &Value, body: &Value) -> Value {
    let mut msg = original.clone();
    for field in ["content", "embeds", "components"] {
        if let Some(v) = body.get(field).filter(|v| !v.is_null()) {
            msg[field] = v.clone();
        }
    }
    if let Some(embeds) = msg.get_mut("embeds").and_then(Value::as_array_mut) {
        for embed in embeds {
            embed["type"] = json!("rich");
        }
    }
    let flags = msg.get("flags").and_then(Value::as_u64).unwrap_or(0) & !128;
    msg["flags"] = json!(flags);
    msg["edited_timestamp"] = json!(now_timestamp());
    msg
}
