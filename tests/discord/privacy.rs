//! No user id, name or message text (with text keeping off) ever reaches
//! the database: a scripted session with known ids, names and questions,
//! then the bytes of the database file and its write-ahead log are
//! scanned for them. With text keeping on, the same scan finds the kept
//! question (so the scan can see text) and still no ids or names.

use std::path::Path;

use serde_json::json;

use crate::env::*;
use crate::store::{env_with_store, handle, store_path};

/// A member whose id and names are easy to spot.
const ZOE: u64 = 1_100_000_000_000_000_777;
const ZOE_NAME: &str = "zoequokkaname";
const ZOE_GLOBAL: &str = "ZoeGlobalDisplayname";

/// Questions with marker words that appear nowhere else.
const ASKED_ANSWER: &str = "what does her2 3+ mean on my report, asks marmotfeather";
const ASKED_FALLBACK: &str = "how do I fix the gearbox of my walrusbicycle";
const ASKED_DM: &str = "tell me about football and the narwhalspoon league";

/// Every file of the store: the database, its write-ahead log and index.
fn store_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let db = store_path(dir);
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let p = db.with_file_name(format!("her2bot.sqlite3{suffix}"));
            std::fs::read(&p).ok().map(|b| (p.display().to_string(), b))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Things that must never be stored: every user's id (as text and as
/// 64-bit integers either way round), their names, message ids and links.
fn forbidden(world: &World, message_ids: &[u64]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for m in world.members.iter().filter(|m| !m.bot) {
        out.push((format!("id {}", m.user_id), m.user_id.to_string().into_bytes()));
        out.push((format!("id {} LE", m.user_id), m.user_id.to_le_bytes().to_vec()));
        out.push((format!("id {} BE", m.user_id), m.user_id.to_be_bytes().to_vec()));
        out.push((format!("name {}", m.username), m.username.clone().into_bytes()));
        if let Some(g) = &m.global_name {
            out.push((format!("global name {g}"), g.clone().into_bytes()));
        }
    }
    for id in message_ids {
        out.push((format!("message id {id}"), id.to_string().into_bytes()));
        out.push((format!("message id {id} BE"), id.to_be_bytes().to_vec()));
    }
    out.push(("message link".into(), b"discord.com/channels".to_vec()));
    out
}

fn question_text() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for q in [ASKED_ANSWER, ASKED_FALLBACK, ASKED_DM] {
        out.push((format!("question {q:?}"), q.as_bytes().to_vec()));
    }
    for marker in ["marmotfeather", "walrusbicycle", "narwhalspoon", "gearbox"] {
        out.push((format!("marker {marker}"), marker.as_bytes().to_vec()));
    }
    out
}

fn found(dir: &Path, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let files = store_bytes(dir);
    assert!(!files.is_empty(), "the store files exist");
    let mut hits = Vec::new();
    for (file, bytes) in &files {
        for (what, needle) in needles {
            if contains(bytes, needle) {
                hits.push(format!("{what} in {file}"));
            }
        }
    }
    hits
}

/// A session touching everything that writes: questions by slash command,
/// mention and DM (answered, unanswered, clarified), votes by several
/// people, /faq-stats, /schedule, /forget-me. Returns the message ids.
async fn scripted_session(env: &Env) -> Vec<u64> {
    let (_, intent) = env.answerable();
    let clarify = CLARIFY[0];
    for (q, user) in [(ASKED_ANSWER, ZOE), (ASKED_FALLBACK, ZOE), (clarify, ids::MEMBER_USER_ID)] {
        let ask = InteractionBuilder::slash("ask").string("question", q).in_guild(ids::GENERAL_CHANNEL_ID, user);
        env.interact(&ask).await;
    }
    let mention = MessageBuilder::guild(&mention_bot(ASKED_FALLBACK));
    env.fake.message_create(&mention);
    env.reply_to(ids::GENERAL_CHANNEL_ID, mention.id).await;
    let dm = MessageBuilder::dm(ASKED_DM);
    env.fake.message_create(&dm);
    env.reply_to(ids::DM_CHANNEL_ID, dm.id).await;
    for user in [ZOE, ids::MEMBER_USER_ID, ids::MODERATOR_USER_ID, ids::OWNER_USER_ID] {
        let vote =
            InteractionBuilder::button(&format!("faq:v1:fb:{intent}:up")).in_guild(ids::GENERAL_CHANNEL_ID, user);
        env.interact(&vote).await;
    }
    let mod_here = |i: InteractionBuilder| i.in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID);
    env.interact(&mod_here(InteractionBuilder::slash("faq-stats"))).await;
    let set = InteractionBuilder::slash("schedule").option(json!({ "name": "set", "type": 1, "options": [
        { "name": "channel", "type": 7, "value": ids::GENERAL_CHANNEL_ID.to_string() },
        { "name": "every", "type": 3, "value": "1d" },
    ]}));
    env.interact(&mod_here(set)).await;
    vec![mention.id, dm.id]
}

fn world_with_zoe() -> World {
    let mut world = World::default();
    world.members.push(MemberSpec {
        user_id: ZOE,
        username: ZOE_NAME.into(),
        global_name: Some(ZOE_GLOBAL.into()),
        bot: false,
        roles: vec![],
    });
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_user_id_name_or_question_text_reaches_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), false);
    let hc = h.clone();
    let mut env = Env::launch(|_| {}, world_with_zoe(), move |s| s.store = Some(hc)).await;
    let messages = scripted_session(&env).await;
    assert_eq!(h.store().decision_total().unwrap(), 5, "the session was recorded");
    assert!(h.store().schedule(ids::GUILD_ID).unwrap().is_some());
    let world = env.fake.world();
    let mut needles = forbidden(&world, &messages);
    needles.extend(question_text());
    assert!(
        store_bytes(dir.path()).iter().any(|(f, b)| f.ends_with("-wal") && !b.is_empty()),
        "the write-ahead log holds the session and is scanned too"
    );
    let hits = found(dir.path(), &needles);
    assert!(hits.is_empty(), "while running: {hits:#?}");

    let forget = InteractionBuilder::slash("forget-me").in_guild(ids::GENERAL_CHANNEL_ID, ZOE);
    env.interact(&forget).await;
    env.shutdown().await;
    drop(h);
    let hits = found(dir.path(), &needles);
    assert!(hits.is_empty(), "after /forget-me and shutdown: {hits:#?}");
    env.fake.assert_requests_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_text_keeping_on_only_the_redacted_question_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let h = handle(dir.path(), true);
    let env = env_with_store(&h).await;
    let ask = InteractionBuilder::slash("ask")
        .string("question", &format!("{ASKED_FALLBACK} <@{ZOE}> https://discord.com/channels/1/2/3"))
        .in_guild(ids::GENERAL_CHANNEL_ID, ZOE);
    env.interact(&ask).await;
    let kept = h.store().unanswered_texts().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1, format!("{ASKED_FALLBACK} [mention] [link]"));
    let hits = found(dir.path(), &[("kept question".to_string(), ASKED_FALLBACK.as_bytes().to_vec())]);
    assert!(!hits.is_empty(), "the scan sees stored text");
    let hits = found(dir.path(), &forbidden(&world_with_zoe(), &[]));
    assert!(hits.is_empty(), "{hits:#?}");
    env.finish().await;
}
