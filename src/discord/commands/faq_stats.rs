//! `/faq-stats [days]`: for moderators (Manage Messages by default, checked
//! again here, or the moderator role), privately: asks per topic, the
//! helpful share, the decision mix and the kept unanswered questions
//! grouped by similarity, for this server only.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::client::Context;
use serenity::model::application::{CommandDataOptionValue, CommandInteraction, CommandOptionType};
use serenity::model::permissions::Permissions;

use super::{note, respond};
use crate::discord::limits;
use crate::discord::perms;
use crate::discord::render::{EmbedText, Rendered, colors, escape_mentions, fit_lines, truncate};
use crate::discord::state::{State, Stored};
use crate::store::stats::percent;
use crate::store::{Stats, StatsQuery};

/// Command name.
pub const NAME: &str = "faq-stats";
/// Command description.
pub const DESCRIPTION: &str = "What people asked, which answers helped, what went unanswered (moderators)";
/// The days option.
pub const DAYS: &str = "days";
/// Days reported when not given.
pub const DEFAULT_DAYS: u32 = 30;
/// Most days.
pub const MAX_DAYS: u32 = 365;
/// Topics listed.
const TOPICS: usize = 12;
/// Unanswered groups listed.
const GROUPS: usize = 8;

/// The command as registered: servers only, Manage Messages by default.
pub fn register() -> CreateCommand {
    super::server_command(NAME, DESCRIPTION, Permissions::MANAGE_MESSAGES).add_option(
        CreateCommandOption::new(CommandOptionType::Integer, DAYS, "How many days back (default 30)")
            .min_int_value(1)
            .max_int_value(u64::from(MAX_DAYS)),
    )
}

/// Backslash-escapes Markdown so kept question text shows as typed.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_mentions(text).chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The report as an embed.
pub fn render(stats: &Stats) -> Rendered {
    let description = format!(
        "**{} questions** from {} to {} (UTC)\n{}\n\n**Helpful:** {}",
        stats.total,
        stats.from,
        stats.to,
        stats.mix_line(),
        stats.helpful_line()
    );
    let topics: Vec<String> = stats
        .topics
        .iter()
        .take(TOPICS)
        .map(|t| {
            let votes = t.helpful + t.not_helpful;
            let helpful = if votes == 0 {
                String::new()
            } else {
                format!(" · 👍 {} of {votes} ({})", t.helpful, percent(t.helpful as f64 / votes as f64))
            };
            format!("`{}`: {} answered · {} near misses{helpful}", t.intent, t.answered, t.near_misses)
        })
        .collect();
    let topics = if topics.is_empty() {
        "Nothing asked in this period.".to_string()
    } else {
        fit_lines(&topics, limits::FIELD_VALUE, |n| format!("…and {n} more"))
    };
    let groups: Vec<String> = stats
        .unanswered
        .iter()
        .take(GROUPS)
        .map(|g| {
            let near = g.nearest.as_ref().map_or_else(|| "no topic came close".into(), |n| format!("look like `{n}`"));
            let examples: Vec<String> = g.examples.iter().map(|e| format!("“{}”", plain(&truncate(e, 120)))).collect();
            format!("**{}** × {near}: {}", g.count, examples.join("; "))
        })
        .collect();
    let unanswered = if !groups.is_empty() {
        fit_lines(&groups, limits::FIELD_VALUE, |n| format!("…and {n} more groups"))
    } else if stats.text_kept {
        "None kept in this period.".to_string()
    } else {
        "Question text is not kept (`store.keep_unanswered_text = false`). “Near misses” above show which \
topics unanswered questions came closest to."
            .to_string()
    };
    Rendered::embed(EmbedText {
        title: format!("FAQ stats: the last {} days", stats.days),
        description,
        fields: vec![("Asks per topic".into(), topics), ("Unanswered questions, grouped".into(), unanswered)],
        footer: "Only you can see this. No user ids or names are stored.".into(),
        color: colors::INFO,
    })
}

/// Shows the report for this server.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let (Some(guild), Some(member)) = (cmd.guild_id, cmd.member.as_deref()) else {
        return note(ctx, cmd, "`/faq-stats` works in servers only.").await;
    };
    if !perms::is_moderator(member, state.moderator_role()) {
        tracing::info!(source = NAME, "refused: not a moderator");
        let role = state.moderator_role().map(|r| format!(" or the <@&{r}> role")).unwrap_or_default();
        return note(
            ctx,
            cmd,
            format!("Only moderators can see FAQ stats: it needs the **Manage Messages** permission{role}."),
        )
        .await;
    }
    let days = cmd
        .data
        .options
        .iter()
        .find(|o| o.name == DAYS)
        .and_then(|o| match o.value {
            CommandDataOptionValue::Integer(n) => u32::try_from(n).ok(),
            _ => None,
        })
        .unwrap_or(DEFAULT_DAYS)
        .clamp(1, MAX_DAYS);
    let today = state.clock().today();
    let stats = state
        .call_store("read statistics", move |h| {
            let text_kept = h.policy().keep_unanswered_text;
            h.store().stats(&StatsQuery { today, days, guild: Some(guild.get()), max_groups: GROUPS, text_kept })
        })
        .await;
    match stats {
        Stored::Done(stats) => {
            tracing::info!(source = NAME, days, "stats shown");
            respond(ctx, cmd, render(&stats), true, "faq stats").await;
        }
        Stored::Off => {
            note(ctx, cmd, "Nothing is recorded on this bot (`store.enabled = false`), so there are no stats.").await
        }
        Stored::Failed => {
            note(ctx, cmd, "Sorry, I couldn't read the stats just now. Please try again in a moment.").await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_text_is_escaped() {
        assert_eq!(plain("a *b* `c` @everyone\nx"), "a \\*b\\* \\`c\\` @\u{200B}everyone x");
    }
}
