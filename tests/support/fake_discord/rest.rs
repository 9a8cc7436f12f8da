//! The fake REST API (`/api/v10/...`), served by axum.
//!
//! A single fallback handler receives every request, so each one is recorded
//! (method, path, query, JSON body, answer) in order, injected faults apply
//! uniformly, and unknown routes answer 404 `{"message":"404: Not Found","code":0}`.
//! Routing is a `match` on the path segments in [`route`].

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::interactions::command_id_for;
use super::messages::{bot_message_from_body, mark_interaction_message};
use super::openapi::api_relative;
use super::payloads::{
    channel_json, current_user_json, dm_channel_json, guild_rest_json, next_snowflake, role_json, world_member_json,
};
use super::state::{Recorded, Shared, lock};
use super::world::perm;

/// The router serving the whole fake REST API.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// An answer: status plus optional JSON body (`None` = empty, for 204).
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
}

impl Reply {
    fn ok(body: Value) -> Self {
        Self { status: 200, body: Some(body) }
    }

    fn no_content() -> Self {
        Self { status: 204, body: None }
    }

    /// A Discord-style error: `{"message": …, "code": …}`.
    pub fn error(status: u16, message: &str, code: u64) -> Self {
        Self { status, body: Some(json!({ "message": message, "code": code })) }
    }

    fn not_found() -> Self {
        Self::error(404, "404: Not Found", 0)
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received_at = Instant::now();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let (json_body, files) = parse_body(content_type, &body);
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);

    let reply = match shared.take_fault(method.as_str(), api_relative(&path)) {
        Some((status, body)) => Reply { status, body: Some(body) },
        None if path.starts_with("/api/v10/") => {
            let segments: Vec<&str> = api_relative(&path).trim_start_matches('/').split('/').collect();
            let ctx = Ctx { shared: &shared, query: query.as_deref(), body: json_body.as_ref() };
            route(&ctx, &method, &segments)
        }
        None => Reply::not_found(),
    };

    shared.record(Recorded {
        index: 0,
        method: method.as_str().to_owned(),
        path,
        query,
        body: json_body,
        files,
        authorization: headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
        status: reply.status,
        response: reply.body.clone(),
        received_at,
    });

    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Some(body) => (status, axum::Json(body)).into_response(),
        None => status.into_response(),
    }
}

/// The JSON body, or for `multipart/form-data` the `payload_json` part plus
/// the names of the file parts.
fn parse_body(content_type: Option<&str>, body: &[u8]) -> (Option<Value>, Vec<String>) {
    if body.is_empty() {
        return (None, vec![]);
    }
    let boundary = content_type
        .filter(|ct| ct.starts_with("multipart/form-data"))
        .and_then(|ct| ct.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"'));
    let Some(boundary) = boundary else {
        return (serde_json::from_slice(body).ok(), vec![]);
    };
    let text = String::from_utf8_lossy(body);
    let (mut payload, mut files) = (None, vec![]);
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else { continue };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        if head.contains("name=\"payload_json\"") {
            payload = serde_json::from_str(content).ok();
        } else if let Some(name) = head.split("filename=\"").nth(1) {
            files.push(name.split('"').next().unwrap_or_default().to_owned());
        }
    }
    (payload, files)
}

/// What a route handler sees.
struct Ctx<'a> {
    shared: &'a Shared,
    query: Option<&'a str>,
    body: Option<&'a Value>,
}

impl Ctx<'_> {
    fn body(&self) -> Value {
        self.body.cloned().unwrap_or(Value::Null)
    }

    fn query_flag(&self, name: &str) -> bool {
        self.query.is_some_and(|q| q.split('&').any(|p| p == format!("{name}=true")))
    }
}

fn id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

/// Dispatches one request by method and path segments (relative to `/api/v10`).
fn route(ctx: &Ctx<'_>, method: &Method, segments: &[&str]) -> Reply {
    let m = method.as_str();
    match (m, segments) {
        ("GET", ["gateway"]) => Reply::ok(json!({ "url": ctx.shared.ws_url })),
        ("GET", ["gateway", "bot"]) => Reply::ok(json!({
            "url": ctx.shared.ws_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1,
            },
        })),
        ("GET", ["users", "@me"]) => Reply::ok(current_user_json(&ctx.shared.world())),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => Reply::ok(application_json(ctx)),
        ("POST", ["users", "@me", "channels"]) => create_dm(ctx),
        (_, ["applications", app, rest @ ..]) => commands(ctx, m, app, rest),
        (_, ["interactions", iid, token, "callback"]) => {
            super::rest_interactions::callback(ctx.shared, iid, token, &ctx.body(), ctx.query_flag("with_response"))
        }
        (_, ["webhooks", app, token, rest @ ..]) => {
            super::rest_interactions::webhook(ctx.shared, m, app, token, rest, &ctx.body())
        }
        (_, ["channels", cid, rest @ ..]) => channels(ctx, m, cid, rest),
        (_, ["guilds", gid, rest @ ..]) => guilds(ctx, m, gid, rest),
        _ => Reply::not_found(),
    }
}

fn application_json(ctx: &Ctx<'_>) -> Value {
    let world = ctx.shared.world();
    json!({
        "id": world.application_id.to_string(),
        "name": world.bot_username,
        "icon": null,
        "description": "her2bot under test",
        "summary": "",
        "type": null,
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "flags": 0,
        "owner": super::payloads::world_user(&world, world.owner_id),
        "team": null,
        "bot": current_user_json(&world),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "tags": [],
        "integration_types_config": { "0": {} },
        "approximate_guild_count": 1,
    })
}

fn create_dm(ctx: &Ctx<'_>) -> Reply {
    let Some(user) = ctx.body().get("recipient_id").and_then(Value::as_str).and_then(id) else {
        return Reply::error(400, "Invalid Form Body", 50035);
    };
    let mut world = lock(&ctx.shared.world);
    let channel = match world.dm_channel_with(user) {
        Some(c) => c,
        None => {
            let c = next_snowflake();
            world.dm_channels.push((c, user));
            c
        }
    };
    Reply::ok(dm_channel_json(&world, channel, user))
}

/// `/applications/{app}/commands[/{id}]` and `/applications/{app}/guilds/{g}/commands[/{id}]`.
fn commands(ctx: &Ctx<'_>, m: &str, app: &str, rest: &[&str]) -> Reply {
    let world = ctx.shared.world();
    if id(app) != Some(world.application_id) {
        return Reply::error(403, "Missing Access", 50001);
    }
    let (guild, rest) = match rest {
        ["guilds", g, rest @ ..] => match id(g) {
            Some(g) => (Some(g), rest),
            None => return Reply::not_found(),
        },
        _ => (None, rest),
    };
    let echo = |cmd: &Value| {
        let mut cmd = cmd.clone();
        let name = cmd.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        cmd["id"] = json!(command_id_for(&name).to_string());
        cmd["application_id"] = json!(world.application_id.to_string());
        cmd["version"] = json!(next_snowflake().to_string());
        cmd["guild_id"] = json!(guild.map(|g| g.to_string()));
        for (field, default) in [("type", json!(1)), ("description", json!("")), ("nsfw", json!(false))] {
            if cmd.get(field).is_none_or(Value::is_null) {
                cmd[field] = default;
            }
        }
        cmd
    };
    let mut registry = lock(&ctx.shared.commands);
    let list = registry.entry(guild).or_default();
    match (m, rest) {
        ("GET", ["commands"]) => Reply::ok(json!(list)),
        ("PUT", ["commands"]) => {
            let Some(items) = ctx.body.and_then(Value::as_array) else {
                return Reply::error(400, "Invalid Form Body", 50035);
            };
            *list = items.iter().map(echo).collect();
            Reply::ok(json!(list))
        }
        ("POST", ["commands"]) => {
            let cmd = echo(&ctx.body());
            list.retain(|c| c["name"] != cmd["name"]);
            list.push(cmd.clone());
            Reply::ok(cmd)
        }
        ("GET" | "PATCH" | "DELETE", ["commands", cid]) => {
            let Some(pos) = list.iter().position(|c| c["id"] == *cid) else {
                return Reply::error(404, "Unknown application command", 10063);
            };
            match m {
                "GET" => Reply::ok(list[pos].clone()),
                "DELETE" => {
                    list.remove(pos);
                    Reply::no_content()
                }
                _ => {
                    if let (Some(cmd), Some(patch)) = (list[pos].as_object_mut(), ctx.body.and_then(Value::as_object)) {
                        cmd.extend(patch.clone());
                    }
                    Reply::ok(list[pos].clone())
                }
            }
        }
        _ => Reply::not_found(),
    }
}

/// `/channels/{id}` and below.
fn channels(ctx: &Ctx<'_>, m: &str, cid: &str, rest: &[&str]) -> Reply {
    let world = ctx.shared.world();
    let Some(cid) = id(cid) else { return Reply::not_found() };
    let guild_channel = world.channel(cid);
    let dm_recipient = world.dm_recipient(cid);
    if guild_channel.is_none() && dm_recipient.is_none() {
        return Reply::error(404, "Unknown Channel", 10003);
    }
    let perms = match guild_channel {
        Some(_) => world.channel_permissions(world.bot_user_id, cid),
        None => perm::ALL & !perm::ADMINISTRATOR,
    };
    if perms & perm::VIEW_CHANNEL == 0 {
        return Reply::error(403, "Missing Access", 50001);
    }
    match (m, rest) {
        ("GET", []) => Reply::ok(match (guild_channel, dm_recipient) {
            (Some(c), _) => channel_json(c, &world),
            (None, Some(user)) => dm_channel_json(&world, cid, user),
            (None, None) => Value::Null,
        }),
        ("POST", ["messages"]) => {
            let body = ctx.body();
            if let Some(reply) = check_can_post(&body, perms) {
                return reply;
            }
            Reply::ok(bot_message_from_body(&world, cid, next_snowflake(), &body))
        }
        ("PATCH", ["messages", mid]) => {
            let body = ctx.body();
            match (id(mid), check_content_length(&body)) {
                (None, _) => Reply::error(404, "Unknown Message", 10008),
                (Some(_), Some(too_long)) => too_long,
                (Some(mid), None) => {
                    let mut msg = bot_message_from_body(&world, cid, mid, &body);
                    msg["edited_timestamp"] = json!(super::payloads::now_timestamp());
                    Reply::ok(msg)
                }
            }
        }
        ("DELETE", ["messages", _])
        | ("PUT" | "DELETE", ["messages", _, "reactions", _, "@me"])
        | ("POST", ["typing"]) => Reply::no_content(),
        _ => Reply::not_found(),
    }
}

/// Discord's checks before creating a message in a channel where the bot
/// has `perms`.
fn check_can_post(body: &Value, perms: u64) -> Option<Reply> {
    if perms & perm::SEND_MESSAGES == 0 {
        return Some(Reply::error(403, "Missing Permissions", 50013));
    }
    let non_empty = |field: &str| match body.get(field) {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(_)) => true,
        _ => false,
    };
    if let Some(reply) = check_content_length(body) {
        return Some(reply);
    }
    if non_empty("embeds") && perms & perm::EMBED_LINKS == 0 {
        return Some(Reply::error(403, "Missing Permissions", 50013));
    }
    if !["content", "embeds", "components", "sticker_ids", "attachments", "poll"].iter().any(|f| non_empty(f)) {
        return Some(Reply::error(400, "Cannot send an empty message", 50006));
    }
    None
}

/// Bots may send at most 2000 characters of content (the spec allows 4000,
/// the limit for Nitro users).
fn check_content_length(body: &Value) -> Option<Reply> {
    let content = body.get("content").and_then(Value::as_str)?;
    (content.chars().count() > 2000).then(|| Reply {
        status: 400,
        body: Some(json!({
            "message": "Invalid Form Body",
            "code": 50035,
            "errors": { "content": { "_errors": [{
                "code": "BASE_TYPE_MAX_LENGTH",
                "message": "Must be 2000 or fewer in length.",
            }]}},
        })),
    })
}

/// `/guilds/{id}` and below.
fn guilds(ctx: &Ctx<'_>, m: &str, gid: &str, rest: &[&str]) -> Reply {
    let world = ctx.shared.world();
    if id(gid) != Some(world.guild_id) {
        return Reply::error(404, "Unknown Guild", 10004);
    }
    match (m, rest) {
        ("GET", []) => Reply::ok(guild_rest_json(&world)),
        ("GET", ["roles"]) => Reply::ok(json!(world.roles.iter().map(|r| role_json(r, &world)).collect::<Vec<_>>())),
        ("GET", ["channels"]) => {
            Reply::ok(json!(world.channels.iter().map(|c| channel_json(c, &world)).collect::<Vec<_>>()))
        }
        ("GET", ["members", uid]) => match id(uid).filter(|u| world.member(*u).is_some()) {
            Some(u) => Reply::ok(world_member_json(&world, u, None)),
            None => Reply::error(404, "Unknown Member", 10007),
        },
        _ => Reply::not_found(),
    }
}

/// Interaction messages: marks a message built from a body as sent by the
/// application's webhook.
pub fn interaction_message(shared: &Shared, channel_id: u64, body: &Value) -> Value {
    let world = shared.world();
    let mut msg = bot_message_from_body(&world, channel_id, next_snowflake(), body);
    mark_interaction_message(&mut msg, &world);
    msg
}
