//! Message context-menu command "Answer with FAQ": a helper picks someone's
//! message and the bot replies to it with the matching answer. When unsure,
//! the helper first gets a private choice; its buttons carry the channel
//! and message ids, so the choice still works after a restart.

use serenity::builder::{CreateCommand, CreateInteractionResponse, CreateInteractionResponseMessage};
use serenity::client::Context;
use serenity::model::application::{CommandInteraction, CommandType, ComponentInteraction, ResolvedTarget};
use serenity::model::id::{ChannelId, MessageId};
use serenity::model::permissions::Permissions;

use super::{note, respond};
use crate::discord::cooldown::{self, Check};
use crate::discord::ids::CustomId;
use crate::discord::mention::strip_mentions_of;
use crate::discord::perms::{self, REPLY_NEEDS};
use crate::discord::render::{self, Rendered};
use crate::discord::send;
use crate::discord::state::{State, log_decision, too_long};
use crate::reply::ReplyKind;

/// Command name (shown in the Apps menu).
pub const NAME: &str = "Answer with FAQ";
/// What it does (message commands have no description on Discord).
pub const DESCRIPTION: &str = "Reply to a message with the matching FAQ answer";

/// The command as registered.
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).kind(CommandType::Message)
}

/// Replies to `message` with `rendered`; the reply's link, or what to tell
/// the helper.
async fn post_reply(
    ctx: &Context,
    have: Option<Permissions>,
    channel: ChannelId,
    message: MessageId,
    guild: Option<serenity::model::id::GuildId>,
    rendered: Rendered,
) -> Result<String, String> {
    if let Some(have) = have {
        let missing = perms::missing(have, REPLY_NEEDS);
        if !missing.is_empty() {
            return Err(perms::explain_missing(channel, &missing));
        }
    }
    match channel.send_message(&ctx.http, rendered.reply_to(channel, message)).await {
        Ok(posted) => Ok(posted.id.link(channel, guild)),
        Err(e) => {
            let refusal = send::refusal(&e);
            send::logged::<()>(Err(e), "answer with FAQ reply");
            match refusal {
                Some(r) if r.status == 403 => Err(perms::explain_refusal(channel, r)),
                _ => Err("Sorry, Discord didn't accept my reply. Please try again in a moment.".into()),
            }
        }
    }
}

/// Handles the context-menu command.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let Some(ResolvedTarget::Message(target)) = cmd.data.target() else {
        return note(ctx, cmd, "I couldn't read that message.").await;
    };
    if target.author.bot {
        return note(ctx, cmd, "That message is from a bot; I only answer people's questions.").await;
    }
    let text = match state.bot_user() {
        Some(bot) => strip_mentions_of(&target.content, bot),
        None => target.content.clone(),
    };
    if text.trim().is_empty() {
        return note(ctx, cmd, "That message has no text I can read.").await;
    }
    let engine = state.engine();
    if let Some(why) = too_long(&engine, &text) {
        return note(ctx, cmd, why).await;
    }
    if let Check::Wait { seconds_left, .. } = state.cooldown.check(cmd.user.id.get()) {
        return note(ctx, cmd, cooldown::note(seconds_left)).await;
    }
    let response = engine.respond(&text);
    log_decision("answer-with-faq", &response);
    state.record(&response, &text, cmd.guild_id).await;
    let (channel, message) = (target.channel_id, target.id);
    match response.reply.kind {
        ReplyKind::Answer | ReplyKind::Emergency | ReplyKind::Crisis | ReplyKind::Referral => {
            // Defer first: posting may wait on rate limits beyond the 3 s
            // Discord gives an interaction.
            let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
            if !send::respond(&ctx.http, cmd.id, &cmd.token, defer, "answer with FAQ defer").await {
                return;
            }
            let rendered = render::response(&response);
            let text = match post_reply(ctx, cmd.app_permissions, channel, message, cmd.guild_id, rendered).await {
                Ok(link) => format!("Posted my answer as a reply: {link}"),
                Err(why) => why,
            };
            send::edit(&ctx.http, &cmd.token, Rendered::text(text).edit(), "answer with FAQ confirmation").await;
        }
        ReplyKind::Clarify => {
            let mut reply = response.reply.clone();
            reply.title = "Which topic fits this message?".into();
            reply.body = "I'm not sure which topic that message is about. Pick one and I'll post it as a reply \
to the message; only you can see this choice."
                .into();
            let rendered = render::clarify(&reply, |t| CustomId::ReplyTo {
                channel: channel.get(),
                message: message.get(),
                intent: t.id.clone(),
            });
            respond(ctx, cmd, rendered, true, "answer with FAQ choice").await;
        }
        ReplyKind::Fallback | ReplyKind::Smalltalk => {
            let text = "I don't have an FAQ answer for that message, so I didn't post anything. \
You can pick a topic with `/faq` and post it yourself.";
            note(ctx, cmd, text).await;
        }
    }
}

/// A helper's choice from the private "which topic" buttons: acknowledges,
/// posts the entry as a reply to the message, then replaces the choice with
/// the outcome.
pub async fn choose(
    ctx: &Context,
    state: &State,
    c: &ComponentInteraction,
    channel: ChannelId,
    message: MessageId,
    intent: &str,
) {
    let ack = CreateInteractionResponse::Acknowledge;
    if !send::respond(&ctx.http, c.id, &c.token, ack, "answer with FAQ choice ack").await {
        return;
    }
    let text = if channel != c.channel_id {
        "That choice belongs to another channel.".to_string()
    } else if let Some(reply) = state.engine().entry_reply(intent) {
        let rendered = render::entry(&reply, Some(intent));
        match post_reply(ctx, c.app_permissions, channel, message, c.guild_id, rendered).await {
            Ok(link) => {
                tracing::info!(source = "answer-with-faq", intent, "chosen topic posted");
                format!("Posted **{}** as a reply: {link}", reply.title)
            }
            Err(why) => why,
        }
    } else {
        "That topic is no longer available. Please try again.".to_string()
    };
    send::edit(&ctx.http, &c.token, Rendered::text(text).edit(), "answer with FAQ choice result").await;
}
