//! Live reload: `/faq-reload` (administrators) and SIGHUP re-read knowledge
//! and config from disk. A valid change is answered from at once; an
//! invalid one is rejected with every problem named by file and field, and
//! the old knowledge keeps answering.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use her2bot::engine::{DecisionKind, Engine};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::env::*;

/// `/faq-reload` by `user` in the general channel.
fn reload_by(user: u64) -> InteractionBuilder {
    InteractionBuilder::slash("faq-reload").in_guild(ids::GENERAL_CHANNEL_ID, user)
}

/// `/faq-reload` by the server owner (an administrator): the private report.
async fn reload(env: &Env) -> String {
    let i = reload_by(ids::OWNER_USER_ID);
    let cb = env.interact(&i).await;
    assert_eq!(cb_type(&cb), cb::DEFER);
    assert!(ephemeral(&cb), "the report is private");
    let edit = env.request("reload report", |r| r.is("PATCH", "/webhooks/") && r.path.contains(i.token())).await;
    let text = content(&edit).to_string();
    assert!(text.chars().count() <= 2000, "{text}");
    text
}

/// The callback to `/ask question`.
async fn ask(env: &Env, question: &str) -> Recorded {
    env.interact(&InteractionBuilder::slash("ask").string("question", question)).await
}

/// A canonical question answered directly from its entry, whose answer
/// leaves room to grow: (question, entry id, answer).
fn answerable(engine: &Engine) -> (String, String, String) {
    engine
        .knowledge()
        .entries
        .iter()
        .filter(|e| e.answer.chars().count() < 1000)
        .find(|e| {
            let r = engine.respond(&e.question);
            r.decision == DecisionKind::Answer && r.intent.as_deref() == Some(e.id.as_str())
        })
        .map(|e| (e.question.clone(), e.id.clone(), e.answer.clone()))
        .expect("some canonical question is answered")
}

/// Sets an entry's answer in its file.
fn set_answer(files: &Files, id: &str, answer: &str) {
    files.edit_toml(&Files::intent(id), |t| {
        t.insert("answer".into(), toml::Value::String(answer.into()));
    });
}

const EDITED: &str = " (Edited while the bot was running.)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_picks_up_a_valid_change() {
    let files = Files::new();
    let env = Env::start_from(&files).await;
    let (question, id, old) = answerable(&env.engine);
    assert_eq!(embed(&ask(&env, &question).await)["description"], json!(old));

    let new = format!("{old}{EDITED}");
    set_answer(&files, &id, &new);
    let notice = "General information only, not medical advice: ask your own cancer team (edited).";
    files.edit_toml("config/bot.toml", |t| {
        t["reply"].as_table_mut().unwrap().insert("notice".into(), notice.into());
        let discord = t["discord"].as_table_mut().unwrap();
        discord.insert("cooldown_seconds".into(), 60.into());
        discord.insert("guild_ids".into(), toml::Value::Array(vec![(ids::GUILD_ID as i64).into(), 42.into()]));
    });
    let report = reload(&env).await;
    let topics = env.engine.knowledge().entries.len();
    assert!(report.starts_with(&format!("**Reloaded** ({topics} topics).")), "{report}");
    assert!(report.contains(&format!("Changed (1): `{id}`.")), "{report}");
    assert!(report.contains("Settings applied now (2): `discord.cooldown_seconds`, `reply.notice`."), "{report}");
    assert!(report.contains("Settings that need a restart (1): `discord.guild_ids` (the old values"), "{report}");
    assert!(!report.contains("Added") && !report.contains("Removed"), "{report}");

    let cb = ask(&env, &question).await;
    let e = embed(&cb);
    assert_eq!(e["description"], json!(new), "the new answer is live");
    assert_eq!(field(e, "Please note"), Some(notice), "the new notice is live");
    let again = ask(&env, &question).await;
    assert!(content(&again).starts_with("Please wait"), "the new cooldown is live: {}", content(&again));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_rejects_invalid_changes_and_old_knowledge_keeps_answering() {
    let files = Files::new();
    let env = Env::start_from(&files).await;
    let (question, id, old) = answerable(&env.engine);
    let other = env.engine.knowledge().entries.iter().find(|e| e.id != id).unwrap().id.clone();
    let (file, other_file) = (Files::intent(&id), Files::intent(&other));
    let (original, other_original) = (files.read(&file), files.read(&other_file));
    let still_old = |cb: &Recorded| assert_eq!(embed(cb)["description"], json!(old), "the old answer stays");

    // Broken TOML: an unterminated string.
    let quoted = format!("id = \"{id}\"");
    assert!(original.contains(&quoted));
    files.write(&file, &original.replacen(&quoted, &format!("id = \"{id}"), 1));
    let report = reload(&env).await;
    assert!(report.starts_with("**Reload rejected: 1 problem found.** Nothing changed"), "{report}");
    assert!(report.contains(&format!("• `intents/{id}.toml` `id`: ")), "file and field named: {report}");
    still_old(&ask(&env, &question).await);

    // Valid TOML that breaks the rules: an unknown related id in one entry,
    // an over-long answer in another.
    files.write(&file, &original);
    set_answer(&files, &id, &"x".repeat(1300));
    files.edit_toml(&other_file, |t| {
        t["related"].as_array_mut().unwrap()[0] = "no-such-topic".into();
    });
    let report = reload(&env).await;
    assert!(report.starts_with("**Reload rejected: 2 problems found.**"), "{report}");
    assert!(
        report.contains(&format!("• `intents/{id}.toml` `answer`: must be 1 to 1200 characters (has 1300)")),
        "{report}"
    );
    assert!(report.contains(&format!("• `intents/{other}.toml` `related[0]`: unknown id `no-such-topic`")), "{report}");
    still_old(&ask(&env, &question).await);

    // Put right again: the reload succeeds and nothing differs.
    files.write(&file, &original);
    files.write(&other_file, &other_original);
    let report = reload(&env).await;
    assert!(report.starts_with("**Reloaded: nothing changed**"), "{report}");
    still_old(&ask(&env, &question).await);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_refused_to_non_administrators() {
    let files = Files::new();
    let env = Env::start_from(&files).await;
    let command = env.fake.registered_commands(Some(ids::GUILD_ID)).into_iter().find(|c| c["name"] == "faq-reload");
    let command = command.expect("/faq-reload registered");
    assert_eq!(command["default_member_permissions"], json!(perm::ADMINISTRATOR.to_string()));
    assert_eq!(command["contexts"], json!([0]), "servers only");

    let (question, id, old) = answerable(&env.engine);
    set_answer(&files, &id, &format!("{old}{EDITED}"));
    for user in [ids::MODERATOR_USER_ID, ids::MEMBER_USER_ID] {
        let cb = env.interact(&reload_by(user)).await;
        assert_eq!(cb_type(&cb), cb::MESSAGE);
        assert!(ephemeral(&cb), "the refusal is private");
        assert!(content(&cb).contains("only server administrators"), "{}", content(&cb));
        assert!(content(&cb).contains("**Administrator**"), "{}", content(&cb));
    }
    let dm = env.interact(&InteractionBuilder::slash("faq-reload").in_dm(ids::OWNER_USER_ID)).await;
    assert!(ephemeral(&dm) && content(&dm).contains("servers only"), "{}", content(&dm));
    assert_eq!(embed(&ask(&env, &question).await)["description"], json!(old), "nothing was reloaded");
    let edits = env.fake.requests().iter().filter(|r| r.is("PATCH", "/webhooks/")).count();
    assert_eq!(edits, 0, "no reload report was sent");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_with_nothing_on_disk_says_so() {
    let env = Env::start().await;
    let report = reload(&env).await;
    assert!(report.starts_with("**Nothing to reload.**"), "{report}");
    assert!(report.contains("`--knowledge DIR`"), "{report}");
    let (question, _) = env.answerable();
    assert!(embed(&ask(&env, &question).await)["title"].is_string(), "still answering");
    env.finish().await;
}

const BIN: &str = env!("CARGO_BIN_EXE_her2bot");
/// Bound on a debug-build process starting up on a busy machine.
const STARTUP: Duration = Duration::from_secs(60);

/// `her2bot run` as a process, its stderr collected as it comes.
struct Process {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Process {
    /// `her2bot run` in `dir` without `--knowledge`/`--config`, so it
    /// starts on the built-in copies and reloads from `dir`.
    fn spawn_in(fake: &FakeDiscord, dir: &std::path::Path) -> Self {
        let mut child = Command::new(BIN)
            .args(["run", "--shards", "0-0", "--total", "1"])
            .current_dir(dir)
            .env("DISCORD_TOKEN", TEST_TOKEN)
            .env("HER2BOT_DISCORD__API_BASE", fake.rest_base())
            .env("HER2BOT_DISCORD__GUILD_IDS", format!("[{}]", ids::GUILD_ID))
            .env("HER2BOT_DISCORD__COOLDOWN_SECONDS", "0")
            .env("HER2BOT_STORE_KEY", crate::cli::STORE_KEY)
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let sink = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Self { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends `signal` (e.g. `-HUP`).
    fn signal(&self, signal: &str) {
        let pid = self.child.id().expect("running").to_string();
        assert!(std::process::Command::new("kill").args([signal, &pid]).status().unwrap().success());
    }

    /// Sends SIGHUP and returns what was logged from then until `done`.
    async fn hangup(&self, done: &str) -> String {
        let mark = self.log().len();
        self.signal("-HUP");
        let deadline = Instant::now() + WAIT;
        loop {
            let since = self.log()[mark..].to_string();
            if since.contains(done) {
                return since;
            }
            assert!(Instant::now() < deadline, "no `{done}` logged after SIGHUP: {since}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

/// `/ask` against a fake: the answer embed's description.
async fn ask_fake(fake: &FakeDiscord, question: &str) -> Value {
    let i = InteractionBuilder::slash("ask").string("question", question);
    fake.interaction_create(&i);
    let path = i.callback_path();
    let cb = fake.wait_for_request(|r| r.is("POST", &path), WAIT).await.expect("answered");
    embed(&cb)["description"].clone()
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_a_valid_change_and_keeps_the_old_knowledge_on_an_invalid_one() {
    let files = Files::new();
    let fake = FakeDiscord::start().await;
    let mut bot = Process::spawn_in(&fake, files.dir.path());
    let registered = fake.wait_for_request(|r| r.is("PUT", "/applications/"), STARTUP).await;
    assert!(registered.is_some(), "commands registered; log: {}", bot.log());
    assert!(fake.wait_until_ready(WAIT).await, "connected");
    assert!(bot.log().contains("live reload (/faq-reload, SIGHUP) reads knowledge from ./knowledge"), "{}", bot.log());

    let engine = Engine::load(Some(&files.knowledge()), Some(&files.config())).unwrap();
    let (question, id, old) = answerable(&engine);
    assert_eq!(ask_fake(&fake, &question).await, json!(old));

    let new = format!("{old}{EDITED}");
    set_answer(&files, &id, &new);
    let logged = bot.hangup("knowledge and config reloaded").await;
    assert!(logged.contains("SIGHUP received"), "{logged}");
    assert!(logged.contains(&format!("changed=[\"{id}\"]")), "{logged}");
    assert_eq!(ask_fake(&fake, &question).await, json!(new), "the change is live");
    assert!(bot.alive(), "SIGHUP does not stop the bot");

    set_answer(&files, &id, &"x".repeat(1300));
    let logged = bot.hangup("reload rejected").await;
    assert!(logged.contains(&format!("intents/{id}.toml: answer: must be 1 to 1200 characters")), "{logged}");
    assert!(logged.contains("WARN"), "{logged}");
    assert_eq!(ask_fake(&fake, &question).await, json!(new), "the last good knowledge stays");
    assert!(bot.alive());

    bot.signal("-TERM");
    let status = tokio::time::timeout(WAIT, bot.child.wait()).await.expect("exits in time").unwrap();
    assert!(status.success(), "{status:?}: {}", bot.log());
    assert!(!bot.log().contains(&question), "questions are not logged");
    fake.assert_requests_clean();
}
