//! Validation of recorded REST requests against Discord's OpenAPI spec
//! (`shared/reference/discord-api-spec/openapi.json`), plus the harness's
//! "allowed_mentions parses nothing" rule.
//!
//! The spec (OpenAPI 3.1, i.e. JSON Schema 2020-12) is parsed once per test
//! process. For each `(method, path template)` a validator is compiled once
//! over a root document `{ "$schema", "components": {"schemas": …}, …operation
//! schema… }`, so the operation's `#/components/schemas/…` refs resolve.
//!
//! Known spec quirk patched at load: permission bitfields
//! (`default_member_permissions`, `permissions`, `allow`, `deny`) are typed
//! `integer` in the spec, but Discord documents (and serenity sends) them as
//! decimal strings; both forms are accepted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value, json};

/// Where the spec lives, relative to this crate.
pub fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/discord-api-spec/openapi.json")
}

/// One path template such as `/interactions/{interaction_id}/{interaction_token}/callback`.
struct Template {
    raw: String,
    /// `None` for a `{placeholder}` segment.
    segments: Vec<Option<String>>,
}

/// The parsed spec with its path templates.
pub struct OpenApi {
    spec: Value,
    templates: Vec<Template>,
    /// `components.schemas`, with the quirk patches applied.
    schemas: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// The process-wide spec, loaded on first use.
pub fn openapi() -> Result<&'static OpenApi, String> {
    static SPEC: OnceLock<Result<OpenApi, String>> = OnceLock::new();
    SPEC.get_or_init(OpenApi::load).as_ref().map_err(Clone::clone)
}

/// Strips `/api/v10` (or `/api`) from a request path.
pub fn api_relative(path: &str) -> &str {
    path.strip_prefix("/api/v10").or_else(|| path.strip_prefix("/api")).unwrap_or(path)
}

impl OpenApi {
    fn load() -> Result<Self, String> {
        let path = spec_path();
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read OpenAPI spec {}: {e}", path.display()))?;
        let spec: Value = serde_json::from_str(&text).map_err(|e| format!("OpenAPI spec is not JSON: {e}"))?;
        let templates = spec
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("OpenAPI spec has no `paths`")?
            .keys()
            .map(|raw| Template {
                raw: raw.clone(),
                segments: raw
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect(),
            })
            .collect();
        let mut schemas =
            spec.pointer("/components/schemas").cloned().ok_or("OpenAPI spec has no `components.schemas`")?;
        patch_permission_strings(&mut schemas);
        Ok(Self { spec, templates, schemas, validators: Mutex::new(HashMap::new()) })
    }

    /// The spec template and operation object for a request, preferring the
    /// template with the most literal segments (`/users/@me` over
    /// `/users/{user_id}`). `path` may carry the `/api/v10` prefix.
    pub fn find_operation(&self, method: &str, path: &str) -> Option<(&str, &Value)> {
        let segments: Vec<&str> = api_relative(path).split('/').collect();
        let method = method.to_ascii_lowercase();
        self.templates
            .iter()
            .filter(|t| t.segments.len() == segments.len())
            .filter(|t| {
                t.segments.iter().zip(&segments).all(|(t, s)| match t {
                    Some(lit) => lit == s,
                    None => !s.is_empty(),
                })
            })
            .filter_map(|t| {
                let op = self.spec.get("paths")?.get(&t.raw)?.get(&method)?;
                Some((t.segments.iter().filter(|s| s.is_some()).count(), t.raw.as_str(), op))
            })
            .max_by_key(|(literals, _, _)| *literals)
            .map(|(_, raw, op)| (raw, op))
    }

    /// Validates a JSON body against the operation's `application/json`
    /// request schema. `Err` explains a missing operation, a body sent to an
    /// operation without one, or the schema violations.
    pub fn validate(&self, method: &str, path: &str, body: &Value) -> Result<(), String> {
        let (template, op) = self
            .find_operation(method, path)
            .ok_or_else(|| format!("no OpenAPI operation for {method} {}", api_relative(path)))?;
        let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
            return Err(format!("{method} {template} takes no JSON body, but one was sent"));
        };
        let key = format!("{} {template}", method.to_ascii_uppercase());
        let validator = self.validator(&key, schema)?;
        let errors: Vec<String> =
            validator.iter_errors(body).take(5).map(|e| format!("at `{}`: {e}", e.instance_path())).collect();
        if errors.is_empty() { Ok(()) } else { Err(format!("{key}: {}", errors.join("; "))) }
    }

    /// The cached validator for one operation, compiling it on first use.
    fn validator(&self, key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
        let mut cache = self.validators.lock().map_err(|_| "validator cache poisoned")?;
        if let Some(v) = cache.get(key) {
            return Ok(Arc::clone(v));
        }
        let mut root: Map<String, Value> = match schema {
            Value::Object(m) => m.clone(),
            other => Map::from_iter([("allOf".to_owned(), json!([other]))]),
        };
        root.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        root.insert("components".into(), json!({ "schemas": self.schemas }));
        let validator = jsonschema::validator_for(&Value::Object(root))
            .map_err(|e| format!("cannot compile schema for {key}: {e}"))?;
        let validator = Arc::new(validator);
        cache.insert(key.to_owned(), Arc::clone(&validator));
        Ok(validator)
    }
}

/// Lets permission bitfields be decimal strings as well as integers.
fn patch_permission_strings(node: &mut Value) {
    const FIELDS: [&str; 4] = ["default_member_permissions", "permissions", "allow", "deny"];
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for field in FIELDS {
                    if let Some(prop) = props.get_mut(field) {
                        let is_integer = match prop.get("type") {
                            Some(Value::String(t)) => t == "integer",
                            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                            _ => false,
                        };
                        if is_integer {
                            let original = prop.take();
                            *prop = json!({ "anyOf": [
                                original,
                                { "type": "string", "pattern": "^(0|[1-9][0-9]*)$" },
                            ]});
                        }
                    }
                }
            }
            map.values_mut().for_each(patch_permission_strings);
        }
        Value::Array(items) => items.iter_mut().for_each(patch_permission_strings),
        _ => {}
    }
}

/// The message payload inside a request body, if the request creates or
/// edits a message: message create/edit, webhook execute/edit (followups,
/// `@original`), and interaction callbacks of type 4 (message) and 7
/// (update). A deferred callback (5/6) counts only if its data has content.
pub fn message_payload<'a>(method: &str, path: &str, body: &'a Value) -> Option<&'a Value> {
    let segments: Vec<&str> = api_relative(path).trim_start_matches('/').split('/').collect();
    let method = method.to_ascii_uppercase();
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["channels", _, "messages"])
        | ("PATCH", ["channels", _, "messages", _])
        | ("POST", ["webhooks", _, _])
        | ("PATCH", ["webhooks", _, _, "messages", _]) => Some(body),
        ("POST", ["interactions", _, _, "callback"]) => {
            let data = body.get("data").filter(|d| !d.is_null());
            match body.get("type").and_then(Value::as_u64) {
                Some(4 | 7) => Some(data.unwrap_or(&Value::Null)),
                Some(5 | 6) => data.filter(|d| d.get("content").is_some()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The "mention nobody" rule: `payload` must carry `allowed_mentions` whose
/// `parse`, `users` and `roles` are empty or absent, and whose
/// `replied_user` is not `true`.
pub fn allowed_mentions_parse_nothing(payload: &Value) -> Result<(), String> {
    let Some(am) = payload.get("allowed_mentions").filter(|a| !a.is_null()) else {
        return Err("message payload has no allowed_mentions".to_owned());
    };
    for list in ["parse", "users", "roles"] {
        match am.get(list) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) if items.is_empty() => {}
            Some(other) => return Err(format!("allowed_mentions.{list} is not empty: {other}")),
        }
    }
    if am.get("replied_user") == Some(&Value::Bool(true)) {
        return Err("allowed_mentions.replied_user is true".to_owned());
    }
    Ok(())
}
