//! The store against real SQLite files in temporary directories:
//! migrations (from empty, from each earlier version, a newer schema
//! refused, a foreign file refused), counting, one vote per person,
//! forget-me, retention purge, the report and the schedule rotation.

use std::path::{Path, PathBuf};

use her2bot::clock::DAY;
use her2bot::config::Config;
use her2bot::engine::{DecisionKind, Engine};
use her2bot::knowledge::Knowledge;
use her2bot::store::migrate::{self, APPLICATION_ID, LATEST, MIGRATIONS};
use her2bot::store::{
    DecisionRecord, Every, Handle, Policy, Schedule, StatsQuery, Store, StoreError, StoreKey, Vote, VoteOutcome,
};
use rusqlite::Connection;

const SECRET: &str = "test-secret-test-secret-test-secret";
const TODAY: i64 = 20_000;
const GUILD: u64 = 1_100_000_000_000_000_100;

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("her2bot.sqlite3");
    (dir, path)
}

fn engine() -> Engine {
    Engine::new(Knowledge::embedded().unwrap(), Config::default()).unwrap()
}

fn tables(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn record(day: i64, guild: u64, decision: DecisionKind, intent: &str) -> DecisionRecord {
    DecisionRecord { day, guild, decision, intent: intent.into(), score: 0.5, unanswered: None }
}

fn query(days: u32, guild: Option<u64>) -> StatsQuery {
    StatsQuery { today: TODAY, days, guild, max_groups: 10, text_kept: true }
}

#[test]
fn created_on_first_open_with_folder_wal_and_latest_schema() {
    let (_dir, path) = temp();
    let store = Store::open(&path).unwrap();
    assert!(path.is_file());
    assert_eq!(store.schema_version().unwrap(), LATEST);
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    store.record(&record(TODAY, GUILD, DecisionKind::Answer, "her2-score")).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(tables(&path), ["decisions", "rotation", "schedules", "unanswered", "votes"]);
}

#[test]
fn reopening_is_idempotent_and_keeps_data() {
    let (_dir, path) = temp();
    Store::open(&path).unwrap().record(&record(TODAY, GUILD, DecisionKind::Answer, "her2-score")).unwrap();
    for _ in 0..3 {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST);
        assert_eq!(store.decision_total().unwrap(), 1);
    }
}

#[test]
fn migrates_from_each_earlier_version_keeping_data() {
    for from in 1..LATEST {
        let (_dir, path) = temp();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        {
            let mut conn = Connection::open(&path).unwrap();
            assert_eq!(migrate::migrate_to(&mut conn, &path, from).unwrap(), 0);
            assert_eq!(migrate::version(&conn).unwrap(), from);
            // Data written by that version.
            conn.execute(
                "INSERT INTO decisions (day, guild, decision, intent, count, score_sum) VALUES (?1, ?2, 'answer', 'her2-score', 7, 3.5)",
                (TODAY, GUILD as i64),
            )
            .unwrap();
        }
        assert!(!tables(&path).contains(&"schedules".to_string()), "v{from} has no schedules yet");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST, "from v{from}");
        assert_eq!(store.decision_total().unwrap(), 7, "from v{from}: data kept");
        let every = Every::parse("1d").unwrap();
        store.set_schedule(GUILD, 5, every, None, TODAY * DAY).unwrap();
        assert!(store.schedule(GUILD).unwrap().is_some(), "from v{from}: new tables usable");
    }
    assert_eq!(MIGRATIONS.len(), LATEST as usize);
}

#[test]
fn newer_schema_refused_with_a_clear_message() {
    let (_dir, path) = temp();
    drop(Store::open(&path).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", LATEST + 1).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found, known, .. } if found == LATEST + 1 && known == LATEST));
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("newer her2bot"), "{msg}");
    // Nothing was changed.
    let v: u32 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, LATEST + 1);
}

#[test]
fn foreign_database_and_garbage_refused() {
    let (_dir, path) = temp();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    Connection::open(&path).unwrap().execute_batch("CREATE TABLE recipes (name TEXT);").unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err}");
    assert!(err.to_string().contains("not a her2bot store"), "{err}");

    let garbage = path.with_file_name("garbage.sqlite3");
    std::fs::write(&garbage, b"this is certainly not an SQLite database, just some text").unwrap();
    let err = Store::open(&garbage).unwrap_err();
    assert!(err.to_string().contains("garbage.sqlite3"), "{err}");

    let missing = path.with_file_name("absent.sqlite3");
    let err = Store::open_existing(&missing).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }) && err.to_string().contains("absent.sqlite3"), "{err}");
    assert!(!missing.exists(), "open_existing never creates");
}

#[test]
fn decisions_counted_per_day_guild_decision_and_intent() {
    let (_dir, path) = temp();
    let store = Store::open(&path).unwrap();
    let batch = [
        record(TODAY, GUILD, DecisionKind::Answer, "her2-score"),
        record(TODAY, GUILD, DecisionKind::Answer, "her2-score"),
        record(TODAY, GUILD, DecisionKind::Answer, "her2-low-status"),
        record(TODAY, GUILD, DecisionKind::Clarify, "her2-low-status"),
        record(TODAY, GUILD, DecisionKind::Emergency, ""),
        record(TODAY, 0, DecisionKind::Smalltalk, ""),
        record(TODAY - 40, GUILD, DecisionKind::Answer, "her2-score"),
    ];
    store.record_all(&batch).unwrap();
    assert_eq!(store.decision_total().unwrap(), 7);
    let rows: i64 =
        Connection::open(&path).unwrap().query_row("SELECT count(*) FROM decisions", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 6, "the two identical decisions share a counter row");

    let s = store.stats(&query(30, Some(GUILD))).unwrap();
    assert_eq!(s.total, 5, "other server and older days left out");
    let mix: Vec<(&str, u64)> = s.decisions.iter().map(|d| (d.decision, d.count)).collect();
    assert_eq!(mix, [("answer", 3), ("clarify", 1), ("fallback", 0), ("emergency", 1), ("smalltalk", 0)]);
    assert_eq!(s.topics[0].intent, "her2-score");
    assert_eq!(s.topics[0].answered, 2);
    assert_eq!((s.topics[1].intent.as_str(), s.topics[1].answered, s.topics[1].near_misses), ("her2-low-status", 1, 1));
    assert_eq!(store.stats(&query(60, None)).unwrap().total, 7);
}

#[test]
fn one_vote_per_person_a_change_of_mind_replaces_it() {
    let (_dir, path) = temp();
    let store = Store::open(&path).unwrap();
    let key = StoreKey::parse(SECRET).unwrap();
    let (alice, bob) = (key.person("discord", 1), key.person("discord", 2));
    let vote =
        |person, intent: &str, helpful| Vote { person, guild: GUILD, intent: intent.into(), helpful, day: TODAY };
    assert_eq!(store.vote(&vote(alice, "her2-score", true)).unwrap(), VoteOutcome::Recorded);
    assert_eq!(store.vote(&vote(alice, "her2-score", true)).unwrap(), VoteOutcome::Unchanged);
    assert_eq!(store.vote(&vote(alice, "her2-score", false)).unwrap(), VoteOutcome::Changed);
    assert_eq!(store.vote(&vote(alice, "her2-low-status", true)).unwrap(), VoteOutcome::Recorded);
    assert_eq!(store.vote(&vote(bob, "her2-score", true)).unwrap(), VoteOutcome::Recorded);
    assert_eq!(
        store.votes_of(&alice).unwrap(),
        [(GUILD, "her2-low-status".to_string(), true), (GUILD, "her2-score".to_string(), false)]
    );
    let s = store.stats(&query(30, Some(GUILD))).unwrap();
    assert_eq!((s.helpful, s.not_helpful), (2, 1));
    let score = s.topics.iter().find(|t| t.intent == "her2-score").unwrap();
    assert_eq!((score.helpful, score.not_helpful), (1, 1), "alice's first vote was replaced");
    assert!((s.helpful_share.unwrap() - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn forget_me_deletes_only_that_persons_votes() {
    let (_dir, path) = temp();
    let store = Store::open(&path).unwrap();
    let key = StoreKey::parse(SECRET).unwrap();
    let (alice, bob) = (key.person("discord", 1), key.person("discord", 2));
    for (person, intent) in [(alice, "her2-score"), (alice, "her2-drugs"), (bob, "her2-score")] {
        store.vote(&Vote { person, guild: GUILD, intent: intent.into(), helpful: true, day: TODAY }).unwrap();
    }
    assert_eq!(store.forget(&alice).unwrap().votes, 2);
    assert!(store.votes_of(&alice).unwrap().is_empty());
    assert_eq!(store.votes_of(&bob).unwrap().len(), 1);
    assert_eq!(store.forget(&alice).unwrap().votes, 0, "nothing left to forget");
    // The deleted hashes are gone from the files too (secure delete + checkpoint).
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(16).any(|w| w == alice.as_bytes()), "alice's id still in the file");
    assert!(bytes.windows(16).any(|w| w == bob.as_bytes()), "bob's vote is stored as his hash");
}

#[test]
fn unanswered_text_kept_only_when_enabled_and_purged_after_retention() {
    let (_dir, path) = temp();
    let engine = engine();
    let store = std::sync::Arc::new(Store::open(&path).unwrap());
    let key = StoreKey::parse(SECRET).unwrap();
    let question = "how do I fix my car <@123456789012345678>";
    let response = engine.respond(question);
    assert_eq!(response.decision, DecisionKind::Fallback);

    let off = Handle::new(store.clone(), key.clone(), Policy { keep_unanswered_text: false, retention_days: 30 });
    off.record_response(&engine, &response, question, GUILD, TODAY).unwrap();
    assert!(store.unanswered_texts().unwrap().is_empty(), "text not kept when off");
    assert_eq!(store.decision_total().unwrap(), 1, "but the decision is counted");

    let on = Handle::new(store.clone(), key, Policy { keep_unanswered_text: true, retention_days: 30 });
    for day in [TODAY - 30, TODAY - 29, TODAY, TODAY] {
        on.record_response(&engine, &response, question, GUILD, day).unwrap();
    }
    let emergency = "I have a fever of 39 during chemo";
    on.record_response(&engine, &engine.respond(emergency), emergency, GUILD, TODAY).unwrap();
    let texts = store.unanswered_texts().unwrap();
    assert_eq!(texts.len(), 3, "one row per day; emergencies never kept: {texts:?}");
    assert!(texts.iter().all(|(_, t, _)| t == "how do I fix my car [mention]"), "redacted: {texts:?}");
    assert_eq!(texts[2], (TODAY, "how do I fix my car [mention]".to_string(), 2));

    // Retention 30 days: today and the 29 before are kept.
    assert_eq!(on.purge(TODAY).unwrap(), 1);
    let days: Vec<i64> = store.unanswered_texts().unwrap().iter().map(|t| t.0).collect();
    assert_eq!(days, [TODAY - 29, TODAY]);
    assert_eq!(on.purge(TODAY).unwrap(), 0, "purge is idempotent");
    // Turning text keeping off deletes all kept text at the next purge.
    assert_eq!(off.purge(TODAY).unwrap(), 2);
    assert!(store.unanswered_texts().unwrap().is_empty());
    assert!(!String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains("fix my car"), "purged text overwritten");
}

#[test]
fn report_groups_unanswered_questions_by_nearest_entry() {
    let (_dir, path) = temp();
    let engine = engine();
    let store = std::sync::Arc::new(Store::open(&path).unwrap());
    let on = Handle::new(
        store.clone(),
        StoreKey::parse(SECRET).unwrap(),
        Policy { keep_unanswered_text: true, retention_days: 30 },
    );
    let asked = [
        "how do I fix my car",
        "how can I fix my car",
        "fix my car how",
        "what is the best pizza topping",
        "what does my her2 result mean",
    ];
    for q in asked {
        on.record_response(&engine, &engine.respond(q), q, GUILD, TODAY).unwrap();
    }
    let s = store.stats(&query(7, Some(GUILD))).unwrap();
    assert!(!s.unanswered.is_empty());
    let car = &s.unanswered[0];
    assert_eq!(car.count, 3, "{:#?}", s.unanswered);
    assert!(car.examples.iter().all(|e| e.contains("car")), "{car:?}");
    let md = s.to_markdown();
    assert!(md.contains("## Unanswered questions, grouped") && md.contains("**3** ×"), "{md}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["unanswered"][0]["count"], 3);
    assert_eq!(json["decisions"][0]["decision"], "answer");
}

#[test]
fn schedule_rotation_and_missed_slots_survive_reopening() {
    let (_dir, path) = temp();
    let topics: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let day = Every::parse("1d").unwrap();
    let t0 = TODAY * DAY;
    {
        let store = Store::open(&path).unwrap();
        let s = store.set_schedule(GUILD, 7, day, Some(9 * 60), t0).unwrap();
        assert_eq!(s.next_due, t0 + 9 * 3600);
        assert!(store.due_schedules(t0).unwrap().is_empty());
        assert_eq!(store.due_schedules(t0 + 9 * 3600).unwrap().len(), 1);
        assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("a"));
        // A crash here: the claim is kept.
    }
    let store = Store::open(&path).unwrap();
    let due: Vec<Schedule> = store.due_schedules(t0 + 10 * 3600).unwrap();
    assert_eq!(due[0].pending.as_deref(), Some("a"));
    assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("a"), "same topic retried");
    store.mark_posted(GUILD, "a", t0 + 10 * 3600).unwrap();
    assert_eq!(store.schedule(GUILD).unwrap().unwrap().next_due, t0 + DAY + 9 * 3600);

    // Down for three days: one post, then the next future slot.
    let later = t0 + 4 * DAY + 12 * 3600;
    assert_eq!(store.due_schedules(later).unwrap().len(), 1);
    assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("b"));
    store.mark_posted(GUILD, "b", later).unwrap();
    assert_eq!(store.schedule(GUILD).unwrap().unwrap().next_due, t0 + 5 * DAY + 9 * 3600);
    assert!(store.due_schedules(later).unwrap().is_empty(), "not once per missed period");

    // A refused post keeps its topic for next time.
    assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("c"));
    store.mark_skipped(GUILD, t0 + 5 * DAY + 9 * 3600).unwrap();
    assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("c"));
    store.mark_posted(GUILD, "c", t0 + 6 * DAY + 9 * 3600).unwrap();
    assert_eq!(store.rotation(GUILD, &topics).unwrap().next.as_deref(), Some("a"), "a new cycle");
    assert_eq!(store.claim_topic(GUILD, &topics).unwrap().as_deref(), Some("a"));

    assert!(store.stop_schedule(GUILD).unwrap().is_some());
    assert!(store.schedule(GUILD).unwrap().is_none());
    assert!(store.claim_topic(GUILD, &topics).unwrap().is_none(), "no schedule, nothing to claim");
}

#[test]
fn review_cli_prints_the_report_offline() {
    let (_dir, path) = temp();
    let today = her2bot::clock::Clock::today(&her2bot::clock::SystemClock);
    {
        let store = Store::open(&path).unwrap();
        store.record(&record(today, GUILD, DecisionKind::Answer, "her2-score")).unwrap();
        store.record(&record(today - 1, GUILD, DecisionKind::Fallback, "")).unwrap();
        store.record(&record(today - 10, 77, DecisionKind::Answer, "her2-drugs")).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_her2bot");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    let store = path.to_str().unwrap();

    let out = run(&["review", "--store", store, "--days", "7", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["days"], 7);
    assert_eq!(json["total"], 2, "the older decision is outside 7 days: {json}");
    assert_eq!(json["topics"][0]["intent"], "her2-score");

    let out = run(&["review", "--store", store, "--guild", "77"]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# FAQ review:") && md.contains("(30 days, server 77)"), "{md}");
    assert!(md.contains("| `her2-drugs` | 1 |") && !md.contains("her2-score"), "{md}");
    assert!(md.contains("Question text is not kept"), "{md}");

    let missing = path.with_file_name("nothing-here.sqlite3");
    let out = run(&["review", "--store", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no store at") && err.contains("nothing-here.sqlite3"), "{err}");
    assert!(!missing.exists());
    let out = run(&["review", "--store", store, "--days", "0"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses 0 days");
}
