//! Builders for complete, current-format Discord payloads: users, members,
//! roles, channels, guilds, READY.
//!
//! serenity 0.12.5 silently turns a gateway event it cannot deserialize into
//! `Event::Unknown`, so every builder here emits *all* fields serenity
//! requires (`colors` on roles, `flags` on members, ...). The self-test
//! deserializes each builder's output with serenity's own models. Messages
//! are in [`super::messages`], interactions in [`super::interactions`].

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

/// The READY dispatch's `d` for a new session on `shard` (`[id, total]`).
pub fn ready_json(world: &World, session_id: &str, shard: &Value, resume_url: &str) -> Value {
    json!({
        "v": 10,
        "user": current_user_json(world),
        "guilds": [{ "id": world.guild_id.to_string(), "unavailable": true }],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_url,
        "shard": shard,
        "application": { "id": world.application_id.to_string(), "flags": 0 },
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "guild_join_requests": [],
        "user_settings": {},
        "auth": {},
        "geo_ordered_rtc_regions": ["rotterdam", "frankfurt"],
        "_trace": ["[\"fake-discord\",{\"micros\":1}]"],
    })
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
    let guild = json!({
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
    });
    let settings = json!({
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
    });
    merge(guild, settings)
}

/// `a` with all top-level fields of `b` added (both must be objects).
fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// The guild object of a GUILD_CREATE dispatch: the REST object plus
/// `joined_at`, `member_count`, `members`, `channels`, `threads`, ...
pub fn guild_create_json(world: &World) -> Value {
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
    merge(guild_rest_json(world), extra)
}
