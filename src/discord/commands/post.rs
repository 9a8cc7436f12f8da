//! `/post topic:<autocomplete> [channel] [note]`: a moderator posts an entry
//! into a channel. Restricted by default to Manage Messages, and checked
//! again here (plus the optional moderator role). If the bot may not post
//! there, the moderator is told exactly which permission is missing.

use serenity::builder::{
    CreateCommand, CreateCommandOption, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::client::Context;
use serenity::model::application::{CommandInteraction, CommandOptionType};
use serenity::model::channel::ChannelType;
use serenity::model::id::{ChannelId, GuildId};
use serenity::model::permissions::Permissions;

use super::{channel_option, faq, note, string_option};
use crate::discord::perms::{self, POST_NEEDS};
use crate::discord::render::{self, Rendered};
use crate::discord::send;
use crate::discord::state::{State, find_topic, unknown_topic};

/// Command name.
pub const NAME: &str = "post";
/// Command description.
pub const DESCRIPTION: &str = "Post an FAQ topic in a channel (moderators)";
/// The channel option.
pub const CHANNEL: &str = "channel";
/// The note option.
pub const NOTE: &str = "note";
/// Longest note.
pub const NOTE_MAX: u16 = 1000;

/// The command as registered: guild only, Manage Messages by default.
pub fn register() -> CreateCommand {
    super::server_command(NAME, DESCRIPTION, Permissions::MANAGE_MESSAGES)
        .add_option(faq::topic_option("The topic to post"))
        .add_option(
            CreateCommandOption::new(CommandOptionType::Channel, CHANNEL, "Where to post it (default: this channel)")
                .channel_types(vec![ChannelType::Text, ChannelType::News]),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, NOTE, "A short note shown with the topic")
                .max_length(NOTE_MAX),
        )
}

/// Why a member may not post.
fn not_allowed(state: &State) -> String {
    let role = state.moderator_role().map(|r| format!(" or the <@&{r}> role")).unwrap_or_default();
    format!("Only moderators can post topics: it needs the **Manage Messages** permission{role}.")
}

/// Posts the chosen entry.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let (Some(guild), Some(member)) = (cmd.guild_id, cmd.member.as_deref()) else {
        return note(ctx, cmd, "`/post` works in servers only.").await;
    };
    if !perms::is_moderator(member, state.moderator_role()) {
        tracing::info!(source = NAME, "refused: not a moderator");
        return note(ctx, cmd, not_allowed(state)).await;
    }
    let value = string_option(cmd, faq::TOPIC).unwrap_or_default();
    let engine = state.engine();
    let Some((id, reply)) = find_topic(&engine, value).and_then(|id| engine.entry_reply(&id).map(|r| (id, r))) else {
        return note(ctx, cmd, unknown_topic(value)).await;
    };
    let target = channel_option(cmd, CHANNEL).unwrap_or(cmd.channel_id);
    let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    if !send::respond(&ctx.http, cmd.id, &cmd.token, defer, "post defer").await {
        return;
    }
    let outcome = post(ctx, state, cmd, guild, target, render::post(&reply, string_option(cmd, NOTE))).await;
    let text = match outcome {
        Ok(link) => {
            tracing::info!(source = NAME, intent = %id, "topic posted");
            format!("Posted **{}** in <#{target}>: {link}", reply.title)
        }
        Err(why) => why,
    };
    send::edit(&ctx.http, &cmd.token, Rendered::text(text).edit(), "post confirmation").await;
}

/// Checks the bot's permissions in `target`, then posts; the message link,
/// or what to tell the moderator.
async fn post(
    ctx: &Context,
    state: &State,
    cmd: &CommandInteraction,
    guild: GuildId,
    target: ChannelId,
    rendered: Rendered,
) -> Result<String, String> {
    let have = match (target == cmd.channel_id, cmd.app_permissions, state.bot_user()) {
        (true, Some(p), _) => Some(p),
        (_, _, Some(bot)) => perms::bot_permissions_in(&ctx.http, guild, target, bot).await,
        _ => None,
    };
    if let Some(have) = have {
        let missing = perms::missing(have, POST_NEEDS);
        if !missing.is_empty() {
            tracing::info!(source = NAME, ?missing, "bot lacks permissions");
            return Err(perms::explain_missing(target, &missing));
        }
    }
    match target.send_message(&ctx.http, rendered.message()).await {
        Ok(message) => Ok(message.id.link(target, Some(guild))),
        Err(e) => {
            let refusal = send::refusal(&e);
            send::logged::<()>(Err(e), "post topic");
            match refusal {
                Some(r) if r.status == 403 => Err(perms::explain_refusal(target, r)),
                _ => Err("Sorry, Discord didn't accept the post. Please try again in a moment.".into()),
            }
        }
    }
}
