//! `/faq topic:<autocomplete>`: one entry, chosen by name; also the topic
//! autocomplete shared with `/post`.

use serenity::builder::{
    AutocompleteChoice, CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateInteractionResponse,
};
use serenity::client::Context;
use serenity::model::application::{CommandInteraction, CommandOptionType};

use super::{note, respond, string_option};
use crate::discord::render::{self, truncate};
use crate::discord::state::{State, unknown_topic};
use crate::discord::{limits, send};
use crate::engine::Engine;

/// Command name.
pub const NAME: &str = "faq";
/// Command description.
pub const DESCRIPTION: &str = "Show one topic from the FAQ";
/// The topic option (also used by `/post`).
pub const TOPIC: &str = "topic";

/// The topic option, with autocomplete.
pub fn topic_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, TOPIC, description).required(true).set_autocomplete(true)
}

/// The command as registered.
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).description(DESCRIPTION).add_option(topic_option("Start typing to search the topics"))
}

/// Shows the chosen entry.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let value = string_option(cmd, TOPIC).unwrap_or_default();
    let Some(id) = state.find_topic(value) else {
        return note(ctx, cmd, unknown_topic(value)).await;
    };
    let Some(reply) = state.engine().entry_reply(&id) else {
        return note(ctx, cmd, unknown_topic(value)).await;
    };
    tracing::info!(source = NAME, intent = %id, "topic shown");
    respond(ctx, cmd, render::entry(&reply, Some(&id)), false, "faq answer").await;
}

/// Autocomplete choices for a partly typed topic: `(name, entry id)`.
/// Empty input lists every topic alphabetically; otherwise the ranking of
/// [`Engine::rank_topics`], then topics whose question contains the text.
pub fn topic_choices(engine: &Engine, partial: &str) -> Vec<(String, String)> {
    let entries = &engine.knowledge().entries;
    let partial = partial.trim();
    let mut ids: Vec<&str> = Vec::new();
    if partial.is_empty() {
        let mut sorted: Vec<_> = entries.iter().collect();
        sorted.sort_by_key(|e| e.question.to_lowercase());
        ids.extend(sorted.iter().map(|e| e.id.as_str()));
    } else {
        let ranked = engine.rank_topics(partial);
        ids.extend(ranked.iter().filter_map(|c| entries.iter().find(|e| e.id == c.intent)).map(|e| e.id.as_str()));
        let needle = partial.to_lowercase();
        for e in entries {
            if !ids.contains(&e.id.as_str())
                && (e.question.to_lowercase().contains(&needle) || e.id.contains(needle.as_str()))
            {
                ids.push(&e.id);
            }
        }
    }
    ids.iter()
        .filter(|id| id.chars().count() <= limits::CHOICE_VALUE)
        .filter_map(|id| engine.knowledge().entry(id))
        .take(limits::CHOICES)
        .map(|e| (truncate(&e.question, limits::CHOICE_NAME), e.id.clone()))
        .collect()
}

/// Answers a topic autocomplete (for `/faq` and `/post`).
pub async fn autocomplete(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let partial = cmd.data.autocomplete().map(|o| o.value).unwrap_or_default();
    let choices: Vec<AutocompleteChoice> = topic_choices(&state.engine(), partial)
        .into_iter()
        .map(|(name, id)| AutocompleteChoice::new(name, id))
        .collect();
    let response = CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new().set_choices(choices));
    send::respond(&ctx.http, cmd.id, &cmd.token, response, "topic autocomplete").await;
}
