//! `/schedule` and scheduled posts, with a clock the test moves by hand:
//! set/show/stop for moderators only, rotation order, a restart in the
//! middle of a period, downtime spanning several periods, and a channel the
//! bot may no longer post in (reported to the log channel, schedule kept).

use std::sync::Arc;
use std::time::Duration;

use her2bot::clock::{DAY, ManualClock};
use her2bot::store::Handle;
use serde_json::{Value, json};

use crate::env::*;
use crate::store::handle;

const HOUR: i64 = 3_600;
/// 08:00 UTC on some day.
const T0: i64 = 20_000 * DAY + 8 * HOUR;
/// How often the bot checks schedules in these tests.
const CHECK: Duration = Duration::from_millis(20);
/// Long enough for many checks: nothing more gets posted meanwhile.
const QUIET: Duration = Duration::from_millis(400);

fn option(name: &str, kind: u8, value: &str) -> Value {
    json!({ "name": name, "type": kind, "value": value })
}

/// `/schedule <sub>` by the moderator, with sub-options.
fn schedule(sub: &str, options: Vec<Value>) -> InteractionBuilder {
    InteractionBuilder::slash("schedule")
        .option(json!({ "name": sub, "type": 1, "options": options }))
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID)
}

fn set(channel: u64, every: &str, at: Option<&str>) -> InteractionBuilder {
    let mut options = vec![option("channel", 7, &channel.to_string()), option("every", 3, every)];
    options.extend(at.map(|at| option("at", 3, at)));
    schedule("set", options)
}

/// A bot with the store in `h`, the clock `clock`, checking every [`CHECK`].
async fn env(h: &Handle, clock: &Arc<ManualClock>, log_channel: u64) -> Env {
    let (h, clock) = (h.clone(), Arc::clone(clock));
    Env::launch(
        |c| c.discord.log_channel_id = log_channel,
        World::default(),
        move |s| {
            s.store = Some(h);
            s.clock = clock;
            s.maintenance_every = CHECK;
        },
    )
    .await
}

/// The private reply to a command.
async fn said(env: &Env, i: &InteractionBuilder) -> String {
    let cb = env.interact(i).await;
    assert!(ephemeral(&cb), "schedule replies are private");
    content(&cb).to_string()
}

fn posts_in(env: &Env, channel: u64) -> Vec<Recorded> {
    let path = format!("/channels/{channel}/messages");
    env.fake.requests().into_iter().filter(|r| r.is("POST", &path)).collect()
}

/// The next post in `channel` after request index `mark`.
async fn next_post(env: &Env, mark: usize, channel: u64) -> Recorded {
    let path = format!("/channels/{channel}/messages");
    env.request_after(mark, "scheduled post", |r| r.is("POST", &path)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_set_show_stop_for_moderators_only() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let clock = Arc::new(ManualClock::new(T0));
    let env = env(&h, &clock, 0).await;
    let first = env.engine.knowledge().entries[0].question.clone();
    let registered = env.fake.registered_commands(Some(ids::GUILD_ID));
    let cmd = registered.iter().find(|c| c["name"] == "schedule").expect("registered");
    assert_eq!(cmd["default_member_permissions"], json!(perm::MANAGE_MESSAGES.to_string()));

    let member = set(ids::GENERAL_CHANNEL_ID, "1d", None).in_guild(ids::GENERAL_CHANNEL_ID, ids::MEMBER_USER_ID);
    assert!(said(&env, &member).await.contains("Manage Messages"));
    assert!(h.store().schedule(ids::GUILD_ID).unwrap().is_none(), "members cannot schedule");

    let text = said(&env, &set(ids::GENERAL_CHANNEL_ID, "1d", Some("09:00"))).await;
    let nine = T0 + HOUR;
    assert!(text.starts_with("Scheduled. A topic every **1d** at 09:00 UTC in <#"), "{text}");
    assert!(text.contains(&format!("<t:{nine}:F>")) && text.contains(&first), "{text}");
    assert!(text.contains("0 of 26 topics"), "{text}");

    assert!(said(&env, &set(ids::GENERAL_CHANNEL_ID, "5x", None)).await.contains("not a unit I know"));
    assert!(said(&env, &set(ids::GENERAL_CHANNEL_ID, "10m", None)).await.contains("is not a unit"));
    assert!(said(&env, &set(ids::GENERAL_CHANNEL_ID, "1d", Some("25:00"))).await.contains("not a time of day"));
    let text = said(&env, &set(ids::RESTRICTED_CHANNEL_ID, "1d", None)).await;
    assert!(text.contains("**Send Messages** and **Embed Links**") && text.contains("Nothing was scheduled"), "{text}");

    let shown = said(&env, &schedule("show", vec![])).await;
    assert!(shown.contains(&format!("in <#{}>", ids::GENERAL_CHANNEL_ID)), "the refused set changed nothing");
    assert!(shown.contains(&format!("Next post <t:{nine}:F>")), "{shown}");
    let stopped = said(&env, &schedule("stop", vec![])).await;
    assert!(stopped.starts_with("Stopped the topic posts"), "{stopped}");
    assert!(said(&env, &schedule("show", vec![])).await.starts_with("No topic posts are scheduled"));
    assert!(said(&env, &schedule("stop", vec![])).await.starts_with("Nothing was scheduled"));
    clock.advance(2 * DAY);
    tokio::time::sleep(QUIET).await;
    assert!(posts_in(&env, ids::GENERAL_CHANNEL_ID).is_empty(), "a stopped schedule posts nothing");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_posts_rotate_and_survive_restarts_and_downtime() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let clock = Arc::new(ManualClock::new(T0));
    let mut env = env(&h, &clock, 0).await;
    let entries: Vec<(String, String)> =
        env.engine.knowledge().entries.iter().map(|e| (e.id.clone(), e.question.clone())).collect();
    let general = ids::GENERAL_CHANNEL_ID;
    said(&env, &set(general, "1d", Some("09:00"))).await;
    tokio::time::sleep(QUIET).await;
    assert!(posts_in(&env, general).is_empty(), "not due before 09:00");

    // Day 1, 09:00: the first topic, with a nonce Discord can deduplicate on.
    let mark = env.fake.request_count();
    clock.set(T0 + HOUR);
    let post = next_post(&env, mark, general).await;
    assert_eq!(embed(&post)["title"], json!(entries[0].1));
    let body = post.body.as_ref().unwrap();
    assert!(body["nonce"].as_str().is_some_and(|n| !n.is_empty() && n.len() <= 25), "{body}");
    assert_eq!(body["enforce_nonce"], json!(true));
    clock.set(T0 + 3 * HOUR);
    tokio::time::sleep(QUIET).await;
    assert_eq!(posts_in(&env, general).len(), 1, "one post per slot");

    // Day 2, 09:00: the second topic.
    let mark = env.fake.request_count();
    clock.set(T0 + DAY + HOUR);
    assert_eq!(embed(&next_post(&env, mark, general).await)["title"], json!(entries[1].1));

    // Restart in the middle of the period: nothing is posted on start.
    clock.set(T0 + DAY + 13 * HOUR);
    let reopened = handle(dir.path(), false);
    env.restart(|s| s.store = Some(reopened)).await;
    tokio::time::sleep(QUIET).await;
    assert_eq!(posts_in(&env, general).len(), 2, "a restart mid-period neither posts nor skips");
    let mark = env.fake.request_count();
    clock.set(T0 + 2 * DAY + HOUR);
    assert_eq!(embed(&next_post(&env, mark, general).await)["title"], json!(entries[2].1), "rotation kept");

    // Down for three and a half periods: one post on start, then the next slot.
    env.shutdown().await;
    clock.set(T0 + 5 * DAY + 21 * HOUR);
    let mark = env.fake.request_count();
    env.restart(|_| {}).await;
    assert_eq!(embed(&next_post(&env, mark, general).await)["title"], json!(entries[3].1));
    tokio::time::sleep(QUIET).await;
    assert_eq!(posts_in(&env, general).len(), 4, "made once, not once per missed period");
    let s = h.store().schedule(ids::GUILD_ID).unwrap().unwrap();
    assert_eq!(s.next_due, T0 + 6 * DAY + HOUR, "the next future slot");
    assert_eq!(s.pending, None);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_the_bot_can_no_longer_post_in_is_reported_and_the_schedule_kept() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let clock = Arc::new(ManualClock::new(T0));
    // The log channel allows text but not embeds: the report is text.
    let log = ids::NO_EMBEDS_CHANNEL_ID;
    let env = env(&h, &clock, log).await;
    let first = env.engine.knowledge().entries[0].question.clone();
    let general = ids::GENERAL_CHANNEL_ID;
    said(&env, &set(general, "12h", None)).await;
    env.fake.update_world(|w| w.deny_bot(general, perm::SEND_MESSAGES));

    let mark = env.fake.request_count();
    clock.set(T0 + 12 * HOUR);
    let report = next_post(&env, mark, log).await;
    let text = content(&report);
    assert!(text.starts_with("**Scheduled topic post failed.**"), "{text}");
    assert!(text.contains(&format!("<#{general}>")) && text.contains("**Send Messages**"), "{text}");
    assert!(text.contains("The schedule is kept"), "{text}");
    let s = h.store().schedule(ids::GUILD_ID).unwrap().expect("schedule kept");
    assert_eq!(s.next_due, T0 + 24 * HOUR, "the next slot");
    tokio::time::sleep(QUIET).await;
    assert_eq!(posts_in(&env, log).len(), 1, "reported once, not at every check");
    assert!(posts_in(&env, general).iter().all(|r| r.status == 403), "nothing posted there");

    // Allowed again: the topic that could not be posted comes next.
    env.fake.update_world(|w| {
        if let Some(c) = w.channels.iter_mut().find(|c| c.id == general) {
            c.overwrites.clear();
        }
    });
    let mark = env.fake.request_count();
    clock.set(T0 + 24 * HOUR);
    let post = next_post(&env, mark, general).await;
    assert_eq!(embed(&post)["title"], json!(first));
    assert_eq!(post.status, 200);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_question_text_is_purged_on_start_and_daily() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), true);
    let today = T0 / DAY;
    let text = |day: i64, words: &str| her2bot::store::DecisionRecord {
        day,
        guild: ids::GUILD_ID,
        decision: her2bot::engine::DecisionKind::Fallback,
        intent: String::new(),
        score: 0.1,
        unanswered: Some(her2bot::store::UnansweredText { text: words.into(), tokens: words.into() }),
    };
    h.store().record_all(&[text(today - 30, "too old"), text(today - 29, "old enough"), text(today, "new")]).unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let env = env(&h, &clock, 0).await;
    tokio::time::sleep(QUIET).await;
    let kept = |h: &Handle| h.store().unanswered_texts().unwrap().into_iter().map(|t| t.1).collect::<Vec<_>>();
    assert_eq!(kept(&h), ["old enough", "new"], "30 days kept at start");
    clock.advance(DAY);
    tokio::time::sleep(QUIET).await;
    assert_eq!(kept(&h), ["new"], "purged the next day without a restart");
    env.finish().await;
}
