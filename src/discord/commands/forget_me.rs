//! `/forget-me`: deletes everything tied to the person who asks (their
//! "Was this helpful?" votes and their question cooldown) and says what
//! was deleted. Questions are never stored with who asked, so there is
//! nothing else to delete.

use serenity::builder::CreateCommand;
use serenity::client::Context;
use serenity::model::application::CommandInteraction;

use super::note;
use crate::discord::state::{State, Stored};

/// Command name.
pub const NAME: &str = "forget-me";
/// Command description.
pub const DESCRIPTION: &str = "Delete everything this bot keeps that is tied to you";

/// Always true, and said every time.
pub const NEVER_WITH_WHO: &str = "Questions are counted without who asked; their text is never stored with \
your name or id, so there is nothing else tied to you.";

/// The command as registered (servers and direct messages).
pub fn register() -> CreateCommand {
    CreateCommand::new(NAME).description(DESCRIPTION)
}

/// What to tell the person after deleting `votes` votes.
pub fn deleted(votes: usize) -> String {
    let what = match votes {
        0 => "no “Was this helpful?” votes from you".to_string(),
        1 => "**1** “Was this helpful?” vote".to_string(),
        n => format!("**{n}** “Was this helpful?” votes"),
    };
    format!("Done. I deleted {what} and your question cooldown. {NEVER_WITH_WHO}")
}

/// Deletes and reports, privately.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    state.cooldown.forget(cmd.user.id.get());
    let text = match state.person(cmd.user.id) {
        None => format!("This bot records nothing tied to you (recording is switched off). {NEVER_WITH_WHO}"),
        Some(person) => match state.call_store("forget a person", move |h| h.store().forget(&person)).await {
            Stored::Done(f) => {
                tracing::info!(source = NAME, votes = f.votes, "person forgotten");
                deleted(f.votes)
            }
            Stored::Off => format!("This bot records nothing tied to you. {NEVER_WITH_WHO}"),
            Stored::Failed => "Sorry, I couldn't delete your data just now; nothing was changed. Please try again \
in a moment."
                .to_string(),
        },
    };
    note(ctx, cmd, text).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forget_me_says_what_it_deleted() {
        assert!(deleted(0).contains("no “Was this helpful?” votes"));
        assert!(deleted(1).contains("**1** “Was this helpful?” vote and"));
        assert!(deleted(3).contains("**3** “Was this helpful?” votes"));
        assert!(deleted(3).contains("never stored with your name or id"));
    }
}
