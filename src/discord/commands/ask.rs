//! `/ask question:<text> [private:<bool>]`: answer a question.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::client::Context;
use serenity::model::application::{CommandInteraction, CommandOptionType};

use super::{bool_option, note, respond, string_option};
use crate::discord::cooldown::{self, Check};
use crate::discord::render;
use crate::discord::state::{State, log_decision, too_long};

/// Command name.
pub const NAME: &str = "ask";
/// Command description.
pub const DESCRIPTION: &str = "Ask a question about HER2 breast cancer";
/// The question option.
pub const QUESTION: &str = "question";
/// The private option.
pub const PRIVATE: &str = "private";

/// The command as registered.
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME)
        .description(DESCRIPTION)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, QUESTION, "Your question, in your own words")
                .required(true),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::Boolean,
            PRIVATE,
            "Show the answer only to you (default: everyone in the channel sees it)",
        ))
}

/// Answers `/ask`.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let Some(question) = string_option(cmd, QUESTION).filter(|q| !q.trim().is_empty()) else {
        return note(ctx, cmd, "Please type a question, for example `/ask question: what does HER2-low mean?`").await;
    };
    let private = bool_option(cmd, PRIVATE).unwrap_or(false);
    let engine = state.engine();
    if let Some(text) = too_long(&engine, question) {
        return note(ctx, cmd, text).await;
    }
    if let Check::Wait { seconds_left, .. } = state.cooldown.check(cmd.user.id.get()) {
        return note(ctx, cmd, cooldown::note(seconds_left)).await;
    }
    let response = engine.respond(question);
    log_decision(NAME, &response);
    state.record(&response, question, cmd.guild_id).await;
    respond(ctx, cmd, render::response(&response), private, "ask answer").await;
}
