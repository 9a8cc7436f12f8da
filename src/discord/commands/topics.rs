//! `/topics`: every topic, with menus to open one (only the user sees it).

use serenity::builder::CreateCommand;
use serenity::client::Context;
use serenity::model::application::CommandInteraction;

use super::respond;
use crate::discord::render;
use crate::discord::state::State;
use crate::reply::Topic;

/// Command name.
pub const NAME: &str = "topics";
/// Command description.
pub const DESCRIPTION: &str = "List every topic I can answer";

/// The command as registered.
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).description(DESCRIPTION)
}

/// All topics, alphabetically by question.
pub fn all_topics(state: &State) -> Vec<Topic> {
    let mut topics: Vec<Topic> = state.engine().knowledge().entries.iter().map(Topic::of).collect();
    topics.sort_by_key(|t| t.question.to_lowercase());
    topics
}

/// Shows the topic list.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    respond(ctx, cmd, render::topic_list(&all_topics(state)), true, "topic list").await;
}
