//! The fake guild the fake Discord serves: ids, roles, channels, members and
//! Discord's permission algorithm.
//!
//! The same [`World`] feeds the GUILD_CREATE dispatch, the REST routes
//! (`GET /guilds/..`, `GET /channels/..`) and the permission check on
//! `POST /channels/{id}/messages`, so a test that edits the world (for
//! example denies the bot `SEND_MESSAGES` somewhere) sees one consistent
//! Discord.

/// Snowflake ids of the default world. Everything is a `u64`; payloads render
/// them as strings, as Discord does.
pub mod ids {
    /// The bot's application id; modern bots share it with their user id.
    pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
    /// The bot user.
    pub const BOT_USER_ID: u64 = APPLICATION_ID;
    /// The one guild the bot is in.
    pub const GUILD_ID: u64 = 1_100_000_000_000_000_100;
    /// `@everyone` shares the guild's id.
    pub const EVERYONE_ROLE_ID: u64 = GUILD_ID;
    /// "Moderator": manage messages, kick, ban, timeout.
    pub const MODERATOR_ROLE_ID: u64 = 1_100_000_000_000_000_101;
    /// The bot's managed integration role.
    pub const BOT_ROLE_ID: u64 = 1_100_000_000_000_000_102;
    /// A category holding the text channels.
    pub const CATEGORY_ID: u64 = 1_100_000_000_000_000_200;
    /// `#general`: everyone, the bot included, may talk and embed.
    pub const GENERAL_CHANNEL_ID: u64 = 1_100_000_000_000_000_201;
    /// `#announcements`: a member overwrite denies the bot `SEND_MESSAGES`
    /// and `EMBED_LINKS`; posting there answers 403 / 50013.
    pub const RESTRICTED_CHANNEL_ID: u64 = 1_100_000_000_000_000_202;
    /// `#no-embeds`: the bot may talk but not embed links.
    pub const NO_EMBEDS_CHANNEL_ID: u64 = 1_100_000_000_000_000_203;
    /// The DM channel between the bot and [`MEMBER_USER_ID`].
    pub const DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_300;
    /// An ordinary member without roles.
    pub const MEMBER_USER_ID: u64 = 1_100_000_000_000_000_400;
    /// A member holding the moderator role.
    pub const MODERATOR_USER_ID: u64 = 1_100_000_000_000_000_401;
    /// The guild owner.
    pub const OWNER_USER_ID: u64 = 1_100_000_000_000_000_402;
}

/// Discord permission bits (the subset a bot cares about).
pub mod perm {
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    pub const KICK_MEMBERS: u64 = 1 << 1;
    pub const BAN_MEMBERS: u64 = 1 << 2;
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const SEND_TTS_MESSAGES: u64 = 1 << 12;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    pub const CONNECT: u64 = 1 << 20;
    pub const SPEAK: u64 = 1 << 21;
    pub const CHANGE_NICKNAME: u64 = 1 << 26;
    pub const MANAGE_ROLES: u64 = 1 << 28;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    pub const MODERATE_MEMBERS: u64 = 1 << 40;
    /// Every bit Discord currently defines (what an administrator gets).
    pub const ALL: u64 = (1 << 51) - 1;
}

/// Channel types used by the world (Discord's numeric `type`).
pub mod channel_type {
    pub const GUILD_TEXT: u8 = 0;
    pub const DM: u8 = 1;
    pub const GUILD_CATEGORY: u8 = 4;
}

/// A guild role.
#[derive(Clone, Debug)]
pub struct RoleSpec {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
    pub position: u16,
    pub color: u32,
    /// Integration-managed (the bot's own role).
    pub managed: bool,
}

/// One permission overwrite on a channel.
#[derive(Clone, Copy, Debug)]
pub struct Overwrite {
    /// Role id (`kind == 0`) or user id (`kind == 1`).
    pub id: u64,
    pub kind: u8,
    pub allow: u64,
    pub deny: u64,
}

impl Overwrite {
    /// Overwrite for a role.
    pub fn role(id: u64, allow: u64, deny: u64) -> Self {
        Self { id, kind: 0, allow, deny }
    }

    /// Overwrite for one member.
    pub fn member(id: u64, allow: u64, deny: u64) -> Self {
        Self { id, kind: 1, allow, deny }
    }
}

/// A guild channel.
#[derive(Clone, Debug)]
pub struct ChannelSpec {
    pub id: u64,
    pub name: String,
    pub kind: u8,
    pub position: u16,
    pub parent_id: Option<u64>,
    pub topic: Option<String>,
    pub overwrites: Vec<Overwrite>,
}

/// A guild member (and the user behind it).
#[derive(Clone, Debug)]
pub struct MemberSpec {
    pub user_id: u64,
    pub username: String,
    pub global_name: Option<String>,
    pub bot: bool,
    pub roles: Vec<u64>,
}

/// The fake guild plus the bot's DM channels.
#[derive(Clone, Debug)]
pub struct World {
    pub guild_id: u64,
    pub guild_name: String,
    pub owner_id: u64,
    pub roles: Vec<RoleSpec>,
    pub channels: Vec<ChannelSpec>,
    pub members: Vec<MemberSpec>,
    /// `(dm channel id, recipient user id)`.
    pub dm_channels: Vec<(u64, u64)>,
    pub bot_user_id: u64,
    pub bot_username: String,
    pub application_id: u64,
}

impl Default for World {
    fn default() -> Self {
        use ids::*;
        let everyone = perm::VIEW_CHANNEL
            | perm::SEND_MESSAGES
            | perm::SEND_MESSAGES_IN_THREADS
            | perm::EMBED_LINKS
            | perm::ATTACH_FILES
            | perm::ADD_REACTIONS
            | perm::READ_MESSAGE_HISTORY
            | perm::USE_EXTERNAL_EMOJIS
            | perm::USE_APPLICATION_COMMANDS
            | perm::CREATE_INSTANT_INVITE
            | perm::CHANGE_NICKNAME
            | perm::CONNECT
            | perm::SPEAK;
        let moderator = perm::MANAGE_MESSAGES
            | perm::KICK_MEMBERS
            | perm::BAN_MEMBERS
            | perm::MODERATE_MEMBERS
            | perm::MANAGE_THREADS;
        let bot = perm::VIEW_CHANNEL
            | perm::SEND_MESSAGES
            | perm::EMBED_LINKS
            | perm::READ_MESSAGE_HISTORY
            | perm::ADD_REACTIONS
            | perm::USE_APPLICATION_COMMANDS;
        let role = |id, name: &str, permissions, position, color, managed| RoleSpec {
            id,
            name: name.to_owned(),
            permissions,
            position,
            color,
            managed,
        };
        let text = |id, name: &str, position, overwrites| ChannelSpec {
            id,
            name: name.to_owned(),
            kind: channel_type::GUILD_TEXT,
            position,
            parent_id: Some(CATEGORY_ID),
            topic: None,
            overwrites,
        };
        let member = |user_id, name: &str, bot: bool, roles| MemberSpec {
            user_id,
            username: name.to_owned(),
            global_name: (!bot).then(|| name.to_uppercase()),
            bot,
            roles,
        };
        World {
            guild_id: GUILD_ID,
            guild_name: "Her2 Test Guild".to_owned(),
            owner_id: OWNER_USER_ID,
            roles: vec![
                role(EVERYONE_ROLE_ID, "@everyone", everyone, 0, 0, false),
                role(BOT_ROLE_ID, "her2bot", bot, 1, 0, true),
                role(MODERATOR_ROLE_ID, "Moderator", moderator, 2, 0x00E6_7E22, false),
            ],
            channels: vec![
                ChannelSpec {
                    id: CATEGORY_ID,
                    name: "Text Channels".to_owned(),
                    kind: channel_type::GUILD_CATEGORY,
                    position: 0,
                    parent_id: None,
                    topic: None,
                    overwrites: vec![],
                },
                text(GENERAL_CHANNEL_ID, "general", 0, vec![]),
                text(
                    RESTRICTED_CHANNEL_ID,
                    "announcements",
                    1,
                    vec![Overwrite::member(BOT_USER_ID, 0, perm::SEND_MESSAGES | perm::EMBED_LINKS)],
                ),
                text(NO_EMBEDS_CHANNEL_ID, "no-embeds", 2, vec![Overwrite::role(BOT_ROLE_ID, 0, perm::EMBED_LINKS)]),
            ],
            members: vec![
                member(BOT_USER_ID, "her2bot", true, vec![BOT_ROLE_ID]),
                member(MEMBER_USER_ID, "alice", false, vec![]),
                member(MODERATOR_USER_ID, "mona", false, vec![MODERATOR_ROLE_ID]),
                member(OWNER_USER_ID, "olga", false, vec![]),
            ],
            dm_channels: vec![(DM_CHANNEL_ID, MEMBER_USER_ID)],
            bot_user_id: BOT_USER_ID,
            bot_username: "her2bot".to_owned(),
            application_id: APPLICATION_ID,
        }
    }
}

impl World {
    /// The member with this user id, if any.
    pub fn member(&self, user_id: u64) -> Option<&MemberSpec> {
        self.members.iter().find(|m| m.user_id == user_id)
    }

    /// The guild channel with this id, if any.
    pub fn channel(&self, channel_id: u64) -> Option<&ChannelSpec> {
        self.channels.iter().find(|c| c.id == channel_id)
    }

    /// The DM channel with this id: its recipient's user id.
    pub fn dm_recipient(&self, channel_id: u64) -> Option<u64> {
        self.dm_channels.iter().find(|(c, _)| *c == channel_id).map(|(_, u)| *u)
    }

    /// The DM channel with this user, if one exists.
    pub fn dm_channel_with(&self, user_id: u64) -> Option<u64> {
        self.dm_channels.iter().find(|(_, u)| *u == user_id).map(|(c, _)| *c)
    }

    /// Adds (or replaces) overwrites so the bot is denied `deny` in a channel.
    pub fn deny_bot(&mut self, channel_id: u64, deny: u64) {
        let bot = self.bot_user_id;
        if let Some(channel) = self.channels.iter_mut().find(|c| c.id == channel_id) {
            channel.overwrites.retain(|o| !(o.kind == 1 && o.id == bot));
            channel.overwrites.push(Overwrite::member(bot, 0, deny));
        }
    }

    /// Guild-level permissions: `@everyone` plus the member's roles.
    pub fn base_permissions(&self, user_id: u64) -> u64 {
        if user_id == self.owner_id {
            return perm::ALL;
        }
        let role_perms = |id: u64| self.roles.iter().find(|r| r.id == id).map_or(0, |r| r.permissions);
        let mut perms = role_perms(self.guild_id);
        if let Some(member) = self.member(user_id) {
            for role in &member.roles {
                perms |= role_perms(*role);
            }
        }
        if perms & perm::ADMINISTRATOR != 0 { perm::ALL } else { perms }
    }

    /// Effective permissions of a user in a guild channel, following
    /// Discord's documented algorithm (everyone overwrite, then the union of
    /// role overwrites, then the member overwrite, then implicit denials).
    /// Unknown channels yield the guild-level permissions.
    pub fn channel_permissions(&self, user_id: u64, channel_id: u64) -> u64 {
        let base = self.base_permissions(user_id);
        if base & perm::ADMINISTRATOR != 0 || user_id == self.owner_id {
            return perm::ALL;
        }
        let Some(channel) = self.channel(channel_id) else { return base };
        let roles: &[u64] = self.member(user_id).map_or(&[], |m| &m.roles);
        let mut perms = base;
        let apply = |perms: &mut u64, allow: u64, deny: u64| {
            *perms &= !deny;
            *perms |= allow;
        };
        if let Some(o) = channel.overwrites.iter().find(|o| o.kind == 0 && o.id == self.guild_id) {
            apply(&mut perms, o.allow, o.deny);
        }
        let (mut allow, mut deny) = (0, 0);
        for o in channel.overwrites.iter().filter(|o| o.kind == 0 && roles.contains(&o.id)) {
            allow |= o.allow;
            deny |= o.deny;
        }
        apply(&mut perms, allow, deny);
        if let Some(o) = channel.overwrites.iter().find(|o| o.kind == 1 && o.id == user_id) {
            apply(&mut perms, o.allow, o.deny);
        }
        if perms & perm::VIEW_CHANNEL == 0 {
            return 0;
        }
        if perms & perm::SEND_MESSAGES == 0 {
            perms &= !(perm::SEND_TTS_MESSAGES | perm::MENTION_EVERYONE | perm::EMBED_LINKS | perm::ATTACH_FILES);
        }
        perms
    }
}
