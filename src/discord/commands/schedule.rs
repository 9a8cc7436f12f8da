//! `/schedule set channel:<> every:<1d|12h|1w|…> [at:<HH:MM UTC>]`,
//! `/schedule show`, `/schedule stop`: regular topic posts for a server,
//! for moderators (Manage Messages by default, checked again here, or the
//! moderator role); replies are private. Topics rotate: each is posted
//! once before any repeats. The schedule and rotation live in the store.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::client::Context;
use serenity::model::application::{CommandDataOption, CommandDataOptionValue, CommandInteraction, CommandOptionType};
use serenity::model::channel::ChannelType;
use serenity::model::id::{ChannelId, GuildId};
use serenity::model::permissions::Permissions;

use super::note;
use crate::discord::perms::{self, POST_NEEDS};
use crate::discord::state::{State, Stored};
use crate::store::schedule::{Every, Rotation, format_at, parse_at};
use crate::store::{Schedule, StoreError};

/// Command name.
pub const NAME: &str = "schedule";
/// Command description.
pub const DESCRIPTION: &str = "Post FAQ topics in a channel regularly (moderators)";
/// Subcommands.
pub const SET: &str = "set";
/// Show the schedule.
pub const SHOW: &str = "show";
/// Stop it.
pub const STOP: &str = "stop";
/// Options of `set`.
pub const CHANNEL: &str = "channel";
/// How often.
pub const EVERY: &str = "every";
/// Time of day.
pub const AT: &str = "at";

/// The command as registered: servers only, Manage Messages by default.
pub fn register() -> CreateCommand {
    super::server_command(NAME, DESCRIPTION, Permissions::MANAGE_MESSAGES)
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, SET, "Post a topic every so often in a channel")
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::Channel, CHANNEL, "Where to post")
                        .required(true)
                        .channel_types(vec![ChannelType::Text, ChannelType::News]),
                )
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, EVERY, "How often: 1d, 12h, 1w, 2w…")
                        .required(true)
                        .max_length(20),
                )
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, AT, "Time of day, HH:MM in UTC (e.g. 09:00)")
                        .max_length(12),
                ),
        )
        .add_option(CreateCommandOption::new(CommandOptionType::SubCommand, SHOW, "Show the schedule"))
        .add_option(CreateCommandOption::new(CommandOptionType::SubCommand, STOP, "Stop the scheduled posts"))
}

fn sub_string<'a>(options: &'a [CommandDataOption], name: &str) -> Option<&'a str> {
    options.iter().find(|o| o.name == name).and_then(|o| o.value.as_str())
}

fn sub_channel(options: &[CommandDataOption], name: &str) -> Option<ChannelId> {
    options.iter().find(|o| o.name == name).and_then(|o| o.value.as_channel_id())
}

/// `<t:…:F> (<t:…:R>)`: shown in each reader's own time zone.
fn when(unix: i64) -> String {
    format!("<t:{unix}:F> (<t:{unix}:R>)")
}

/// The schedule in words.
fn describe(s: &Schedule, rotation: &Rotation, title_of: impl Fn(&str) -> String) -> String {
    let at = s.at_minute.map(|m| format!(" at {} UTC", format_at(m))).unwrap_or_default();
    let next = rotation.next.as_deref().map(|t| format!(": **{}**", title_of(t))).unwrap_or_default();
    format!(
        "A topic every **{}**{at} in <#{}>. Next post {}{next}. {} of {} topics posted this round; each is posted \
once before any repeats.",
        s.every,
        s.channel,
        when(s.next_due),
        rotation.posted,
        rotation.total
    )
}

/// Handles `/schedule`.
pub async fn run(ctx: &Context, state: &State, cmd: &CommandInteraction) {
    let (Some(guild), Some(member)) = (cmd.guild_id, cmd.member.as_deref()) else {
        return note(ctx, cmd, "`/schedule` works in servers only.").await;
    };
    if !perms::is_moderator(member, state.moderator_role()) {
        tracing::info!(source = NAME, "refused: not a moderator");
        let role = state.moderator_role().map(|r| format!(" or the <@&{r}> role")).unwrap_or_default();
        let text = format!("Only moderators can schedule posts: it needs the **Manage Messages** permission{role}.");
        return note(ctx, cmd, text).await;
    }
    if state.store().is_none() {
        return note(ctx, cmd, "Scheduled posts need the store, which is off on this bot (`store.enabled = false`).")
            .await;
    }
    let Some(sub) = cmd.data.options.first() else { return note(ctx, cmd, "Please choose set, show or stop.").await };
    let text = match (sub.name.as_str(), &sub.value) {
        (SET, CommandDataOptionValue::SubCommand(options)) => set(ctx, state, cmd, guild, options).await,
        (SHOW, _) => show(state, guild).await,
        (STOP, _) => stop(state, guild).await,
        _ => "Please choose set, show or stop.".to_string(),
    };
    note(ctx, cmd, text).await;
}

fn topics(state: &State) -> Vec<String> {
    state.engine().knowledge().entries.iter().map(|e| e.id.clone()).collect()
}

fn title_of(state: &State) -> impl Fn(&str) -> String {
    let engine = state.engine();
    move |id| engine.knowledge().entry(id).map_or_else(|| id.to_string(), |e| e.question.clone())
}

const FAILED: &str =
    "Sorry, I couldn't reach the schedule just now; nothing was changed. Please try again in a moment.";

async fn set(
    ctx: &Context,
    state: &State,
    cmd: &CommandInteraction,
    guild: GuildId,
    options: &[CommandDataOption],
) -> String {
    let Some(channel) = sub_channel(options, CHANNEL) else { return "Please pick a channel.".into() };
    let every = match Every::parse(sub_string(options, EVERY).unwrap_or_default()) {
        Ok(every) => every,
        Err(why) => return why,
    };
    let at = match sub_string(options, AT).map(parse_at).transpose() {
        Ok(at) => at,
        Err(why) => return why,
    };
    let have = match (channel == cmd.channel_id, cmd.app_permissions, state.bot_user()) {
        (true, Some(p), _) => Some(p),
        (_, _, Some(bot)) => perms::bot_permissions_in(&ctx.http, guild, channel, bot).await,
        _ => None,
    };
    if let Some(missing) = have.map(|p| perms::missing(p, POST_NEEDS)).filter(|m| !m.is_empty()) {
        return format!("{} Nothing was scheduled.", perms::explain_missing(channel, &missing));
    }
    let now = state.clock().now();
    let topics = topics(state);
    let (g, c) = (guild.get(), channel.get());
    let saved = state
        .call_store("save a schedule", move |h| -> Result<_, StoreError> {
            let s = h.store().set_schedule(g, c, every, at, now)?;
            Ok((s, h.store().rotation(g, &topics)?))
        })
        .await;
    match saved {
        Stored::Done((s, rotation)) => {
            tracing::info!(source = NAME, every = %s.every, "schedule set");
            format!("Scheduled. {}", describe(&s, &rotation, title_of(state)))
        }
        Stored::Off | Stored::Failed => FAILED.into(),
    }
}

async fn show(state: &State, guild: GuildId) -> String {
    let topics = topics(state);
    let g = guild.get();
    let found = state
        .call_store("read a schedule", move |h| -> Result<_, StoreError> {
            Ok(match h.store().schedule(g)? {
                Some(s) => Some((s, h.store().rotation(g, &topics)?)),
                None => None,
            })
        })
        .await;
    match found {
        Stored::Done(Some((s, rotation))) => describe(&s, &rotation, title_of(state)),
        Stored::Done(None) => "No topic posts are scheduled in this server. Set one with `/schedule set`.".into(),
        Stored::Off | Stored::Failed => FAILED.into(),
    }
}

async fn stop(state: &State, guild: GuildId) -> String {
    let g = guild.get();
    match state.call_store("stop a schedule", move |h| h.store().stop_schedule(g)).await {
        Stored::Done(Some(s)) => {
            tracing::info!(source = NAME, "schedule stopped");
            format!(
                "Stopped the topic posts in <#{}>. The rotation is remembered: a new `/schedule set` carries on \
where it left off.",
                s.channel
            )
        }
        Stored::Done(None) => "Nothing was scheduled in this server.".into(),
        Stored::Off | Stored::Failed => FAILED.into(),
    }
}
