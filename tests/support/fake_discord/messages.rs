//! Message payloads: MESSAGE_CREATE builder (guild and DM, with `mentions`),
//! component rows, and the message objects the fake REST answers with.

use serde_json::{Value, json};

use super::payloads::{next_snowflake, now_timestamp, world_member_json, world_user};
use super::world::World;

/// `"<@ID> text"`: a message that mentions the bot of the default world.
pub fn mention_bot(text: &str) -> String {
    format!("<@{}> {text}", super::world::ids::BOT_USER_ID)
}

/// The `user_id`s mentioned as `<@id>` or `<@!id>` in `content`.
pub fn mentioned_user_ids(content: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let digits = rest.strip_prefix('!').unwrap_or(rest);
        let end = digits.find('>').unwrap_or(0);
        if let Ok(id) = digits[..end].parse::<u64>()
            && !ids.contains(&id)
        {
            ids.push(id);
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
    /// Adds `guild_id` and `member` (gateway guild messages have them; DMs
    /// and REST answers do not).
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

    /// Sets the message id.
    pub fn id(mut self, id: u64) -> Self {
        self.id = id;
        self
    }

    /// Drops `guild_id` and `member`, as message objects in REST answers and
    /// in interactions come without them.
    pub fn rest_shape(mut self) -> Self {
        self.in_guild = false;
        self
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
    let options: Vec<Value> =
        values.iter().map(|v| json!({ "label": v, "value": v, "description": null, "default": false })).collect();
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
    let components = body.get("components").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut out = MessageBuilder::guild(content)
        .id(id)
        .author(world.bot_user_id)
        .channel(channel_id)
        .components(components)
        .rest_shape()
        .build(world);
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
