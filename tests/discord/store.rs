//! The store through Discord: decisions recorded before the answer, one
//! vote per person thanked privately, `/forget-me`, `/faq-stats` for
//! moderators only, and everything still answered with the store off.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use her2bot::reply::ReplyKind;
use her2bot::store::{Handle, Policy, Store, StoreKey};
use serde_json::json;

use crate::env::*;

pub const SECRET: &str = "discord-tests-secret-discord-tests-secret";

/// A store file in `dir`.
pub fn store_path(dir: &Path) -> PathBuf {
    dir.join("data").join("her2bot.sqlite3")
}

/// A handle over the store in `dir`, keeping question text or not.
pub fn handle(dir: &Path, keep_text: bool) -> Handle {
    let store = Arc::new(Store::open(&store_path(dir)).expect("store opens"));
    let policy = Policy { keep_unanswered_text: keep_text, retention_days: 30 };
    Handle::new(store, StoreKey::parse(SECRET).unwrap(), policy)
}

/// A bot recording into `h`.
pub async fn env_with_store(h: &Handle) -> Env {
    let h = h.clone();
    Env::launch(|_| {}, World::default(), move |s| s.store = Some(h)).await
}

fn person(h: &Handle, user: u64) -> her2bot::store::PersonId {
    h.person("discord", user)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_one_per_person_replaced_on_change_and_thanked_privately() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let env = env_with_store(&h).await;
    let (_, intent) = env.answerable();
    let vote = |user: u64, dir: &str| {
        InteractionBuilder::button(&format!("faq:v1:fb:{intent}:{dir}")).in_guild(ids::GENERAL_CHANNEL_ID, user)
    };
    let alice = ids::MEMBER_USER_ID;
    let said = |cb: &Recorded| {
        assert!(ephemeral(cb), "thanks are private");
        content(cb).to_string()
    };
    let first = said(&env.interact(&vote(alice, "up")).await);
    assert!(first.starts_with("Thanks for the feedback.") && first.contains("/forget-me"), "{first}");
    assert_eq!(h.store().votes_of(&person(&h, alice)).unwrap(), [(ids::GUILD_ID, intent.clone(), true)]);
    assert_eq!(said(&env.interact(&vote(alice, "up")).await), "Thanks, your vote was already counted.");
    assert!(said(&env.interact(&vote(alice, "down")).await).starts_with("Thanks, I've changed your vote."));
    assert_eq!(h.store().votes_of(&person(&h, alice)).unwrap(), [(ids::GUILD_ID, intent.clone(), false)]);
    env.interact(&vote(ids::MODERATOR_USER_ID, "up")).await;
    let dm = InteractionBuilder::button(&format!("faq:v1:fb:{intent}:up")).in_dm(alice);
    env.interact(&dm).await;
    assert_eq!(
        h.store().votes_of(&person(&h, alice)).unwrap(),
        [(0, intent.clone(), true), (ids::GUILD_ID, intent.clone(), false)],
        "a direct message counts apart from the server"
    );
    let gone = env.interact(&InteractionBuilder::button("faq:v1:fb:no-such-topic:up")).await;
    assert!(content(&gone).contains("no longer available"));
    assert_eq!(h.store().votes_of(&person(&h, alice)).unwrap().len(), 2, "no vote for a topic that does not exist");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_decision_is_counted_before_the_answer_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let env = env_with_store(&h).await;
    let (question, _) = env.answerable();
    let clarify = env.question(ReplyKind::Clarify, CLARIFY);
    let fallback = env.question(ReplyKind::Fallback, FALLBACK);
    let emergency = env.question(ReplyKind::Emergency, EMERGENCY);
    let mut expected = 0;
    for q in [question.as_str(), clarify, fallback, emergency, "hello"] {
        env.interact(&InteractionBuilder::slash("ask").string("question", q)).await;
        expected += 1;
        // The callback has arrived: the decision was committed before it.
        assert_eq!(h.store().decision_total().unwrap(), expected, "{q}");
    }
    let mention = MessageBuilder::guild(&mention_bot(&question));
    env.fake.message_create(&mention);
    env.reply_to(ids::GENERAL_CHANNEL_ID, mention.id).await;
    let dm = MessageBuilder::dm(fallback);
    env.fake.message_create(&dm);
    env.reply_to(ids::DM_CHANNEL_ID, dm.id).await;
    assert_eq!(h.store().decision_total().unwrap(), expected + 2);

    let today = her2bot::clock::Clock::today(&her2bot::clock::SystemClock);
    let query = |guild| her2bot::store::StatsQuery { today, days: 1, guild, max_groups: 5, text_kept: false };
    let s = h.store().stats(&query(Some(ids::GUILD_ID))).unwrap();
    let mix: Vec<u64> = s.decisions.iter().map(|d| d.count).collect();
    assert_eq!(mix, [2, 1, 1, 1, 1], "answer, clarify, fallback, emergency, smalltalk in the server");
    assert_eq!(h.store().stats(&query(Some(0))).unwrap().total, 1, "the DM counts as guild 0");
    assert!(h.store().unanswered_texts().unwrap().is_empty(), "no text kept when off");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_me_deletes_the_persons_votes_and_says_what_it_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let env = env_with_store(&h).await;
    let entries: Vec<String> = env.engine.knowledge().entries.iter().take(2).map(|e| e.id.clone()).collect();
    let alice = ids::MEMBER_USER_ID;
    for intent in &entries {
        env.interact(&InteractionBuilder::button(&format!("faq:v1:fb:{intent}:up"))).await;
    }
    let mona = InteractionBuilder::button(&format!("faq:v1:fb:{}:down", entries[0]))
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID);
    env.interact(&mona).await;

    let cb = env.interact(&InteractionBuilder::slash("forget-me")).await;
    assert!(ephemeral(&cb));
    let text = content(&cb);
    assert!(text.contains("deleted **2** “Was this helpful?” votes"), "{text}");
    assert!(text.contains("never stored with your name or id"), "{text}");
    assert!(h.store().votes_of(&person(&h, alice)).unwrap().is_empty());
    assert_eq!(h.store().votes_of(&person(&h, ids::MODERATOR_USER_ID)).unwrap().len(), 1, "others' votes stay");

    let again = env.interact(&InteractionBuilder::slash("forget-me").in_dm(alice)).await;
    assert!(content(&again).contains("no “Was this helpful?” votes from you"), "{}", content(&again));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_stats_for_moderators_only_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), true);
    let env = env_with_store(&h).await;
    let (question, intent) = env.answerable();
    let registered = env.fake.registered_commands(Some(ids::GUILD_ID));
    let stats_cmd = registered.iter().find(|c| c["name"] == "faq-stats").expect("registered");
    assert_eq!(stats_cmd["default_member_permissions"], json!(perm::MANAGE_MESSAGES.to_string()));

    env.interact(&InteractionBuilder::slash("ask").string("question", &question)).await;
    for q in ["how do I fix my car", "how can I fix my car", "what is the best pizza topping"] {
        env.interact(&InteractionBuilder::slash("ask").string("question", q)).await;
    }
    env.interact(&InteractionBuilder::button(&format!("faq:v1:fb:{intent}:up"))).await;

    let refused = env.interact(&InteractionBuilder::slash("faq-stats")).await;
    assert!(ephemeral(&refused));
    assert!(content(&refused).contains("Manage Messages"), "{}", content(&refused));
    assert!(embed(&refused).is_null(), "no stats for members");

    let asked = InteractionBuilder::slash("faq-stats")
        .integer("days", 7)
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID);
    let cb = env.interact(&asked).await;
    assert!(ephemeral(&cb), "stats are private to the moderator");
    let e = embed(&cb);
    assert_eq!(e["title"], "FAQ stats: the last 7 days");
    let description = e["description"].as_str().unwrap();
    assert!(description.contains("**4 questions**") && description.contains("1 of 1 votes"), "{description}");
    let topics = field(e, "Asks per topic").unwrap();
    assert!(topics.contains(&format!("`{intent}`: 1 answered")), "{topics}");
    let unanswered = field(e, "Unanswered questions, grouped").unwrap();
    assert!(unanswered.starts_with("**2** ×") && unanswered.contains("fix my car"), "{unanswered}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_store_off_everything_still_answers() {
    let env = Env::start().await;
    let (question, intent) = env.answerable();
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", &question)).await;
    assert!(embed(&cb).is_object());
    let vote = env.interact(&InteractionBuilder::button(&format!("faq:v1:fb:{intent}:up"))).await;
    assert_eq!(content(&vote), "Thanks for the feedback.");
    let forget = env.interact(&InteractionBuilder::slash("forget-me")).await;
    assert!(content(&forget).contains("records nothing tied to you"), "{}", content(&forget));
    let stats = InteractionBuilder::slash("faq-stats").in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID);
    assert!(content(&env.interact(&stats).await).contains("Nothing is recorded"));
    env.finish().await;
}
