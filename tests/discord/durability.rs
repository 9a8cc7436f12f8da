//! What the store promises under pressure: the real binary is SIGKILLed in
//! the middle of a burst of votes and questions, and every write it had
//! acknowledged to a user (their callback reached Discord) is in the file,
//! which opens cleanly; and 1,000 interactions at once are all answered and
//! all counted.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use her2bot::store::{Store, StoreKey};

use crate::cli::{STARTUP, STORE_KEY, spawn_run};
use crate::env::*;
use crate::store::handle;

/// Synthetic people voting.
const FIRST_USER: u64 = 1_300_000_000_000_000_000;
/// Interactions sent at once.
const BURST: u64 = 1_000;

/// Paths of the callbacks that reached the fake.
fn answered(fake: &FakeDiscord) -> HashSet<String> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback") && (200..300).contains(&r.status))
        .map(|r| r.api_path().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_burst_loses_no_acknowledged_write() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("her2bot.sqlite3");
    let (child, log) = spawn_run(&fake, &path);
    assert!(fake.wait_for_request(|r| r.is("PUT", "/applications/"), STARTUP).await.is_some(), "registered");
    assert!(fake.wait_until_ready(WAIT).await, "connected");

    let intents: Vec<String> = engine_with(|_| {}).knowledge().entries.iter().map(|e| e.id.clone()).collect();
    let question = "what does her2 3+ mean on my report";
    // Each vote is a distinct (person, entry), so each acknowledged one has
    // exactly one value to find; asks interleaved.
    let mut votes = Vec::new();
    let mut asks = Vec::new();
    for i in 0..300u64 {
        let user = FIRST_USER + i / intents.len() as u64;
        let intent = &intents[i as usize % intents.len()];
        let helpful = i % 3 != 0;
        let vote = InteractionBuilder::button(&format!("faq:v1:fb:{intent}:{}", if helpful { "up" } else { "down" }))
            .in_guild(ids::GENERAL_CHANNEL_ID, user);
        votes.push((vote, user, intent.clone(), helpful));
        asks.push(
            InteractionBuilder::slash("ask").string("question", question).in_guild(ids::GENERAL_CHANNEL_ID, user),
        );
    }
    let sent = votes.len() + asks.len();
    // Kill once a quarter has been answered: while the burst is still being
    // sent if the bot keeps up (then the rest is never answered), else
    // while the rest is in flight.
    let kill_at = fake.request_count() + sent / 4;
    let start = Instant::now();
    for (vote, ask) in votes.iter().zip(&asks) {
        if fake.request_count() >= kill_at {
            break;
        }
        fake.interaction_create(&vote.0);
        fake.interaction_create(ask);
    }
    while fake.request_count() < kill_at {
        assert!(start.elapsed() < STARTUP, "the burst is being answered");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let (status, _) = crate::cli::stop(child, log, "-KILL").await;
    assert_eq!(status.code(), None, "killed by a signal: {status:?}");
    // Callbacks already on the wire may still land; then nothing more.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acked = answered(&fake);
    assert!(acked.len() < sent, "killed mid-burst ({} of {sent} answered)", acked.len());

    let store = Store::open_existing(&path).expect("the database opens cleanly after SIGKILL");
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    let key = StoreKey::parse(STORE_KEY).unwrap();
    let mut acked_votes = 0;
    for (vote, user, intent, helpful) in &votes {
        if acked.contains(&vote.callback_path()) {
            acked_votes += 1;
            let theirs = store.votes_of(&key.person("discord", *user)).unwrap();
            assert!(
                theirs.contains(&(ids::GUILD_ID, intent.clone(), *helpful)),
                "acknowledged vote of user {user} on {intent} lost: {theirs:?}"
            );
        }
    }
    let acked_asks = asks.iter().filter(|a| acked.contains(&a.callback_path())).count() as u64;
    let counted = store.decision_total().unwrap();
    assert!(acked_votes > 0 && acked_asks > 0, "both kinds were acknowledged");
    assert!(counted >= acked_asks, "{counted} decisions stored, {acked_asks} acknowledged");
    assert!(counted <= asks.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_interactions_at_once_are_all_answered_and_counted() {
    let want = BURST;
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let hc = h.clone();
    // Discord's own heartbeat interval: the ACK waits behind the burst.
    let fake = FakeConfig { heartbeat_interval_ms: 41_250, world: World::default() };
    let env = Env::launch_on(fake, |_| {}, move |s| s.store = Some(hc)).await;
    let (question, _) = env.answerable();
    let burst: Vec<InteractionBuilder> = (0..want)
        .map(|i| {
            InteractionBuilder::slash("ask")
                .string("question", &question)
                .in_guild(ids::GENERAL_CHANNEL_ID, FIRST_USER + i)
        })
        .collect();
    let mark = env.fake.request_count();
    let started = Instant::now();
    for i in &burst {
        env.fake.interaction_create(i);
    }
    // Each /ask is answered with exactly one request, its callback. Counting
    // is cheap; copying the log while requests arrive would slow the fake.
    let deadline = Duration::from_secs(300);
    while env.fake.request_count() < mark + want as usize {
        let arrived = env.fake.request_count() - mark;
        assert!(started.elapsed() < deadline, "only {arrived} of {want} requests arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let wanted: HashSet<String> = burst.iter().map(InteractionBuilder::callback_path).collect();
    assert_eq!(answered(&env.fake).intersection(&wanted).count(), wanted.len(), "every one answered");
    eprintln!("{want} concurrent interactions answered in {:?}", started.elapsed());
    assert_eq!(h.store().decision_total().unwrap(), want, "every one counted");
    env.finish().await;
}
