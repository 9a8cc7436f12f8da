//! Permission checks: who may post topics, and whether the bot itself may
//! post in a channel (with the missing permissions named as Discord shows
//! them, so a moderator knows exactly what to grant).

use serenity::http::Http;
use serenity::model::channel::Channel;
use serenity::model::guild::Member;
use serenity::model::id::{ChannelId, GuildId, RoleId, UserId};
use serenity::model::permissions::Permissions;

use super::send::{self, MISSING_ACCESS, Refusal};

/// What the bot needs to post an embed in a channel.
pub const POST_NEEDS: &[(Permissions, &str)] = &[
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
];

/// What the bot needs to reply to a message with an embed.
pub const REPLY_NEEDS: &[(Permissions, &str)] = &[
    (Permissions::VIEW_CHANNEL, "View Channel"),
    (Permissions::SEND_MESSAGES, "Send Messages"),
    (Permissions::EMBED_LINKS, "Embed Links"),
    (Permissions::READ_MESSAGE_HISTORY, "Read Message History"),
];

/// The names of the permissions in `needs` that `have` lacks.
pub fn missing(have: Permissions, needs: &[(Permissions, &'static str)]) -> Vec<&'static str> {
    if have.contains(Permissions::ADMINISTRATOR) {
        return Vec::new();
    }
    needs.iter().filter(|(p, _)| !have.contains(*p)).map(|(_, name)| *name).collect()
}

/// "**A**", "**A** and **B**", "**A**, **B** and **C**".
fn list(names: &[&str]) -> String {
    let bold: Vec<String> = names.iter().map(|n| format!("**{n}**")).collect();
    match bold.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Tells a moderator what the bot lacks in a channel.
pub fn explain_missing(channel: ChannelId, missing: &[&str]) -> String {
    let (noun, it) = if missing.len() == 1 { ("permission", "it") } else { ("permissions", "them") };
    format!(
        "I can't post in <#{channel}>: I'm missing the {} {noun} there. \
Please ask a server admin to grant {it} to my role in that channel, then try again.",
        list(missing)
    )
}

/// Tells a moderator that Discord refused a post, naming what is known.
pub fn explain_refusal(channel: ChannelId, refusal: Refusal) -> String {
    if refusal.code == MISSING_ACCESS {
        return explain_missing(channel, &["View Channel"]);
    }
    let all: Vec<&str> = POST_NEEDS.iter().map(|(_, n)| *n).collect();
    format!("Discord refused my post in <#{channel}> (missing permissions). I need {} there.", list(&all))
}

/// Whether a member may post topics: Manage Messages (or Administrator) in
/// the channel, or the configured moderator role.
pub fn is_moderator(member: &Member, moderator_role: Option<RoleId>) -> bool {
    let perms = member.permissions.unwrap_or_else(Permissions::empty);
    perms.intersects(Permissions::MANAGE_MESSAGES | Permissions::ADMINISTRATOR)
        || moderator_role.is_some_and(|r| member.roles.contains(&r))
}

/// Whether a member is a server administrator (the Administrator
/// permission, which Discord also reports for the server owner).
pub fn is_admin(member: &Member) -> bool {
    member.permissions.is_some_and(|p| p.contains(Permissions::ADMINISTRATOR))
}

/// The bot's permissions in a guild channel, computed from the channel's
/// overwrites, the guild's roles and the bot's member; `None` if Discord
/// did not tell. A channel the bot cannot see gives empty permissions.
pub async fn bot_permissions_in(http: &Http, guild: GuildId, channel: ChannelId, bot: UserId) -> Option<Permissions> {
    let channel = match http.get_channel(channel).await {
        Ok(Channel::Guild(c)) => c,
        Ok(_) => return None,
        Err(e) if send::refusal(&e).is_some_and(|r| r.code == MISSING_ACCESS || r.status == 404) => {
            return Some(Permissions::empty());
        }
        Err(e) => return send::logged(Err(e), "get channel for permissions"),
    };
    let guild = send::logged(http.get_guild(guild).await, "get guild for permissions")?;
    let member = send::logged(http.get_member(guild.id, bot).await, "get bot member for permissions")?;
    Some(guild.user_permissions_in(&channel, &member))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perms_missing_named() {
        let all = Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::EMBED_LINKS;
        assert!(missing(all, POST_NEEDS).is_empty());
        assert_eq!(missing(Permissions::VIEW_CHANNEL, POST_NEEDS), ["Send Messages", "Embed Links"]);
        assert!(missing(Permissions::ADMINISTRATOR, REPLY_NEEDS).is_empty());
        assert_eq!(missing(all, REPLY_NEEDS), ["Read Message History"]);
    }

    #[test]
    fn perms_explained() {
        let c = ChannelId::new(5);
        assert_eq!(
            explain_missing(c, &["Send Messages", "Embed Links"]),
            "I can't post in <#5>: I'm missing the **Send Messages** and **Embed Links** permissions there. \
Please ask a server admin to grant them to my role in that channel, then try again."
        );
        assert!(explain_missing(c, &["A", "B", "C"]).contains("**A**, **B** and **C** permissions"));
        assert!(
            explain_refusal(c, Refusal { status: 403, code: MISSING_ACCESS }).contains("**View Channel** permission")
        );
    }
}
