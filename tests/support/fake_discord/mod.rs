//! A fake Discord on 127.0.0.1 — REST (axum) and gateway (tokio-tungstenite)
//! — living inside the test process, so the real serenity client can run
//! end to end without network.
//!
//! ```ignore
//! mod support;
//! use support::fake_discord::*;
//!
//! let fake = FakeDiscord::start().await;
//! let http = HttpBuilder::new(TEST_TOKEN)
//!     .proxy(fake.rest_base())
//!     .ratelimiter_disabled(true) // with the rate limiter on, serenity ignores the proxy
//!     .build();
//! // ... ClientBuilder::new_with_http(http, intents) ...
//! fake.wait_until_ready(WAIT).await;
//! let ping = InteractionBuilder::slash("ping");
//! fake.interaction_create(&ping);
//! let cb = fake.wait_for_request(|r| r.is("POST", &ping.callback_path()), WAIT).await;
//! fake.assert_requests_clean(); // OpenAPI + allowed_mentions
//! ```

// Each test binary uses a different part of the harness.
#![allow(dead_code)]

mod gateway;
mod interactions;
mod messages;
mod openapi;
mod payloads;
mod rest;
mod rest_interactions;
mod serenity_check;
mod state;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::AbortHandle;

// The harness API; a given test binary uses only part of it.
#[allow(unused_imports)]
pub use self::{
    gateway::GatewayStats,
    interactions::{InteractionBuilder, command_id_for},
    messages::*,
    openapi::{allowed_mentions_parse_nothing, message_payload, openapi, spec_path},
    payloads::*,
    serenity_check::check_dispatch,
    state::{Recorded, RequestProblem},
    world::{ChannelSpec, MemberSpec, Overwrite, RoleSpec, World, channel_type, ids, perm},
};

/// A token serenity accepts; never valid anywhere.
pub const TEST_TOKEN: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.fake-token-for-tests-only-xxxxxxxxxxxx";

/// Options for [`FakeDiscord::start_with`].
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// HELLO's `heartbeat_interval` (ms). Short keeps heartbeats exercised.
    pub heartbeat_interval_ms: u64,
    /// The guild, channels and members to serve.
    pub world: World,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self { heartbeat_interval_ms: 2_000, world: World::default() }
    }
}

/// Handle to a running fake Discord. Dropping it stops both servers.
pub struct FakeDiscord {
    shared: Arc<state::Shared>,
    tasks: Vec<AbortHandle>,
    dispatch_warnings: Mutex<Vec<String>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.tasks.iter().for_each(AbortHandle::abort);
    }
}

impl FakeDiscord {
    /// Starts REST and gateway on ephemeral 127.0.0.1 ports with defaults.
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts with explicit options.
    pub async fn start_with(config: FakeConfig) -> Self {
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind fake REST port");
        let gw = TcpListener::bind("127.0.0.1:0").await.expect("bind fake gateway port");
        let addr = |l: &TcpListener| -> SocketAddr { l.local_addr().expect("listener address") };
        let shared = Arc::new(state::Shared {
            rest_base: format!("http://{}", addr(&rest)),
            ws_url: format!("ws://{}", addr(&gw)),
            world: Mutex::new(config.world),
            requests: watch::Sender::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            commands: Mutex::default(),
            interactions: Mutex::default(),
            gateway: gateway::GatewayHub::new(config.heartbeat_interval_ms),
        });
        let router = rest::router(Arc::clone(&shared));
        // Like Discord's edge, answer without Nagle's delay: a small write
        // while an earlier one is unacknowledged would otherwise wait for
        // the client's delayed ACK (up to 40 ms on Linux).
        let rest = axum::serve::ListenerExt::tap_io(rest, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let rest_task = tokio::spawn(async move {
            if let Err(e) = axum::serve(rest, router).await {
                eprintln!("fake Discord REST server stopped: {e}");
            }
        });
        let gw_task = tokio::spawn(gateway::serve(gw, Arc::clone(&shared)));
        Self {
            shared,
            tasks: vec![rest_task.abort_handle(), gw_task.abort_handle()],
            dispatch_warnings: Mutex::default(),
        }
    }

    /// `http://127.0.0.1:PORT`: pass to `HttpBuilder::proxy`.
    pub fn rest_base(&self) -> String {
        self.shared.rest_base.clone()
    }

    /// `ws://127.0.0.1:PORT`: what `GET /gateway` answers.
    pub fn ws_url(&self) -> String {
        self.shared.ws_url.clone()
    }

    /// An `HttpBuilder` aimed at this fake: token [`TEST_TOKEN`], proxy set,
    /// rate limiter off (with it on, serenity ignores the proxy and talks to
    /// discord.com). Default allowed mentions are deliberately *not* set, so
    /// [`Self::mention_violations`] still tests what the code under test does.
    pub fn http_builder(&self) -> serenity::http::HttpBuilder {
        serenity::http::HttpBuilder::new(TEST_TOKEN).proxy(self.rest_base()).ratelimiter_disabled(true)
    }

    // ----- world -------------------------------------------------------

    /// A snapshot of the guild/channels/members the fake serves.
    pub fn world(&self) -> World {
        self.shared.world()
    }

    /// Changes the world (e.g. `|w| w.deny_bot(channel, perm::SEND_MESSAGES)`).
    pub fn update_world(&self, f: impl FnOnce(&mut World)) {
        f(&mut state::lock(&self.shared.world));
    }

    // ----- REST ----------------------------------------------------------

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.borrow().clone()
    }

    /// How many requests arrived so far (a mark for [`Self::wait_for_request_after`]).
    pub fn request_count(&self) -> usize {
        self.shared.requests.borrow().len()
    }

    /// The first request (ever) matching `pred`, waiting up to `timeout`.
    pub async fn wait_for_request(&self, pred: impl Fn(&Recorded) -> bool, timeout: Duration) -> Option<Recorded> {
        self.wait_for_request_after(0, pred, timeout).await
    }

    /// The first request with index `>= start` matching `pred`, waiting up
    /// to `timeout`. Woken by each new request; no polling.
    pub async fn wait_for_request_after(
        &self,
        start: usize,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Option<Recorded> {
        let find = |log: &Vec<Recorded>| log.iter().skip(start).find(|r| pred(r)).cloned();
        let mut rx = self.shared.requests.subscribe();
        let wait = rx.wait_for(|log| find(log).is_some());
        let log = tokio::time::timeout(timeout, wait).await.ok()?.ok()?;
        find(&log)
    }

    /// Waits until `pred` holds for the request log, up to `timeout`;
    /// `false` on timeout. `pred` runs each time the log grows and may keep
    /// a cursor, so counting thousands of requests (a burst) neither clones
    /// the log nor rescans it.
    pub async fn wait_for_log(&self, mut pred: impl FnMut(&[Recorded]) -> bool, timeout: Duration) -> bool {
        let mut rx = self.shared.requests.subscribe();
        let wait = rx.wait_for(|log| pred(log));
        tokio::time::timeout(timeout, wait).await.is_ok_and(|r| r.is_ok())
    }

    /// The next `count` requests with `method` whose API path starts with
    /// `path_prefix` (with or without `/api/v10`) get `status` and a
    /// Discord error body `{"message": …, "code": 0}`.
    pub fn fail_next(&self, method: &str, path_prefix: &str, status: u16, count: usize) {
        let body = json!({ "message": format!("{status}: Injected failure"), "code": 0 });
        self.fail_next_with(method, path_prefix, status, body, count);
    }

    /// Like [`Self::fail_next`] with an explicit body (e.g. a 429 with `retry_after`).
    pub fn fail_next_with(&self, method: &str, path_prefix: &str, status: u16, body: Value, count: usize) {
        state::lock(&self.shared.faults).push(state::Fault {
            method: method.to_ascii_uppercase(),
            path_prefix: openapi::api_relative(path_prefix).to_owned(),
            status,
            body,
            remaining: count,
        });
    }

    /// Commands registered through REST (`None`: global).
    pub fn registered_commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        state::lock(&self.shared.commands).get(&guild_id).cloned().unwrap_or_default()
    }

    /// Requests that matched no OpenAPI operation or whose JSON body failed
    /// the operation's request schema. Compiles validators on first use
    /// (a blocking, CPU-bound step: call it at the end of a test).
    pub fn validation_errors(&self) -> Vec<RequestProblem> {
        let spec = match openapi::openapi() {
            Ok(spec) => spec,
            Err(e) => return vec![problem_for(None, e)],
        };
        let requests = self.requests();
        let check = |r: &Recorded| -> Result<(), String> {
            if !r.path.starts_with("/api/v10/") {
                return Err("path outside /api/v10".to_owned());
            }
            match &r.body {
                Some(body) => spec.validate(&r.method, &r.path, body),
                None => spec
                    .find_operation(&r.method, &r.path)
                    .map(drop)
                    .ok_or_else(|| format!("no OpenAPI operation for {} {}", r.method, r.api_path())),
            }
        };
        requests.iter().filter_map(|r| check(r).err().map(|e| problem_for(Some(r), e))).collect()
    }

    /// Message-creating/editing requests whose `allowed_mentions` would let
    /// a mention ping (see [`allowed_mentions_parse_nothing`]).
    pub fn mention_violations(&self) -> Vec<RequestProblem> {
        self.requests()
            .iter()
            .filter_map(|r| {
                let payload = message_payload(&r.method, &r.path, r.body.as_ref()?)?;
                let err = allowed_mentions_parse_nothing(payload).err()?;
                Some(problem_for(Some(r), err))
            })
            .collect()
    }

    /// Panics listing every validation error, mention violation and
    /// dispatch that serenity could not parse.
    pub fn assert_requests_clean(&self) {
        let mut problems: Vec<String> = self.validation_errors().iter().map(|p| p.to_string()).collect();
        problems.extend(self.mention_violations().iter().map(|p| format!("mentions: {p}")));
        problems.extend(self.dispatch_warnings());
        assert!(problems.is_empty(), "fake Discord found problems:\n{}", problems.join("\n"));
    }

    // ----- gateway -------------------------------------------------------

    /// Sends a dispatch (op 0) to every session with the next `s`, buffered
    /// for RESUME. Returns the number of sessions reached (0 before the
    /// first IDENTIFY: wait with [`Self::wait_until_ready`]). Payloads
    /// serenity would turn into `Event::Unknown` are noted in
    /// [`Self::dispatch_warnings`].
    pub fn send_dispatch(&self, event: &str, data: Value) -> usize {
        self.send_dispatch_timed(event, data).0
    }

    /// [`Self::send_dispatch`], also returning the instant just before the
    /// frame was serialized and queued on the connections, after the fake's
    /// own checks: where a latency measurement starts.
    pub fn send_dispatch_timed(&self, event: &str, data: Value) -> (usize, Instant) {
        if let Err(e) = check_dispatch(event, &data) {
            state::lock(&self.dispatch_warnings).push(e);
        }
        if event == "INTERACTION_CREATE" {
            self.shared.remember_interaction(&data);
        }
        let sent = Instant::now();
        (self.shared.gateway.dispatch(event, &data), sent)
    }

    /// Builds the interaction against the current world and dispatches it.
    pub fn interaction_create(&self, interaction: &InteractionBuilder) -> Value {
        let data = interaction.build(&self.world());
        self.send_dispatch("INTERACTION_CREATE", data.clone());
        data
    }

    /// Builds the message against the current world and dispatches MESSAGE_CREATE.
    pub fn message_create(&self, message: &MessageBuilder) -> Value {
        let data = message.build(&self.world());
        self.send_dispatch("MESSAGE_CREATE", data.clone());
        data
    }

    /// Dispatches serenity could not have parsed (see [`check_dispatch`]).
    pub fn dispatch_warnings(&self) -> Vec<String> {
        state::lock(&self.dispatch_warnings).clone()
    }

    /// Sends a raw text frame (e.g. malformed JSON) to every connection.
    pub fn send_raw(&self, text: &str) {
        self.shared.gateway.send_raw(text);
    }

    /// Drops every gateway connection abruptly (no close frame). Sessions
    /// stay resumable; dispatches sent meanwhile are replayed on RESUME.
    pub fn drop_connections(&self) {
        self.shared.gateway.drop_connections();
    }

    /// Holds new gateway connections before their WebSocket handshake until
    /// [`Self::release_connections`], e.g. to inject events deterministically
    /// while a client is disconnected.
    pub fn hold_connections(&self) {
        self.shared.gateway.set_accepting(false);
    }

    /// Lets held and future gateway connections through.
    pub fn release_connections(&self) {
        self.shared.gateway.set_accepting(true);
    }

    /// Closes every gateway connection with a close frame (`4000` makes
    /// serenity resume; `4004` is "authentication failed").
    pub fn close_connections(&self, code: u16, reason: &str) {
        self.shared.gateway.close_connections(code, reason);
    }

    /// Sends RECONNECT (op 7): the client should reconnect and resume.
    pub fn request_reconnect(&self) {
        self.shared.gateway.send_op(7, Value::Null);
    }

    /// Sends INVALID_SESSION (op 9).
    pub fn invalidate_session(&self, resumable: bool) {
        self.shared.gateway.send_op(9, json!(resumable));
    }

    /// A snapshot of the gateway counters.
    pub fn gateway_stats(&self) -> GatewayStats {
        self.shared.gateway.stats()
    }

    /// Waits until the gateway stats satisfy `pred`; `None` on timeout.
    pub async fn wait_for_gateway(
        &self,
        pred: impl FnMut(&GatewayStats) -> bool,
        timeout: Duration,
    ) -> Option<GatewayStats> {
        let mut rx = self.shared.gateway.subscribe();
        let wait = rx.wait_for(pred);
        tokio::time::timeout(timeout, wait).await.ok()?.ok().map(|s| s.clone())
    }

    /// Waits until a session got READY and a connection is open.
    pub async fn wait_until_ready(&self, timeout: Duration) -> bool {
        self.wait_for_gateway(|s| s.readies > 0 && s.open_connections > 0, timeout).await.is_some()
    }
}

fn problem_for(r: Option<&Recorded>, error: String) -> RequestProblem {
    RequestProblem {
        index: r.map_or(0, |r| r.index),
        method: r.map_or_else(String::new, |r| r.method.clone()),
        path: r.map_or_else(String::new, |r| r.path.clone()),
        error,
    }
}
