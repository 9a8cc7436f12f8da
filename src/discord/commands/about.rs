//! `/about`: what the bot is and is not, where answers come from, how to
//! use it.

use serenity::builder::CreateCommand;
use serenity::client::Context;
use serenity::model::application::CommandInteraction;

use super::respond;
use crate::discord::render::{EmbedText, Rendered, colors};
use crate::discord::state::State;

/// Command name.
pub const NAME: &str = "about";
/// Command description.
pub const DESCRIPTION: &str = "What this bot is, what it is not, and where its answers come from";

const WHAT: &str = "A bot that answers common questions about HER2 breast cancer from a fixed FAQ written in \
plain language. It does not make answers up: it picks the matching entry, shows which question it understood, \
and says so plainly when it doesn't know.";
const NOT: &str = "Not a doctor, not a person, and **not medical advice**. It cannot see your records or \
results. Decisions about your own care belong with your cancer team. In an emergency, call your local emergency \
number or your 24-hour treatment line.";
const HOW: &str = "• `/ask` a question in your own words (`private: True` shows the answer only to you)\n\
• `/faq` opens a topic by name, `/topics` lists them all\n\
• mention me with a question, or send me a direct message\n\
• on someone's message: **Apps → Answer with FAQ** replies to it with the matching answer\n\
• moderators can `/post` a topic to a channel, see `/faq-stats` and `/schedule` topic posts\n\
• `/forget-me` deletes everything tied to you";
const PRIVACY: &str = "Questions are counted by topic and day, never with who asked. If this bot's operators \
keep the text of unanswered questions to improve the FAQ, it is stripped of mentions, links and numbers, kept \
without your name or id, and deleted after a set number of days. “Was this helpful?” votes are kept under a \
one-way code, not your id; `/forget-me` deletes them. Logs never record what you wrote or who you are.";

/// The about text for an engine with `topics` entries and this notice.
pub fn render(topics: usize, notice: &str) -> Rendered {
    let sources = format!(
        "Each of the {topics} entries is written from medical guidelines and patient information from cancer \
organisations, lists its sources, and shows when it was last reviewed."
    );
    Rendered::embed(EmbedText {
        title: "About her2bot".into(),
        description: WHAT.into(),
        fields: vec![
            ("What it is not".into(), NOT.into()),
            ("Where answers come from".into(), sources),
            ("How to use it".into(), HOW.into()),
            ("Privacy".into(), PRIVACY.into()),
            ("Please note".into(), notice.into()),
        ],
        footer: String::new(),
        color: colors::INFO,
    })
}

/// The command as registered.
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).description(DESCRIPTION)
}

/// Shows the about text (only to the user).
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let engine = state.engine();
    let rendered = render(engine.knowledge().entries.len(), &engine.config().reply.notice);
    respond(ctx, cmd, rendered, true, "about").await;
}
