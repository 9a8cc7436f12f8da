//! Messages: a message that mentions the bot gets the answer as a reply; a
//! bare mention gets short help. Direct messages work the same without a
//! mention. Bots' messages are ignored.

use serenity::client::Context;
use serenity::model::channel::{Message, MessageType};
use serenity::model::id::UserId;

use super::cooldown::{self, Check};
use super::render::{self, Rendered};
use super::send::{self, MISSING_PERMISSIONS};
use super::state::{State, log_decision, too_long};

/// `content` without the bot's own mentions (`<@id>` and `<@!id>`), trimmed.
pub fn strip_mentions_of(content: &str, bot: UserId) -> String {
    content.replace(&format!("<@{bot}>"), " ").replace(&format!("<@!{bot}>"), " ").trim().to_string()
}

/// Whether a message is for the bot: a DM, or a guild message mentioning it.
pub fn addressed_to_bot(msg: &Message, bot: UserId) -> bool {
    if msg.author.bot || msg.author.id == bot || msg.webhook_id.is_some() {
        return false;
    }
    if !matches!(msg.kind, MessageType::Regular | MessageType::InlineReply) {
        return false;
    }
    msg.guild_id.is_none()
        || msg.mentions.iter().any(|u| u.id == bot)
        || msg.content.contains(&format!("<@{bot}>"))
        || msg.content.contains(&format!("<@!{bot}>"))
}

/// What to answer a message addressed to the bot; `None` to stay silent.
/// The decision is recorded before this returns.
async fn answer(state: &State, msg: &Message, bot: UserId) -> Option<Rendered> {
    let engine = state.engine();
    let text = strip_mentions_of(&msg.content, bot);
    if text.is_empty() {
        let response = engine.respond("");
        state.record(&response, "", msg.guild_id).await;
        return Some(render::response(&response));
    }
    if let Some(why) = too_long(&engine, &text) {
        return Some(Rendered::text(why));
    }
    match state.cooldown.check(msg.author.id.get()) {
        Check::Ready => {}
        Check::Wait { seconds_left, first_notice: true } => return Some(Rendered::text(cooldown::note(seconds_left))),
        Check::Wait { .. } => return None,
    }
    let response = engine.respond(&text);
    log_decision(if msg.guild_id.is_some() { "mention" } else { "dm" }, &response);
    state.record(&response, &text, msg.guild_id).await;
    Some(render::response(&response))
}

/// Handles one new message.
pub async fn run(ctx: &Context, state: &State, msg: &Message) {
    let Some(bot) = state.bot_user() else { return };
    if !addressed_to_bot(msg, bot) {
        return;
    }
    let Some(rendered) = answer(state, msg, bot).await else { return };
    let plain = rendered.plain();
    match msg.channel_id.send_message(&ctx.http, rendered.clone().reply_to(msg.channel_id, msg.id)).await {
        Ok(_) => {}
        Err(e) if send::refusal(&e).is_some_and(|r| r.code == MISSING_PERMISSIONS) && !rendered.embeds.is_empty() => {
            // Perhaps embeds are not allowed here: try once as plain text.
            tracing::info!("reply with embed refused; retrying as plain text");
            let text = Rendered { content: plain, embeds: Vec::new(), components: rendered.components };
            send::logged(
                msg.channel_id.send_message(&ctx.http, text.reply_to(msg.channel_id, msg.id)).await,
                "plain reply",
            );
        }
        Err(e) => {
            send::logged::<()>(Err(e), "reply to message");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_stripped() {
        let bot = UserId::new(42);
        assert_eq!(strip_mentions_of("<@42> what is her2?", bot), "what is her2?");
        assert_eq!(strip_mentions_of("hey <@!42>", bot), "hey");
        assert_eq!(strip_mentions_of("<@42>", bot), "");
        assert_eq!(strip_mentions_of("<@421> hi", bot), "<@421> hi");
    }
}
