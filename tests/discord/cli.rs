//! `her2bot run` as a process: fails fast without a usable token or store
//! key (never printing them), connects with the config's API base, answers,
//! records, and stops cleanly on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use crate::env::*;

const BIN: &str = env!("CARGO_BIN_EXE_her2bot");

/// `her2bot run` in an empty directory, without any DISCORD_TOKEN or
/// store key.
fn run_in(dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("run").current_dir(dir).env_remove("DISCORD_TOKEN").env_remove("HER2BOT_STORE_KEY").env("RUST_LOG", "info");
    cmd
}

#[test]
fn run_without_store_key_fails_fast_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path()).env("DISCORD_TOKEN", TEST_TOKEN).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HER2BOT_STORE_KEY is not set") && stderr.contains("store.enabled"), "{stderr}");
    assert!(!dir.path().join("data").exists(), "no store created without a key");

    let out =
        run_in(dir.path()).env("DISCORD_TOKEN", TEST_TOKEN).env("HER2BOT_STORE_KEY", "sh0rt-s3cr3t").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HER2BOT_STORE_KEY is too short"), "{stderr}");
    assert!(!stderr.contains("sh0rt-s3cr3t"), "the key is never printed: {stderr}");
}

#[test]
fn run_refuses_a_store_from_a_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("her2bot.sqlite3");
    drop(her2bot::store::Store::open(&path).unwrap());
    let newer = her2bot::store::migrate::LATEST + 1;
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", newer).unwrap();
    let out = run_in(dir.path())
        .env("DISCORD_TOKEN", TEST_TOKEN)
        .env("HER2BOT_STORE_KEY", "a-long-enough-secret-for-the-store-key")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("data/her2bot.sqlite3 has schema version") && stderr.contains("newer her2bot"), "{stderr}");
}

#[test]
fn run_without_token_fails_fast() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DISCORD_TOKEN is not set"), "{stderr}");
}

#[test]
fn run_with_malformed_token_does_not_print_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path()).env("DISCORD_TOKEN", "s3cr3t-value.only-two-parts").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not look like a Discord bot token"), "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");

    std::fs::write(dir.path().join(".env"), "DISCORD_TOKEN=dotenv-s3cr3t\n").unwrap();
    let out = run_in(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not look like"), "the .env token was read: {stderr}");
    assert!(!stderr.contains("dotenv-s3cr3t"), "{stderr}");
}

#[test]
fn run_rejects_impossible_shards() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        run_in(dir.path()).args(["--shards", "0-2", "--total", "2"]).env("DISCORD_TOKEN", TEST_TOKEN).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid shards"));
}

/// Bound on a debug-build process starting up (building the engine) on a
/// busy machine.
pub const STARTUP: Duration = Duration::from_secs(60);

/// The store key the spawned bots use.
pub const STORE_KEY: &str = "cli-tests-store-key-cli-tests-store-key";

/// `her2bot run` against `fake` (shards given explicitly), recording into
/// `store`, its stderr drained in the background so the child never blocks
/// on a full pipe.
pub fn spawn_run(fake: &FakeDiscord, store: &std::path::Path) -> (Child, JoinHandle<String>) {
    let dir = std::env::temp_dir();
    let mut child = Command::new(BIN)
        .args(["run", "--shards", "0-0", "--total", "1"])
        .current_dir(dir)
        .env("DISCORD_TOKEN", TEST_TOKEN)
        .env("HER2BOT_STORE_KEY", STORE_KEY)
        .env("HER2BOT_STORE__PATH", store)
        .env("HER2BOT_DISCORD__API_BASE", fake.rest_base())
        .env("HER2BOT_DISCORD__GUILD_IDS", format!("[{}]", ids::GUILD_ID))
        .env("HER2BOT_DISCORD__COOLDOWN_SECONDS", "0")
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let log = tokio::spawn(async move {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text).await;
        text
    });
    (child, log)
}

/// Sends `signal` and returns the exit status and everything logged.
pub async fn stop(mut child: Child, log: JoinHandle<String>, signal: &str) -> (std::process::ExitStatus, String) {
    let pid = child.id().expect("pid").to_string();
    let sent = std::process::Command::new("kill").args([signal, &pid]).status().unwrap();
    assert!(sent.success());
    let status = tokio::time::timeout(WAIT, child.wait()).await.expect("exits in time").unwrap();
    let stderr = tokio::time::timeout(WAIT, log).await.expect("stderr closed").unwrap();
    (status, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_serves_and_stops_on_sigterm() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("her2bot.sqlite3");
    let (child, log) = spawn_run(&fake, &store);
    let registered = fake.wait_for_request(|r| r.is("PUT", "/applications/"), STARTUP).await;
    assert!(registered.is_some(), "commands registered; requests: {:#?}", fake.requests());
    assert!(fake.wait_until_ready(WAIT).await, "connected");
    let stats = fake.gateway_stats();
    assert_eq!(stats.last_identify.as_ref().map(|i| i["shard"].clone()), Some(json!([0, 1])));

    let question = "what does her2 3+ mean on my report";
    let ask = InteractionBuilder::slash("ask").string("question", question);
    fake.interaction_create(&ask);
    let path = ask.callback_path();
    let cb = fake.wait_for_request(|r| r.is("POST", &path), WAIT).await.expect("answered");
    assert!(cb.body.as_ref().unwrap()["data"]["embeds"][0].is_object());

    let (status, stderr) = stop(child, log, "-TERM").await;
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
    assert!(!stderr.contains(TEST_TOKEN) && !stderr.contains("fake-token"), "token never logged");
    assert!(!stderr.contains(question), "questions are not logged at info: {stderr}");
    assert!(stderr.contains("decision=Answer"), "decision kind logged: {stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour codes when stderr is not a terminal");
    assert!(!stderr.contains(STORE_KEY), "store key never logged");
    assert!(stderr.contains("store open"), "{stderr}");
    let recorded = her2bot::store::Store::open_existing(&store).unwrap().decision_total().unwrap();
    assert_eq!(recorded, 1, "the question was counted");
    fake.assert_requests_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_stops_on_sigint() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (child, log) = spawn_run(&fake, &dir.path().join("her2bot.sqlite3"));
    let registered = fake.wait_for_request(|r| r.is("PUT", "/applications/"), STARTUP).await;
    assert!(registered.is_some(), "commands registered");
    let (status, stderr) = stop(child, log, "-INT").await;
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("SIGINT received"), "{stderr}");
    let closed = fake.wait_for_gateway(|s| s.open_connections == 0, WAIT).await;
    assert!(closed.is_some(), "gateway connection closed");
}
