//! Builders for complete, current-format Discord payloads (users, members,
//! roles, channels, guilds, messages).
//!
//! serenity 0.12.5 silently turns a gateway event it cannot deserialize into
//! `Event::Unknown`, so every builder here emits *all* fields serenity
//! requires (`colors` on roles, `flags` on members, ...). The self-test
//! deserializes each builder's output with serenity's own models. Interaction
//! builders live in [`super::interactions`].

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use super::world::{ChannelSpec, MemberSpec, RoleSpec, World, channel_type};

/// A fresh, unique snowflake (as a number) for messages, interactions, etc.
pub fn next_snowflake() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1_300_000_000_000_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The current time as Discord's ISO-8601 timestamp.
pub fn now_timestamp() -> String {
    serenity::model::Timestamp::now().to_string()
}

/// `"<@ID> text"`: a message that mentions the bot of the default world.
pub fn mention_bot(text: &str) -> String {
    format!("<@{}> {text}", super::world::ids::BOT_USER_ID)
}

/// A user object. Bots get discriminator `"0000"`, humans the new-style `"0"`.
pub fn user_json(id: u64, username: &str, global_name: Option<&str>, bot: bool) -> Value {
    let mut user = json!({
        "id": id.to_string(),
        "username": username,
        "discriminator": if bot { "0000" } else { "0" },
        "global_name": global_name,
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
        "collectibles": null,
    });
    if bot {
        user["bot"] = json!(true);
    }
    user
}

/// The user object of a world member, or a generic user for unknown ids.
pub fn world_user(world: &World, user_id: u64) -> Value {
    if user_id == world.bot_user_id {
        return user_json(user_id, &world.bot_username, None, true);
    }
    match world.member(user_id) {
        Some(m) => user_json(m.user_id, &m.username, m.global_name.as_deref(), m.bot),
        None => user_json(user_id, &format!("user{}", user_id % 10_000), None, false),
    }
}

/// The bot's own user, as `GET /users/@me` and READY return it.
pub fn current_user_json(world: &World) -> Value {
    let mut user = user_json(world.bot_user_id, &world.bot_username, None, true);
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(false);
    user["email"] = Value::Null;
    user["locale"] = json!("en-US");
    user["premium_type"] = json!(0);
    user
}

/// A role object, including the `colors` block current Discord sends.
pub fn role_json(role: &RoleSpec, world: &World) -> Value {
    let tags = if role.managed { json!({ "bot_id": world.bot_user_id.to_string() }) } else { json!({}) };
    json!({
        "id": role.id.to_string(),
        "name": role.name,
        "description": null,
        "color": role.color,
        "colors": { "primary_color": role.color, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": role.position,
        "permissions": role.permissions.to_string(),
        "managed": role.managed,
        "mentionable": false,
        "flags": 0,
        "tags": tags,
    })
}

/// A permission overwrite object.
fn overwrite_json(o: &super::world::Overwrite) -> Value {
    json!({
        "id": o.id.to_string(),
        "type": o.kind,
        "allow": o.allow.to_string(),
        "deny": o.deny.to_string(),
    })
}

/// A guild channel object (as in GUILD_CREATE and `GET /channels/{id}`).
pub fn channel_json(channel: &ChannelSpec, world: &World) -> Value {
    let mut c = json!({
        "id": channel.id.to_string(),
        "type": channel.kind,
        "guild_id": world.guild_id.to_string(),
        "name": channel.name,
        "position": channel.position,
        "parent_id": channel.parent_id.map(|p| p.to_string()),
        "permission_overwrites": channel.overwrites.iter().map(overwrite_json).collect::<Vec<_>>(),
        "flags": 0,
    });
    if channel.kind == channel_type::GUILD_TEXT {
        c["topic"] = json!(channel.topic);
        c["nsfw"] = json!(false);
        c["last_message_id"] = Value::Null;
        c["rate_limit_per_user"] = json!(0);
    }
    c
}

/// A DM channel object between the bot and `recipient`.
pub fn dm_channel_json(world: &World, channel_id: u64, recipient: u64) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": channel_type::DM,
        "last_message_id": null,
        "flags": 0,
        "recipients": [world_user(world, recipient)],
    })
}

/// A partial channel, as interactions carry it in `channel` and
/// `resolved.channels` (with the invoking user's `permissions`).
pub fn partial_channel_json(world: &World, channel_id: u64, user_id: u64) -> Value {
    match world.channel(channel_id) {
        Some(c) => {
            let mut v = channel_json(c, world);
            v["permissions"] = json!(world.channel_permissions(user_id, c.id).to_string());
            v
        }
        None => {
            let recipient = world.dm_recipient(channel_id).unwrap_or(user_id);
            dm_channel_json(world, channel_id, recipient)
        }
    }
}

/// A guild member object with its user. `permissions` (the member's
/// permissions in a channel, as interactions include it) is added when given.
pub fn member_json(world: &World, member: &MemberSpec, permissions: Option<u64>) -> Value {
    let mut m = json!({
        "user": world_user(world, member.user_id),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": member.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-15T12:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
        "avatar_decoration_data": null,
    });
    if let Some(p) = permissions {
        m["permissions"] = json!(p.to_string());
    }
    m
}

/// The member object for `user_id`, or a role-less member if unknown.
pub fn world_member_json(world: &World, user_id: u64, permissions: Option<u64>) -> Value {
    let fallback;
    let spec = match world.member(user_id) {
        Some(m) => m,
        None => {
            fallback = MemberSpec {
                user_id,
                username: format!("user{}", user_id % 10_000),
                global_name: None,
                bot: false,
                roles: vec![],
            };
            &fallback
        }
    };
    member_json(world, spec, permissions)
}

/// The guild object as `GET /guilds/{id}` returns it (no gateway extras).
pub fn guild_rest_json(world: &World) -> Value {
    json!({
        "id": world.guild_id.to_string(),
        "name": world.guild_name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": world.owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": world.roles.iter().map(|r| role_json(r, world)).collect::<Vec<_>>(),
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "public_updates_channel_id": null,
        "safety_alerts_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": false,
        "preferred_locale": "en-US",
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "nsfw": false,
        "incidents_data": null,
        "home_header": null,
        "hub_type": null,
        "latest_onboarding_question_id": null,
        "region": "deprecated",
    })
}

/// The guild object of a GUILD_CREATE dispatch: the REST object plus
/// `joined_at`, `member_count`, `members`, `channels`, `threads`, ...
pub fn guild_create_json(world: &World) -> Value {
    let mut g = guild_rest_json(world);
    let extra = json!({
        "joined_at": "2024-01-10T09:30:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": world.members.len(),
        "voice_states": [],
        "members": world.members.iter().map(|m| member_json(world, m, None)).collect::<Vec<_>>(),
        "channels": world.channels.iter().map(|c| channel_json(c, world)).collect::<Vec<_>>(),
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "activity_instances": [],
        "lazy": true,
        "application_command_counts": {},
    });
    if let (Some(g), Value::Object(extra)) = (g.as_object_mut(), extra) {
        g.extend(extra);
    }
    g
}

/// The `user_id`s mentioned as `<@id>` or `<@!id>` in `content`.
pub fn mentioned_user_ids(content: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let digits = rest.strip_prefix('!').unwrap_or(rest);
        let end = digits.find('>').unwrap_or(0);
        if let Ok(id) = digits[..end].parse::<u64>() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Builds a MESSAGE_CREATE payload (also usable as a message object, e.g. as
/// the target of a message context-menu command).
#[derive(Clone, Debug)]
pub struct MessageBuilder {
    pub id: u64,
    pub content: String,
    pub author_id: u64,
    pub channel_id: u64,
    /// `None` for a DM.
    pub in_guild: bool,
    pub components: Vec<Value>,
    pub referenced: Option<u64>,
}

impl MessageBuilder {
    /// A message by the default member in `#general`.
    pub fn guild(content: &str) -> Self {
        use super::world::ids::*;
        Self {
            id: next_snowflake(),
            content: content.to_owned(),
            author_id: MEMBER_USER_ID,
            channel_id: GENERAL_CHANNEL_ID,
            in_guild: true,
            components: vec![],
            referenced: None,
        }
    }

    /// A DM from the default member to the bot.
    pub fn dm(content: &str) -> Self {
        use super::world::ids::*;
        Self { channel_id: DM_CHANNEL_ID, in_guild: false, ..Self::guild(content) }
    }

    /// Sets the author.
    pub fn author(mut self, user_id: u64) -> Self {
        self.author_id = user_id;
        self
    }

    /// Sets the channel.
    pub fn channel(mut self, channel_id: u64) -> Self {
        self.channel_id = channel_id;
        self
    }

    /// Adds message components (action rows), e.g. for a bot message that a
    /// component interaction refers to.
    pub fn components(mut self, rows: Vec<Value>) -> Self {
        self.components = rows;
        self
    }

    /// Marks the message as a reply to `message_id`.
    pub fn reply_to(mut self, message_id: u64) -> Self {
        self.referenced = Some(message_id);
        self
    }

    /// The complete message object. Guild messages carry `guild_id` and a
    /// partial `member`; `mentions` lists users named as `<@id>`.
    pub fn build(&self, world: &World) -> Value {
        let mentions: Vec<Value> = mentioned_user_ids(&self.content)
            .into_iter()
            .map(|id| {
                let mut u = world_user(world, id);
                if self.in_guild {
                    let mut m = world_member_json(world, id, None);
                    if let Some(m) = m.as_object_mut() {
                        m.remove("user");
                    }
                    u["member"] = m;
                }
                u
            })
            .collect();
        let mut msg = json!({
            "id": self.id.to_string(),
            "channel_id": self.channel_id.to_string(),
            "author": world_user(world, self.author_id),
            "content": self.content,
            "timestamp": now_timestamp(),
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": false,
            "type": if self.referenced.is_some() { 19 } else { 0 },
            "flags": 0,
            "components": self.components,
            "nonce": self.id.to_string(),
        });
        if let Some(r) = self.referenced {
            msg["message_reference"] = json!({
                "type": 0,
                "message_id": r.to_string(),
                "channel_id": self.channel_id.to_string(),
                "guild_id": self.in_guild.then(|| world.guild_id.to_string()),
            });
            msg["referenced_message"] = Value::Null;
        }
        if self.in_guild {
            msg["guild_id"] = json!(world.guild_id.to_string());
            let mut member = world_member_json(world, self.author_id, None);
            if let Some(m) = member.as_object_mut() {
                m.remove("user");
            }
            msg["member"] = member;
        }
        msg
    }
}

/// An action row holding one button (`style` 1 = primary).
pub fn button_row(custom_id: &str, label: &str) -> Value {
    json!({
        "type": 1,
        "id": 1,
        "components": [{ "type": 2, "id": 2, "style": 1, "label": label, "custom_id": custom_id }],
    })
}

/// An action row holding one string select with the given option values.
pub fn string_select_row(custom_id: &str, values: &[&str]) -> Value {
    let options: Vec<Value> = values
        .iter()
        .map(|v| json!({ "label": v, "value": v, "description": null, "default": false }))
        .collect();
    json!({
        "type": 1,
        "id": 1,
        "components": [{
            "type": 3, "id": 2, "custom_id": custom_id, "options": options,
            "placeholder": "Choose", "min_values": 1, "max_values": 1,
        }],
    })
}

/// A message object the bot itself sent, as REST answers return it:
/// built from the request body (`content`, `embeds`, `components`, `flags`,
/// `message_reference`).
pub fn bot_message_from_body(world: &World, channel_id: u64, id: u64, body: &Value) -> Value {
    let content = body.get("content").and_then(Value::as_str).unwrap_or_default();
    let embeds: Vec<Value> = body
        .get("embeds")
        .and_then(Value::as_array)
        .map(|e| {
            e.iter()
                .map(|embed| {
                    let mut embed = embed.clone();
                    embed["type"] = json!("rich");
                    embed
                })
                .collect()
        })
        .unwrap_or_default();
    let mut msg = MessageBuilder::guild(content).author(world.bot_user_id).channel(channel_id);
    msg.id = id;
    msg.in_guild = false; // REST message objects carry no guild_id / member
    msg.components = body.get("components").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut out = msg.build(world);
    out["embeds"] = json!(embeds);
    out["flags"] = body.get("flags").cloned().filter(|f| !f.is_null()).unwrap_or(json!(0));
    if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()) {
        out["type"] = json!(19);
        out["message_reference"] = reference.clone();
        out["referenced_message"] = Value::Null;
    }
    out
}

/// Turns a bot message into an interaction-response message: webhook id and
/// application id set to the application, type 20 (chat input command).
pub fn mark_interaction_message(msg: &mut Value, world: &World) {
    msg["webhook_id"] = json!(world.application_id.to_string());
    msg["application_id"] = json!(world.application_id.to_string());
    msg["type"] = json!(20);
}
