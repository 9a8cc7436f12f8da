//! `/faq-reload`: an administrator reloads knowledge and config from disk
//! (see [`crate::reload`] for where from). Registered for Administrator by
//! default and checked again here. The reply is private: what changed, or
//! every problem by file and field with the old knowledge still live.

use serenity::builder::{CreateCommand, CreateInteractionResponse, CreateInteractionResponseMessage};
use serenity::client::Context;
use serenity::model::application::CommandInteraction;
use serenity::model::permissions::Permissions;

use super::note;
use crate::discord::limits;
use crate::discord::perms;
use crate::discord::render::{Rendered, escape_mentions, fit_lines, truncate};
use crate::discord::send;
use crate::discord::state::{ReloadOutcome, State};
use crate::knowledge::Problem;
use crate::reload::{Changes, Failure};

/// Command name.
pub const NAME: &str = "faq-reload";
/// Command description.
pub const DESCRIPTION: &str = "Reload the FAQ and settings from disk (administrators)";
/// The reply to a member who is not an administrator.
pub const NOT_ALLOWED: &str =
    "Sorry, only server administrators can reload the FAQ: it needs the **Administrator** permission.";

/// Longest line for one problem or one list of ids.
const LINE: usize = 300;

/// The command as registered: guild only, Administrator by default.
pub fn register() -> CreateCommand {
    super::server_command(NAME, DESCRIPTION, Permissions::ADMINISTRATOR)
}

/// Reloads, for an administrator. The interaction is deferred first:
/// reading and indexing the files usually takes tens of milliseconds, but
/// nothing bounds disk access, and Discord gives an interaction 3 s.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let Some(member) = cmd.member.as_deref().filter(|_| cmd.guild_id.is_some()) else {
        return note(ctx, cmd, "`/faq-reload` works in servers only.").await;
    };
    if !perms::is_admin(member) {
        tracing::info!(source = NAME, "refused: not an administrator");
        return note(ctx, cmd, NOT_ALLOWED).await;
    }
    let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    if !send::respond(&ctx.http, cmd.id, &cmd.token, defer, "reload defer").await {
        return;
    }
    let outcome = state.reload(NAME).await;
    send::edit(&ctx.http, &cmd.token, Rendered::text(report(&outcome)).edit(), "reload report").await;
}

/// The administrator's report, within a message's [`limits::CONTENT`]:
/// problems that do not fit are counted, not dropped silently.
pub fn report(outcome: &ReloadOutcome) -> String {
    let lines = match outcome {
        Ok(changes) => changed(changes),
        Err(Failure::NothingOnDisk) => vec![
            "**Nothing to reload.** I'm running on the knowledge and settings built into my program, and \
there is no `knowledge/` folder or `config/bot.toml` where I run, so there is nothing on disk to read. \
Start me with `--knowledge DIR` and `--config FILE` (or from a folder holding them) to reload without a \
restart."
                .to_string(),
        ],
        Err(Failure::Invalid { from, problems }) => {
            let n = problems.0.len();
            let mut lines = vec![
                format!(
                    "**Reload rejected: {n} problem{} found.** Nothing changed: I keep answering with the \
knowledge and settings I had. Fix these and reload again (`her2bot check` on the same files lists them too):",
                    plural(n)
                ),
                format!("Read {}.", code_safe(&from.to_string())),
            ];
            lines.extend(problems.0.iter().map(problem_line));
            lines
        }
        Err(Failure::Internal(why)) => {
            vec![format!("**Reload failed** ({}). Nothing changed; please try again.", code_safe(why))]
        }
    };
    fit_lines(&lines, limits::CONTENT, |n| {
        format!("…and {n} more line{} (every problem is in the bot's log).", plural(n))
    })
}

/// The lines of a successful reload.
fn changed(c: &Changes) -> Vec<String> {
    let topics = if c.topics_before == c.topics_after {
        format!("{} topics", c.topics_after)
    } else {
        format!("topics: {} → {}", c.topics_before, c.topics_after)
    };
    let mut lines = vec![if c.is_empty() {
        format!("**Reloaded: nothing changed** ({topics}).")
    } else {
        format!("**Reloaded** ({topics}). New questions are answered from the new knowledge.")
    }];
    for (what, ids) in [("Added", &c.added), ("Removed", &c.removed), ("Changed", &c.changed)] {
        if !ids.is_empty() {
            lines.push(id_list(what, ids));
        }
    }
    if !c.other.is_empty() {
        lines.push(format!("Also changed: {}.", c.other.join(", ")));
    }
    if !c.config_live.is_empty() {
        lines.push(id_list("Settings applied now", &c.config_live));
    }
    if !c.config_restart.is_empty() {
        lines.push(format!(
            "{} (the old values stay in effect until I'm restarted).",
            id_list("Settings that need a restart", &c.config_restart).trim_end_matches('.')
        ));
    }
    if !c.review_warnings.is_empty() {
        let n = c.review_warnings.len();
        lines.push(format!("Warning: {n} entr{} overdue for review (listed in the bot's log).", plural_y(n)));
    }
    lines.push(format!("Read {}.", code_safe(&c.from)));
    lines
}

/// "What: `a`, `b` and 3 more." within [`LINE`] characters.
fn id_list(what: &str, ids: &[String]) -> String {
    let names: Vec<String> = ids.iter().map(|id| format!("`{}`", code_safe(id))).collect();
    for keep in (1..=names.len()).rev() {
        let rest = names.len() - keep;
        let more = if rest > 0 { format!(" and {rest} more") } else { String::new() };
        let line = format!("{what} ({}): {}{more}.", ids.len(), names[..keep].join(", "));
        if line.chars().count() <= LINE {
            return line;
        }
    }
    format!("{what}: {} (names too long to show).", ids.len())
}

/// "• `file` `field`: message" on one line of at most [`LINE`] characters.
fn problem_line(p: &Problem) -> String {
    let message = escape_mentions(&p.message.split_whitespace().collect::<Vec<_>>().join(" "));
    let line = match &p.field {
        Some(field) => format!("• `{}` `{}`: {message}", code_safe(&p.file), code_safe(field)),
        None => format!("• `{}`: {message}", code_safe(&p.file)),
    };
    truncate(&line, LINE)
}

/// Text that cannot break out of an inline code span nor mention anyone.
fn code_safe(s: &str) -> String {
    escape_mentions(&s.replace('`', "'"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn plural_y(n: usize) -> &'static str {
    if n == 1 { "y is" } else { "ies are" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Problems;
    use crate::reload::Resolved;

    fn invalid(n: usize) -> ReloadOutcome {
        let problems = (0..n)
            .map(|i| Problem::field(format!("intents/entry-{i}.toml"), "answer", "is 1500 characters (most 1200)"))
            .collect();
        Err(Failure::Invalid {
            from: Resolved { knowledge: Some("kb".into()), config: None },
            problems: Problems(problems),
        })
    }

    #[test]
    fn report_names_file_and_field() {
        let text = report(&invalid(2));
        assert!(text.starts_with("**Reload rejected: 2 problems found.**"), "{text}");
        assert!(text.contains("• `intents/entry-1.toml` `answer`: is 1500 characters"), "{text}");
        assert!(text.contains("knowledge from kb, config from built in"), "{text}");
    }

    #[test]
    fn report_of_many_problems_fits_and_counts_the_rest() {
        let text = report(&invalid(200));
        assert!(text.chars().count() <= limits::CONTENT, "{}", text.chars().count());
        let shown = text.matches("• ").count();
        assert!(shown > 10, "as many as fit are shown: {shown}");
        assert!(text.ends_with(&format!("…and {} more lines (every problem is in the bot's log).", 200 - shown)));
    }

    #[test]
    fn report_lines_are_bounded_and_safe() {
        let long = Problem::field("a`b.toml", "x", format!("{} @everyone\nsecond line", "y".repeat(1000)));
        let text = report(&Err(Failure::Invalid {
            from: Resolved { knowledge: None, config: Some("bot.toml".into()) },
            problems: Problems(vec![long]),
        }));
        let line = text.lines().find(|l| l.starts_with("• ")).unwrap();
        assert!(line.chars().count() <= LINE && line.starts_with("• `a'b.toml` `x`: yyy"), "{line}");
        assert!(!text.contains("@everyone"), "{text}");
    }

    #[test]
    fn report_of_changes() {
        let c = Changes {
            from: "knowledge from kb, config from bot.toml".into(),
            topics_before: 26,
            topics_after: 27,
            added: vec!["new-one".into()],
            changed: (0..100).map(|i| format!("entry-number-{i}")).collect(),
            config_live: vec!["discord.cooldown_seconds".into()],
            config_restart: vec!["discord.guild_ids".into()],
            ..Changes::default()
        };
        let text = report(&Ok(c));
        assert!(text.starts_with("**Reloaded** (topics: 26 → 27)."), "{text}");
        assert!(text.contains("Added (1): `new-one`."), "{text}");
        assert!(text.contains("Changed (100): `entry-number-0`, "), "{text}");
        assert!(text.contains(" more."), "{text}");
        assert!(text.contains("Settings applied now (1): `discord.cooldown_seconds`."), "{text}");
        assert!(text.contains("Settings that need a restart (1): `discord.guild_ids` (the old values"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= LINE), "{text}");

        let same = Changes { topics_before: 26, topics_after: 26, ..Changes::default() };
        assert!(report(&Ok(same)).starts_with("**Reloaded: nothing changed** (26 topics)."));
        assert!(report(&Err(Failure::NothingOnDisk)).starts_with("**Nothing to reload.**"));
    }
}
