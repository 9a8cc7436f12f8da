//! Buttons and select menus, routed by their custom id alone (no
//! collectors): they work the same after a restart.

use serenity::builder::CreateInteractionResponse;
use serenity::client::Context;
use serenity::model::application::{ComponentInteraction, ComponentInteractionDataKind};
use serenity::model::id::{ChannelId, MessageId};

use super::commands::answer_with_faq;
use super::ids::{CustomId, IdError};
use super::render::{self, EmbedText, Rendered, TOPICS_HINT, colors};
use super::send;
use super::state::{State, Stored};
use crate::store::{Vote, VoteOutcome};

/// The reply to a garbled or foreign custom id.
pub const UNKNOWN_ID: &str = "Sorry, I don't recognise that button. Please ask your question again.";
/// The reply to an id from another version of the bot.
pub const OLD_ID: &str = "That button is from an older version of me. Please ask your question again.";
/// The reply to an entry that no longer exists.
pub const GONE: &str = "That topic is no longer available. Use `/topics` to see the current list.";
/// The reply to feedback.
pub const THANKS: &str = "Thanks for the feedback.";
/// The reply to feedback that replaced an earlier vote.
pub const THANKS_CHANGED: &str = "Thanks, I've changed your vote.";
/// The reply to the same feedback given twice.
pub const THANKS_SAME: &str = "Thanks, your vote was already counted.";
/// Added when a vote was stored.
pub const VOTE_PRIVACY: &str = "It is kept without your name or id; `/forget-me` deletes it.";

async fn reply(ctx: &Context, c: &ComponentInteraction, rendered: Rendered, ephemeral: bool, what: &str) {
    let response = CreateInteractionResponse::Message(rendered.interaction(ephemeral));
    send::respond(&ctx.http, c.id, &c.token, response, what).await;
}

async fn update(ctx: &Context, c: &ComponentInteraction, rendered: Rendered, what: &str) {
    let response = CreateInteractionResponse::UpdateMessage(rendered.update());
    send::respond(&ctx.http, c.id, &c.token, response, what).await;
}

async fn note(ctx: &Context, c: &ComponentInteraction, text: &str) {
    reply(ctx, c, Rendered::text(text), true, "component note").await;
}

/// "None of these": no guess, where to look instead, and the notice.
fn none_of_these(state: &State) -> Rendered {
    Rendered::embed(EmbedText {
        title: "No problem".into(),
        description: format!("I won't guess. {TOPICS_HINT}"),
        fields: vec![("Please note".into(), state.engine().config().reply.notice.clone())],
        footer: String::new(),
        color: colors::FALLBACK,
    })
}

/// Records a vote (one per person, server and entry; committed before the
/// thanks is sent) and says so.
async fn vote(state: &State, c: &ComponentInteraction, intent: String, helpful: bool) -> String {
    let Some(person) = state.person(c.user.id) else { return THANKS.to_string() };
    let vote = Vote { person, guild: c.guild_id.map_or(0, |g| g.get()), intent, helpful, day: state.clock().today() };
    match state.call_store("record a vote", move |h| h.store().vote(&vote)).await {
        Stored::Done(VoteOutcome::Recorded) => format!("{THANKS} {VOTE_PRIVACY}"),
        Stored::Done(VoteOutcome::Changed) => format!("{THANKS_CHANGED} {VOTE_PRIVACY}"),
        Stored::Done(VoteOutcome::Unchanged) => THANKS_SAME.to_string(),
        Stored::Off | Stored::Failed => THANKS.to_string(),
    }
}

/// Handles one component interaction.
pub async fn run(ctx: &Context, state: &State, c: &ComponentInteraction) {
    let id = match CustomId::decode(&c.data.custom_id) {
        Ok(id) => id,
        Err(IdError::OldVersion) => return note(ctx, c, OLD_ID).await,
        Err(IdError::Unknown) => {
            tracing::debug!("unknown custom id");
            return note(ctx, c, UNKNOWN_ID).await;
        }
    };
    match id {
        CustomId::Topic(intent) => match state.engine().entry_reply(&intent) {
            Some(r) => {
                tracing::info!(source = "choice", intent = %intent, "topic shown");
                update(ctx, c, render::entry(&r, Some(&intent)), "clarify choice").await;
            }
            None => note(ctx, c, GONE).await,
        },
        CustomId::Menu(_) => {
            let chosen = match &c.data.kind {
                ComponentInteractionDataKind::StringSelect { values } => values.first().cloned(),
                _ => None,
            };
            match chosen.and_then(|intent| state.engine().entry_reply(&intent).map(|r| (intent, r))) {
                Some((intent, r)) => {
                    tracing::info!(source = "menu", intent = %intent, "topic shown");
                    reply(ctx, c, render::entry(&r, Some(&intent)), true, "menu topic").await;
                }
                None => note(ctx, c, GONE).await,
            }
        }
        CustomId::Feedback { intent, helpful } => {
            if state.engine().knowledge().entry(&intent).is_none() {
                return note(ctx, c, GONE).await;
            }
            tracing::debug!(intent = %intent, helpful, "feedback");
            note(ctx, c, &vote(state, c, intent, helpful).await).await;
        }
        CustomId::None => update(ctx, c, none_of_these(state), "none of these").await,
        CustomId::ReplyTo { channel, message, intent } => {
            answer_with_faq::choose(ctx, state, c, ChannelId::new(channel), MessageId::new(message), &intent).await;
        }
    }
}
