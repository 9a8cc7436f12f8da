//! The maintenance task: posts scheduled topics when due and purges kept
//! question text past retention once a day. It checks on start (so a post
//! that fell due while the bot was down is made at once, and only once)
//! and then every [`super::RunSettings::maintenance_every`].
//!
//! A channel the bot may no longer post in is reported to
//! `discord.log_channel_id` (and the logs); the schedule is kept, the topic
//! stays next in the rotation, and the next try is the next slot. Other
//! failures (Discord down) are retried on the next check.

use std::sync::Arc;
use std::time::Duration;

use serenity::http::Http;
use serenity::model::channel::Nonce;
use serenity::model::id::{ChannelId, GuildId};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::perms::{self, POST_NEEDS};
use super::render::{self, Rendered};
use super::send;
use super::state::{State, Stored};
use crate::clock::day_of;
use crate::store::Schedule;

/// The running task: stop it with [`Maintenance::stop`], which lets a
/// post under way finish and be recorded.
#[derive(Debug)]
pub struct Maintenance {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Maintenance {
    /// Stops after the current check (waiting at most `timeout`, then
    /// aborting).
    pub async fn stop(mut self, timeout: Duration) {
        self.stop.send_replace(true);
        if tokio::time::timeout(timeout, &mut self.task).await.is_err() {
            tracing::warn!("scheduled posts did not stop in time; stopped");
            self.task.abort();
        }
    }
}

/// Starts the task; it runs until stopped.
pub fn spawn(http: Arc<Http>, state: Arc<State>, every: Duration) -> Maintenance {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut purged_on = None;
        while !*stopped.borrow() {
            tick(&http, &state, &mut purged_on).await;
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = stopped.changed() => {}
            }
        }
    });
    Maintenance { stop, task }
}

/// One check: the daily purge if the day changed, then every due post.
pub async fn tick(http: &Http, state: &State, purged_on: &mut Option<i64>) {
    if state.store().is_none() {
        return;
    }
    let now = state.clock().now();
    let today = day_of(now);
    if *purged_on != Some(today)
        && let Stored::Done(_) = state.call_store("purge question text", move |h| h.purge(today)).await
    {
        *purged_on = Some(today);
    }
    let due = match state.call_store("read due schedules", move |h| h.store().due_schedules(now)).await {
        Stored::Done(due) => due,
        Stored::Off | Stored::Failed => return,
    };
    for schedule in due {
        post_due(http, state, schedule, now).await;
    }
}

/// Posts a due schedule's next topic (claimed first, so a retry posts the
/// same topic with the same nonce).
async fn post_due(http: &Http, state: &State, schedule: Schedule, now: i64) {
    let engine = state.engine();
    let topics: Vec<String> = engine.knowledge().entries.iter().map(|e| e.id.clone()).collect();
    let guild = schedule.guild;
    let claimed = state.call_store("claim a scheduled topic", move |h| h.store().claim_topic(guild, &topics)).await;
    let Stored::Done(Some(intent)) = claimed else { return };
    let Some(reply) = engine.entry_reply(&intent) else { return };
    let channel = ChannelId::new(schedule.channel.max(1));
    if let Some(bot) = state.bot_user()
        && let Some(have) = perms::bot_permissions_in(http, GuildId::new(guild.max(1)), channel, bot).await
    {
        let missing = perms::missing(have, POST_NEEDS);
        if !missing.is_empty() {
            return refused(http, state, &schedule, perms::explain_missing(channel, &missing), now).await;
        }
    }
    let message = render::post(&reply, None).message().nonce(Nonce::String(schedule.nonce())).enforce_nonce(true);
    match channel.send_message(http, message).await {
        Ok(_) => {
            let id = intent.clone();
            if let Stored::Done(()) =
                state.call_store("record a scheduled post", move |h| h.store().mark_posted(guild, &id, now)).await
            {
                tracing::info!(source = "schedule", guild, intent = %intent, "scheduled topic posted");
            }
        }
        Err(e) => {
            let refusal = send::refusal(&e);
            send::logged::<()>(Err(e), "scheduled post");
            match refusal {
                Some(r) if r.status == 403 => {
                    refused(http, state, &schedule, perms::explain_refusal(channel, r), now).await;
                }
                Some(r) if r.status == 404 => {
                    let why = format!("the channel <#{channel}> no longer exists or I can't see it.");
                    refused(http, state, &schedule, why, now).await;
                }
                _ => tracing::warn!(source = "schedule", guild, "scheduled post failed; retrying at the next check"),
            }
        }
    }
}

/// The channel refused the post: skip this slot (the topic stays next),
/// keep the schedule, and tell the log channel and the logs.
async fn refused(http: &Http, state: &State, schedule: &Schedule, why: String, now: i64) {
    let guild = schedule.guild;
    let next = match state
        .call_store("skip a scheduled post", move |h| {
            h.store().mark_skipped(guild, now)?;
            h.store().schedule(guild)
        })
        .await
    {
        Stored::Done(Some(s)) => s.next_due,
        _ => return,
    };
    tracing::warn!(
        source = "schedule",
        guild,
        channel = schedule.channel,
        next_due = next,
        "scheduled post refused; schedule kept"
    );
    let log = state.engine().config().discord.log_channel_id;
    if log != 0 {
        let text = format!(
            "**Scheduled topic post failed.** {why}\nThe schedule is kept; the topic will be posted at the next \
slot, <t:{next}:F>, if I can post there by then."
        );
        send::logged(
            ChannelId::new(log).send_message(http, Rendered::text(text).message()).await,
            "report to log channel",
        );
    }
}
