//! State shared by the REST server, the gateway and the test's handle:
//! the request log, injected faults, registered commands and the
//! interactions the gateway has dispatched.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::watch;

use super::gateway::GatewayHub;
use super::world::World;

/// One REST request as the fake received it, with the answer it gave.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in the request log (0-based).
    pub index: usize,
    /// Upper-case HTTP method (`"POST"`).
    pub method: String,
    /// Full path as sent, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// Raw query string without `?` (serenity sends e.g. `&with_response=true`).
    pub query: Option<String>,
    /// JSON body (for multipart requests: the `payload_json` part).
    pub body: Option<Value>,
    /// File names of multipart attachments.
    pub files: Vec<String>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The status the fake answered with.
    pub status: u16,
    /// The JSON the fake answered with (`None` for 204).
    pub response: Option<Value>,
    /// When the fake's handler got the request (body read, before
    /// routing): the arrival instant latency measurements end at.
    pub received_at: Instant,
}

impl Recorded {
    /// The path relative to `/api/v10`, as the OpenAPI spec spells paths.
    pub fn api_path(&self) -> &str {
        super::openapi::api_relative(&self.path)
    }

    /// Whether this request has `method` and its API path starts with
    /// `prefix` (with or without the `/api/v10` prefix).
    pub fn is(&self, method: &str, prefix: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.api_path().starts_with(super::openapi::api_relative(prefix))
    }

    /// A query parameter's value (`None` if absent; `Some("")` if bare).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then_some(value)
        })
    }
}

/// A request that broke a rule: failed OpenAPI validation, matched no
/// operation, or let mentions through.
#[derive(Clone, Debug)]
pub struct RequestProblem {
    pub index: usize,
    pub method: String,
    pub path: String,
    pub error: String,
}

impl std::fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{} {} {}: {}", self.index, self.method, self.path, self.error)
    }
}

/// An injected failure: the next `remaining` requests matching method and
/// path prefix get `status` with `body`.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: String,
    pub path_prefix: String,
    pub status: u16,
    pub body: Value,
    pub remaining: usize,
}

/// What the fake knows about an interaction it dispatched.
#[derive(Clone, Debug)]
pub struct InteractionRecord {
    pub id: u64,
    pub token: String,
    /// Interaction type (2 command, 3 component, 4 autocomplete, 5 modal).
    pub kind: u64,
    pub channel_id: u64,
    /// The callback type it was answered with, once answered.
    pub callback_type: Option<u64>,
    /// The original response message, once there is one.
    pub original: Option<Value>,
}

/// Everything behind a [`super::FakeDiscord`] handle.
pub struct Shared {
    pub rest_base: String,
    pub ws_url: String,
    pub world: Mutex<World>,
    pub requests: watch::Sender<Vec<Recorded>>,
    pub faults: Mutex<Vec<Fault>>,
    /// Registered commands: `None` = global, `Some(guild)` = guild commands.
    pub commands: Mutex<HashMap<Option<u64>, Vec<Value>>>,
    pub interactions: Mutex<HashMap<u64, InteractionRecord>>,
    pub gateway: GatewayHub,
}

/// Locks a mutex, recovering the data if a panicking test thread poisoned it
/// (the fake's state stays usable for the failure report).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// A snapshot of the world.
    pub fn world(&self) -> World {
        lock(&self.world).clone()
    }

    /// Takes one use of the first fault matching this request, if any.
    pub fn take_fault(&self, method: &str, api_path: &str) -> Option<(u16, Value)> {
        let mut faults = lock(&self.faults);
        let fault = faults.iter_mut().find(|f| {
            f.remaining > 0 && f.method.eq_ignore_ascii_case(method) && api_path.starts_with(&f.path_prefix)
        })?;
        fault.remaining -= 1;
        let hit = (fault.status, fault.body.clone());
        faults.retain(|f| f.remaining > 0);
        Some(hit)
    }

    /// Appends a request to the log and wakes waiters.
    pub fn record(&self, mut request: Recorded) {
        self.requests.send_modify(|log| {
            request.index = log.len();
            log.push(request);
        });
    }

    /// Remembers an interaction the gateway dispatched, so callbacks and
    /// webhook routes can be checked against it.
    pub fn remember_interaction(&self, data: &Value) {
        let id = data.get("id").and_then(Value::as_str).and_then(|s| s.parse().ok());
        let token = data.get("token").and_then(Value::as_str);
        let (Some(id), Some(token)) = (id, token) else { return };
        let record = InteractionRecord {
            id,
            token: token.to_owned(),
            kind: data.get("type").and_then(Value::as_u64).unwrap_or(0),
            channel_id: data.get("channel_id").and_then(Value::as_str).and_then(|s| s.parse().ok()).unwrap_or(0),
            callback_type: None,
            original: None,
        };
        lock(&self.interactions).insert(id, record);
    }
}
