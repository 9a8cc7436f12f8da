//! The fake gateway: a WebSocket server (tokio-tungstenite) speaking
//! Discord's gateway protocol v10 in uncompressed JSON text frames.
//!
//! What serenity 0.12.5 does, and what this answers:
//! - connects to `{url}?v=10` (no `encoding`, no `compress` transport
//!   option); it asks for *payload* compression with `"compress": true` in
//!   IDENTIFY but decodes text frames too, so everything is sent as text;
//! - HELLO (op 10) on connect; IDENTIFY (op 2) → READY then, if the
//!   `GUILDS` intent is set, GUILD_CREATE, as op 0 with increasing `s`;
//! - HEARTBEAT (op 1) → HEARTBEAT_ACK (op 11);
//! - RESUME (op 6, sent right after reconnecting, before HELLO) → replay of
//!   the session's dispatches after `seq`, then a RESUMED dispatch; an
//!   unknown session gets INVALID_SESSION (op 9, `d: false`).
//!
//! A session outlives its connection: dispatches sent while it is
//! disconnected are buffered and replayed on RESUME.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::payloads::{guild_create_json, ready_json};
use super::state::{Shared, lock};

/// The `GUILDS` gateway intent bit.
const INTENT_GUILDS: u64 = 1;

/// Counters and facts about the gateway, for assertions and waiting.
#[derive(Clone, Debug, Default)]
pub struct GatewayStats {
    /// WebSocket connections accepted so far.
    pub connections: usize,
    /// Connections currently open.
    pub open_connections: usize,
    /// Query strings of each connection request (serenity: `v=10`).
    pub connect_queries: Vec<String>,
    /// IDENTIFY payloads received.
    pub identifies: usize,
    /// RESUME payloads received.
    pub resumes: usize,
    /// RESUMEs answered with RESUMED (the others got INVALID_SESSION).
    pub successful_resumes: usize,
    /// HEARTBEATs received (each answered with an ACK).
    pub heartbeats: usize,
    /// READY dispatches sent.
    pub readies: usize,
    /// The `d` of the last IDENTIFY (token included).
    pub last_identify: Option<Value>,
    /// The intents of the last IDENTIFY.
    pub intents: Option<u64>,
    /// Dispatches replayed on RESUME.
    pub replayed: usize,
    /// Other client frames (presence updates, member requests, ...).
    pub other_frames: Vec<Value>,
    /// Client frames that were not valid JSON gateway payloads.
    pub invalid_frames: usize,
}

/// Commands from the hub to one connection task.
enum Out {
    Text(String),
    Close(u16, String),
    Drop,
}

/// One gateway session (created by IDENTIFY, continued by RESUME).
struct Session {
    shard: Value,
    token: String,
    seq: u64,
    /// `(seq, frame)` of every dispatch, for replay on RESUME.
    buffer: Vec<(u64, String)>,
    /// The connection currently carrying the session.
    conn: Option<u64>,
}

#[derive(Default)]
struct HubState {
    sessions: HashMap<String, Session>,
    conns: HashMap<u64, mpsc::UnboundedSender<Out>>,
    next_conn: u64,
    next_session: u64,
}

/// Sessions, connections and stats of the fake gateway.
pub struct GatewayHub {
    state: Mutex<HubState>,
    stats: watch::Sender<GatewayStats>,
    heartbeat_interval_ms: u64,
    /// `false` holds new connections before the WebSocket handshake.
    gate: watch::Sender<bool>,
}

impl GatewayHub {
    /// A hub whose HELLO asks for heartbeats every `heartbeat_interval_ms`.
    pub fn new(heartbeat_interval_ms: u64) -> Self {
        Self {
            state: Mutex::new(HubState::default()),
            stats: watch::Sender::new(GatewayStats::default()),
            heartbeat_interval_ms,
            gate: watch::Sender::new(true),
        }
    }

    /// Holds (`false`) or lets through (`true`) new connections: a held
    /// client's TCP connect succeeds but its WebSocket handshake waits.
    pub fn set_accepting(&self, open: bool) {
        self.gate.send_replace(open);
    }

    /// A receiver for waiting on stats changes.
    pub fn subscribe(&self) -> watch::Receiver<GatewayStats> {
        self.stats.subscribe()
    }

    /// A snapshot of the stats.
    pub fn stats(&self) -> GatewayStats {
        self.stats.borrow().clone()
    }

    fn bump(&self, f: impl FnOnce(&mut GatewayStats)) {
        self.stats.send_modify(f);
    }

    /// Sends a dispatch to every session (buffered for sessions that are
    /// disconnected). Returns the number of sessions.
    pub fn dispatch(&self, event: &str, data: &Value) -> usize {
        let mut state = lock(&self.state);
        let HubState { sessions, conns, .. } = &mut *state;
        for session in sessions.values_mut() {
            send_in_session(session, conns, event, data);
        }
        sessions.len()
    }

    /// Sends a raw text frame to every open connection (no sequence number).
    pub fn send_raw(&self, text: &str) {
        for tx in lock(&self.state).conns.values() {
            let _ = tx.send(Out::Text(text.to_owned()));
        }
    }

    /// Sends a non-dispatch opcode payload to every open connection.
    pub fn send_op(&self, op: u8, d: Value) {
        self.send_raw(&json!({ "op": op, "d": d, "s": null, "t": null }).to_string());
    }

    /// Drops every connection without a close frame; sessions stay
    /// resumable and buffer dispatches meanwhile.
    pub fn drop_connections(&self) {
        self.detach_all(|| Out::Drop);
    }

    /// Closes every connection with a close frame.
    pub fn close_connections(&self, code: u16, reason: &str) {
        self.detach_all(|| Out::Close(code, reason.to_owned()));
    }

    fn detach_all(&self, out: impl Fn() -> Out) {
        let mut state = lock(&self.state);
        for tx in state.conns.values() {
            let _ = tx.send(out());
        }
        for session in state.sessions.values_mut() {
            session.conn = None;
        }
    }

    fn register(&self) -> (u64, mpsc::UnboundedReceiver<Out>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut state = lock(&self.state);
        state.next_conn += 1;
        let id = state.next_conn;
        state.conns.insert(id, tx);
        (id, rx)
    }

    fn unregister(&self, conn: u64) {
        let mut state = lock(&self.state);
        state.conns.remove(&conn);
        for session in state.sessions.values_mut() {
            if session.conn == Some(conn) {
                session.conn = None;
            }
        }
    }

    /// IDENTIFY: a new session (replacing any for the same shard), then
    /// READY and GUILD_CREATE.
    fn identify(&self, conn: u64, d: &Value, shared: &Shared) {
        let world = shared.world();
        let intents = d.get("intents").and_then(Value::as_u64);
        let shard = d.get("shard").cloned().filter(Value::is_array).unwrap_or(json!([0, 1]));
        self.bump(|s| {
            s.identifies += 1;
            s.intents = intents;
            s.last_identify = Some(d.clone());
        });
        let mut state = lock(&self.state);
        state.next_session += 1;
        let session_id = format!("fake-session-{:08}", state.next_session);
        state.sessions.retain(|_, s| s.shard != shard);
        let mut session = Session {
            shard: shard.clone(),
            token: d.get("token").and_then(Value::as_str).unwrap_or_default().to_owned(),
            seq: 0,
            buffer: vec![],
            conn: Some(conn),
        };
        let ready = ready_json(&world, &session_id, &shard, &shared.ws_url);
        send_in_session(&mut session, &state.conns, "READY", &ready);
        if intents.unwrap_or(0) & INTENT_GUILDS != 0 {
            send_in_session(&mut session, &state.conns, "GUILD_CREATE", &guild_create_json(&world));
        }
        state.sessions.insert(session_id, session);
        drop(state);
        self.bump(|s| s.readies += 1);
    }

    /// RESUME: replay after `seq`, then RESUMED; or INVALID_SESSION.
    fn resume(&self, conn: u64, d: &Value) {
        let session_id = d.get("session_id").and_then(Value::as_str).unwrap_or_default();
        let token = d.get("token").and_then(Value::as_str).unwrap_or_default();
        let after = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
        let mut state = lock(&self.state);
        let HubState { sessions, conns, .. } = &mut *state;
        let Some(tx) = conns.get(&conn) else { return };
        let Some(session) = sessions.get_mut(session_id).filter(|s| s.token == token) else {
            let frame = json!({ "op": 9, "d": false, "s": null, "t": null });
            let _ = tx.send(Out::Text(frame.to_string()));
            drop(state);
            self.bump(|s| s.resumes += 1);
            return;
        };
        session.conn = Some(conn);
        let mut replayed = 0;
        for (_, frame) in session.buffer.iter().filter(|(s, _)| *s > after) {
            let _ = tx.send(Out::Text(frame.clone()));
            replayed += 1;
        }
        send_in_session(session, conns, "RESUMED", &json!({ "_trace": ["fake-discord"] }));
        drop(state);
        self.bump(|s| {
            s.resumes += 1;
            s.successful_resumes += 1;
            s.replayed += replayed;
        });
    }

    /// Handles one text frame from a client.
    fn on_client_frame(&self, conn: u64, text: &str, shared: &Shared) -> Option<Out> {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            self.bump(|s| s.invalid_frames += 1);
            return Some(Out::Close(4002, "Error while decoding payload.".to_owned()));
        };
        let d = frame.get("d").cloned().unwrap_or(Value::Null);
        match frame.get("op").and_then(Value::as_u64) {
            Some(1) => {
                self.bump(|s| s.heartbeats += 1);
                Some(Out::Text(json!({ "op": 11, "d": null, "s": null, "t": null }).to_string()))
            }
            Some(2) => {
                self.identify(conn, &d, shared);
                None
            }
            Some(6) => {
                self.resume(conn, &d);
                None
            }
            Some(_) => {
                self.bump(|s| s.other_frames.push(frame));
                None
            }
            None => {
                self.bump(|s| s.invalid_frames += 1);
                Some(Out::Close(4001, "Unknown opcode.".to_owned()))
            }
        }
    }
}

/// Assigns the next sequence number, buffers the frame and sends it if the
/// session is connected.
fn send_in_session(session: &mut Session, conns: &HashMap<u64, mpsc::UnboundedSender<Out>>, event: &str, data: &Value) {
    session.seq += 1;
    let frame = json!({ "op": 0, "t": event, "s": session.seq, "d": data }).to_string();
    session.buffer.push((session.seq, frame.clone()));
    if let Some(tx) = session.conn.and_then(|c| conns.get(&c)) {
        let _ = tx.send(Out::Text(frame));
    }
}

/// Accepts gateway connections until the task is aborted; aborting it also
/// aborts every connection task.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(connection(stream, Arc::clone(&shared)));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Runs one WebSocket connection.
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    // No Nagle: a dispatch queued right after another must not wait for
    // the client's delayed ACK of the first.
    let _ = stream.set_nodelay(true);
    if shared.gateway.gate.subscribe().wait_for(|open| *open).await.is_err() {
        return;
    }
    let mut query = String::new();
    // The error type is tungstenite's (an HTTP response); nothing to shrink.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| {
        query = req.uri().query().unwrap_or_default().to_owned();
        Ok(resp)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else { return };
    let hub = &shared.gateway;
    let (conn, mut rx) = hub.register();
    hub.bump(|s| {
        s.connections += 1;
        s.open_connections += 1;
        s.connect_queries.push(query);
    });
    let hello = json!({
        "op": 10,
        "d": { "heartbeat_interval": hub.heartbeat_interval_ms, "_trace": ["fake-discord"] },
        "s": null,
        "t": null,
    });
    let mut alive = ws.send(Message::text(hello.to_string())).await.is_ok();
    while alive {
        let out = tokio::select! {
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => hub.on_client_frame(conn, text.as_str(), &shared),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Some(Out::Drop),
                Some(Ok(_)) => None,
            },
            command = rx.recv() => Some(command.unwrap_or(Out::Drop)),
        };
        alive = match out {
            None => true,
            Some(Out::Text(text)) => ws.send(Message::text(text)).await.is_ok(),
            Some(Out::Close(code, reason)) => {
                let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
                let _ = ws.send(Message::Close(Some(frame))).await;
                false
            }
            Some(Out::Drop) => false,
        };
    }
    hub.unregister(conn);
    hub.bump(|s| s.open_connections -= 1);
    // Dropping `ws` here closes the TCP stream without a closing handshake.
}
