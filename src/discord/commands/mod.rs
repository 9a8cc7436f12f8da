//! Application commands: one module per command, each with its name,
//! description, `register()` and handler; shared helpers here.

pub mod about;
pub mod answer_with_faq;
pub mod ask;
pub mod faq;
pub mod faq_reload;
pub mod faq_stats;
pub mod forget_me;
pub mod post;
pub mod schedule;
pub mod topics;

use serenity::builder::{CreateCommand, CreateInteractionResponse};
use serenity::client::Context;
use serenity::model::application::{CommandDataOptionValue, CommandInteraction, InteractionContext};
use serenity::model::id::ChannelId;
use serenity::model::permissions::Permissions;

use super::render::Rendered;
use super::send;

/// Every command the bot registers.
pub fn all() -> Vec<CreateCommand> {
    vec![
        ask::register(),
        faq::register(),
        topics::register(),
        about::register(),
        post::register(),
        faq_reload::register(),
        answer_with_faq::register(),
        forget_me::register(),
        faq_stats::register(),
        schedule::register(),
    ]
}

/// A command for servers only, shown by default to members with
/// `permissions` (the bot checks them again when it runs).
fn server_command(name: &str, description: &str, permissions: Permissions) -> CreateCommand {
    CreateCommand::new(name)
        .description(description)
        .default_member_permissions(permissions)
        .contexts(vec![InteractionContext::Guild])
}

fn option<'a>(cmd: &'a CommandInteraction, name: &str) -> Option<&'a CommandDataOptionValue> {
    cmd.data.options.iter().find(|o| o.name == name).map(|o| &o.value)
}

/// A string option's value.
pub fn string_option<'a>(cmd: &'a CommandInteraction, name: &str) -> Option<&'a str> {
    option(cmd, name).and_then(CommandDataOptionValue::as_str)
}

/// A boolean option's value.
pub fn bool_option(cmd: &CommandInteraction, name: &str) -> Option<bool> {
    option(cmd, name).and_then(CommandDataOptionValue::as_bool)
}

/// A channel option's value.
pub fn channel_option(cmd: &CommandInteraction, name: &str) -> Option<ChannelId> {
    option(cmd, name).and_then(CommandDataOptionValue::as_channel_id)
}

/// Answers a command with a new message.
pub async fn respond(ctx: &Context, cmd: &CommandInteraction, rendered: Rendered, ephemeral: bool, what: &str) {
    let response = CreateInteractionResponse::Message(rendered.interaction(ephemeral));
    send::respond(&ctx.http, cmd.id, &cmd.token, response, what).await;
}

/// Answers a command with a short note only the user sees.
pub async fn note(ctx: &Context, cmd: &CommandInteraction, text: impl Into<String>) {
    respond(ctx, cmd, Rendered::text(text), true, "ephemeral note").await;
}

/// Answers a command this version does not know (e.g. left over from an
/// older registration).
pub async fn unknown(ctx: &Context, cmd: &CommandInteraction) {
    tracing::debug!(command = %cmd.data.name, "unknown command");
    note(ctx, cmd, "Sorry, I don't know that command any more. Try `/ask` or `/topics`.").await;
}
