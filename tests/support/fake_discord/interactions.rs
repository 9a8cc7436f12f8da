//! A builder for INTERACTION_CREATE payloads: slash commands (with string,
//! integer, boolean, user and channel options), message context-menu
//! commands, buttons, string selects and autocomplete, each in a guild
//! (with `member`, `app_permissions`) or in a DM (with `user`, no guild).

use serde_json::{Map, Value, json};

use super::messages::{MessageBuilder, button_row, string_select_row};
use super::payloads::{next_snowflake, partial_channel_json, world_member_json, world_user};
use super::world::{World, ids};

/// Discord's interaction types.
const TYPE_COMMAND: u8 = 2;
const TYPE_COMPONENT: u8 = 3;
const TYPE_AUTOCOMPLETE: u8 = 4;

/// The default attachment size limit Discord sends (10 MiB).
const ATTACHMENT_SIZE_LIMIT: u64 = 10 * 1024 * 1024;

/// A deterministic command id for a command name, so that the ids the fake
/// REST assigns on registration match the ids in built interactions.
pub fn command_id_for(name: &str) -> u64 {
    // FNV-1a, folded into a plausible snowflake range.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    1_200_000_000_000_000_000 + hash % 1_000_000_000_000
}

/// What kind of interaction is built.
#[derive(Clone, Debug)]
enum Kind {
    Slash { name: String },
    MessageCommand { name: String, target: Value },
    Autocomplete { name: String },
    Button { custom_id: String },
    StringSelect { custom_id: String, values: Vec<String> },
}

/// Where the interaction happens.
#[derive(Clone, Copy, Debug)]
enum Origin {
    Guild {
        channel_id: u64,
        user_id: u64,
    },
    /// `channel_id: None` means "the world's DM channel with the user".
    Dm {
        channel_id: Option<u64>,
        user_id: u64,
    },
}

/// Builds one INTERACTION_CREATE `d` payload. Defaults: guild `#general`,
/// invoked by [`ids::MEMBER_USER_ID`], locale `en-US`.
#[derive(Clone, Debug)]
pub struct InteractionBuilder {
    kind: Kind,
    origin: Origin,
    options: Vec<Value>,
    /// Extra `resolved` entries: `(section, id, object)`.
    resolved: Vec<(&'static str, u64, Value)>,
    id: u64,
    token: String,
    locale: String,
}

impl InteractionBuilder {
    fn new(kind: Kind) -> Self {
        let id = next_snowflake();
        Self {
            kind,
            origin: Origin::Guild { channel_id: ids::GENERAL_CHANNEL_ID, user_id: ids::MEMBER_USER_ID },
            options: vec![],
            resolved: vec![],
            id,
            token: format!("aW50ZXJhY3Rpb246{id}:fake-interaction-token"),
            locale: "en-US".to_owned(),
        }
    }

    /// A CHAT_INPUT (`/name`) command.
    pub fn slash(name: &str) -> Self {
        Self::new(Kind::Slash { name: name.to_owned() })
    }

    /// A MESSAGE context-menu command targeting `target` (a message object,
    /// e.g. from [`MessageBuilder::build`]); it lands in `resolved.messages`.
    pub fn message_command(name: &str, target: Value) -> Self {
        Self::new(Kind::MessageCommand { name: name.to_owned(), target })
    }

    /// An APPLICATION_COMMAND_AUTOCOMPLETE for `/name`; add the focused option
    /// with [`Self::focused`].
    pub fn autocomplete(name: &str) -> Self {
        Self::new(Kind::Autocomplete { name: name.to_owned() })
    }

    /// A button press (`component_type` 2) on a bot message holding it.
    pub fn button(custom_id: &str) -> Self {
        Self::new(Kind::Button { custom_id: custom_id.to_owned() })
    }

    /// A string select (`component_type` 3) with the chosen values.
    pub fn string_select(custom_id: &str, values: &[&str]) -> Self {
        let values = values.iter().map(|v| (*v).to_owned()).collect();
        Self::new(Kind::StringSelect { custom_id: custom_id.to_owned(), values })
    }

    /// Happens in a guild channel, invoked by `user_id` (a world member).
    pub fn in_guild(mut self, channel_id: u64, user_id: u64) -> Self {
        self.origin = Origin::Guild { channel_id, user_id };
        self
    }

    /// Happens in the bot's DM with `user_id` (in the world's DM channel with
    /// that user, or [`ids::DM_CHANNEL_ID`] if the world has none).
    pub fn in_dm(mut self, user_id: u64) -> Self {
        self.origin = Origin::Dm { channel_id: None, user_id };
        self
    }

    /// Sets the invoking user's locale.
    pub fn locale(mut self, locale: &str) -> Self {
        self.locale = locale.to_owned();
        self
    }

    /// A string option.
    pub fn string(self, name: &str, value: &str) -> Self {
        self.option(json!({ "name": name, "type": 3, "value": value }))
    }

    /// An integer option.
    pub fn integer(self, name: &str, value: i64) -> Self {
        self.option(json!({ "name": name, "type": 4, "value": value }))
    }

    /// A boolean option.
    pub fn boolean(self, name: &str, value: bool) -> Self {
        self.option(json!({ "name": name, "type": 5, "value": value }))
    }

    /// A channel option; the channel is added to `resolved.channels` at
    /// build time.
    pub fn channel(mut self, name: &str, channel_id: u64) -> Self {
        self.resolved.push(("channels", channel_id, Value::Null));
        self.option(json!({ "name": name, "type": 7, "value": channel_id.to_string() }))
    }

    /// A user option; the user (and member, in guilds) is resolved.
    pub fn user(mut self, name: &str, user_id: u64) -> Self {
        self.resolved.push(("users", user_id, Value::Null));
        self.option(json!({ "name": name, "type": 6, "value": user_id.to_string() }))
    }

    /// The focused (partially typed) string option of an autocomplete.
    pub fn focused(self, name: &str, partial: &str) -> Self {
        self.option(json!({ "name": name, "type": 3, "value": partial, "focused": true }))
    }

    /// Any raw option object (e.g. a subcommand with nested options).
    pub fn option(mut self, option: Value) -> Self {
        self.options.push(option);
        self
    }

    /// The interaction id (what the callback path starts with).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The interaction token (used in callback and webhook paths).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `/interactions/{id}/{token}/callback`, relative to `/api/v10`.
    pub fn callback_path(&self) -> String {
        format!("/interactions/{}/{}/callback", self.id, self.token)
    }

    /// `(channel id, invoking user id)`.
    fn origin_ids(&self, world: &World) -> (u64, u64) {
        match self.origin {
            Origin::Guild { channel_id, user_id } => (channel_id, user_id),
            Origin::Dm { channel_id, user_id } => {
                let fallback = world.dm_channel_with(user_id).unwrap_or(ids::DM_CHANNEL_ID);
                (channel_id.unwrap_or(fallback), user_id)
            }
        }
    }

    fn resolved_json(&self, world: &World) -> Value {
        let (_, invoker) = self.origin_ids(world);
        let in_guild = matches!(self.origin, Origin::Guild { .. });
        let mut sections: Map<String, Value> = Map::new();
        let mut put = |section: &str, id: u64, value: Value| {
            let entry = sections.entry(section.to_owned()).or_insert_with(|| json!({}));
            entry[id.to_string()] = value;
        };
        for (section, id, value) in &self.resolved {
            match *section {
                "channels" => put("channels", *id, partial_channel_json(world, *id, invoker)),
                "users" => {
                    put("users", *id, world_user(world, *id));
                    if in_guild {
                        let mut m = world_member_json(world, *id, None);
                        if let Some(m) = m.as_object_mut() {
                            m.remove("user");
                        }
                        put("members", *id, m);
                    }
                }
                other => put(other, *id, value.clone()),
            }
        }
        Value::Object(sections)
    }

    fn data_json(&self, world: &World) -> Value {
        let resolved = self.resolved_json(world);
        let command = |name: &str, kind: u8| {
            let mut d = json!({
                "id": command_id_for(name).to_string(),
                "name": name,
                "type": kind,
                "options": self.options,
            });
            if resolved.as_object().is_some_and(|r| !r.is_empty()) {
                d["resolved"] = resolved.clone();
            }
            if matches!(self.origin, Origin::Guild { .. }) {
                d["guild_id"] = json!(world.guild_id.to_string());
            }
            d
        };
        match &self.kind {
            Kind::Slash { name } | Kind::Autocomplete { name } => command(name, 1),
            Kind::MessageCommand { name, target } => {
                let target_id = target["id"].as_str().unwrap_or("0").to_owned();
                let mut d = command(name, 3);
                d["target_id"] = json!(target_id);
                d["resolved"] = json!({ "messages": { target_id: target } });
                d
            }
            Kind::Button { custom_id } => {
                json!({ "custom_id": custom_id, "component_type": 2, "id": 2 })
            }
            Kind::StringSelect { custom_id, values } => {
                json!({ "custom_id": custom_id, "component_type": 3, "id": 2, "values": values })
            }
        }
    }

    /// The message a component interaction is attached to: a bot message in
    /// the origin channel holding the component.
    fn component_message(&self, world: &World) -> Option<Value> {
        let (channel_id, _) = self.origin_ids(world);
        let row = match &self.kind {
            Kind::Button { custom_id } => button_row(custom_id, "Click"),
            Kind::StringSelect { custom_id, values } => {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                string_select_row(custom_id, &values)
            }
            _ => return None,
        };
        let mut msg = MessageBuilder::guild("Pick one:")
            .author(world.bot_user_id)
            .channel(channel_id)
            .components(vec![row])
            .rest_shape()
            .build(world);
        msg["application_id"] = json!(world.application_id.to_string());
        Some(msg)
    }

    /// The complete INTERACTION_CREATE `d` payload.
    pub fn build(&self, world: &World) -> Value {
        let (channel_id, user_id) = self.origin_ids(world);
        let kind = match self.kind {
            Kind::Slash { .. } | Kind::MessageCommand { .. } => TYPE_COMMAND,
            Kind::Autocomplete { .. } => TYPE_AUTOCOMPLETE,
            Kind::Button { .. } | Kind::StringSelect { .. } => TYPE_COMPONENT,
        };
        let mut i = json!({
            "id": self.id.to_string(),
            "application_id": world.application_id.to_string(),
            "type": kind,
            "data": self.data_json(world),
            "channel_id": channel_id.to_string(),
            "channel": partial_channel_json(world, channel_id, user_id),
            "token": self.token,
            "version": 1,
            "locale": self.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        });
        match self.origin {
            Origin::Guild { .. } => {
                let member_perms = world.channel_permissions(user_id, channel_id);
                i["guild_id"] = json!(world.guild_id.to_string());
                i["guild"] = json!({
                    "id": world.guild_id.to_string(),
                    "locale": "en-US",
                    "features": [],
                });
                i["guild_locale"] = json!("en-US");
                i["member"] = world_member_json(world, user_id, Some(member_perms));
                i["app_permissions"] = json!(world.channel_permissions(world.bot_user_id, channel_id).to_string());
                i["authorizing_integration_owners"] = json!({ "0": world.guild_id.to_string() });
                i["context"] = json!(0);
            }
            Origin::Dm { .. } => {
                use super::world::perm;
                let dm_perms = perm::VIEW_CHANNEL
                    | perm::SEND_MESSAGES
                    | perm::EMBED_LINKS
                    | perm::ATTACH_FILES
                    | perm::READ_MESSAGE_HISTORY
                    | perm::ADD_REACTIONS
                    | perm::USE_EXTERNAL_EMOJIS
                    | perm::USE_APPLICATION_COMMANDS;
                i["user"] = world_user(world, user_id);
                i["app_permissions"] = json!(dm_perms.to_string());
                i["authorizing_integration_owners"] = json!({ "0": "0" });
                i["context"] = json!(1);
            }
        }
        if let Some(message) = self.component_message(world) {
            i["message"] = message;
        }
        i
    }
}
