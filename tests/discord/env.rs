//! Test environment: a fake Discord plus the real bot connected to it, and
//! helpers to find what the bot sent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use her2bot::config::Config;
use her2bot::discord::{RunSettings, RunningBot, start};
use her2bot::engine::{DecisionKind, Engine};
use her2bot::knowledge::Knowledge;
use her2bot::reload::Sources;
use her2bot::reply::ReplyKind;
use her2bot::secrets::Token;
use serde_json::Value;

pub use crate::support::fake_discord::*;

/// Upper bound of every wait: a failure never hangs the suite.
pub const WAIT: Duration = Duration::from_secs(10);

/// Interaction callback types.
pub mod cb {
    /// A new message.
    pub const MESSAGE: u64 = 4;
    /// "Thinking…", edited later.
    pub const DEFER: u64 = 5;
    /// A component acknowledged, its message edited later.
    pub const ACK: u64 = 6;
    /// Replace the message a component is on.
    pub const UPDATE: u64 = 7;
    /// Autocomplete choices.
    pub const AUTOCOMPLETE: u64 = 8;
}

/// The ephemeral message flag.
pub const EPHEMERAL: u64 = 64;

/// The engine the bot runs, from the built-in knowledge, with `tweak`
/// applied to a test config (guild commands, no cooldown).
pub fn engine_with(tweak: impl FnOnce(&mut Config)) -> Engine {
    let mut config = Config::default();
    config.discord.guild_ids = vec![ids::GUILD_ID];
    config.discord.cooldown_seconds = 0;
    tweak(&mut config);
    Engine::new(Knowledge::embedded().expect("built-in knowledge"), config).expect("engine")
}

/// A fake Discord and the bot connected to it.
pub struct Env {
    pub fake: FakeDiscord,
    pub engine: Arc<Engine>,
    bot: Option<RunningBot>,
    settings: RunSettings,
}

impl Env {
    /// Default config and world.
    pub async fn start() -> Self {
        Self::start_with(|_| {}, World::default()).await
    }

    /// Config tweaked, world given.
    pub async fn start_with(tweak: impl FnOnce(&mut Config), world: World) -> Self {
        Self::launch(tweak, world, |_| {}).await
    }

    /// Started from the files in `files`, and reloading from them.
    pub async fn start_from(files: &Files) -> Self {
        let (knowledge, config) = (files.knowledge(), files.config());
        let engine = Engine::load(Some(&knowledge), Some(&config)).expect("copied files load");
        let fake = FakeConfig { heartbeat_interval_ms: 1_000, world: World::default() };
        Self::launch_engine(fake, engine, move |s| s.reload = Sources::only(Some(knowledge), Some(config))).await
    }

    /// Config tweaked, world given, run settings (store, clock) tweaked.
    pub async fn launch(tweak: impl FnOnce(&mut Config), world: World, setup: impl FnOnce(&mut RunSettings)) -> Self {
        Self::launch_on(FakeConfig { heartbeat_interval_ms: 1_000, world }, tweak, setup).await
    }

    /// Like [`Env::launch`] with the fake's own settings (e.g. Discord's
    /// real heartbeat interval for a burst: with a short one, the heartbeat
    /// ACK queued behind a thousand events looks like a dead connection).
    pub async fn launch_on(
        fake: FakeConfig,
        tweak: impl FnOnce(&mut Config),
        setup: impl FnOnce(&mut RunSettings),
    ) -> Self {
        Self::launch_engine(fake, engine_with(tweak), setup).await
    }

    /// The bot on `engine` against a new fake; it reloads from nowhere
    /// unless `setup` says otherwise.
    pub async fn launch_engine(fake: FakeConfig, engine: Engine, setup: impl FnOnce(&mut RunSettings)) -> Self {
        let fake = FakeDiscord::start_with(fake).await;
        let engine = Arc::new(engine);
        let token = Token::parse(TEST_TOKEN).expect("test token has a token's shape");
        let mut settings = RunSettings {
            api_base: Some(fake.rest_base()),
            reload: Sources::only(None, None),
            ..RunSettings::new(token)
        };
        setup(&mut settings);
        let mut bot = start(Arc::clone(&engine), settings.clone()).await.expect("bot starts");
        assert!(bot.wait_ready(WAIT).await, "bot ready; requests: {:#?}", fake.requests());
        assert!(fake.wait_until_ready(WAIT).await, "gateway session ready");
        Self { fake, engine, bot: Some(bot), settings }
    }

    /// Stops the bot and starts a new one against the same fake Discord,
    /// with the settings tweaked (as after a restart of the process).
    pub async fn restart(&mut self, setup: impl FnOnce(&mut RunSettings)) {
        self.shutdown().await;
        let readies = self.fake.gateway_stats().readies;
        setup(&mut self.settings);
        let mut bot = start(Arc::clone(&self.engine), self.settings.clone()).await.expect("bot restarts");
        assert!(bot.wait_ready(WAIT).await, "bot ready again");
        let ready = self.fake.wait_for_gateway(|s| s.readies > readies && s.open_connections > 0, WAIT).await;
        assert!(ready.is_some(), "new gateway session ready");
        self.bot = Some(bot);
    }

    /// Dispatches an interaction and returns its callback request.
    pub async fn interact(&self, i: &InteractionBuilder) -> Recorded {
        self.fake.interaction_create(i);
        self.callback(i).await
    }

    /// The callback request of an interaction.
    pub async fn callback(&self, i: &InteractionBuilder) -> Recorded {
        let path = i.callback_path();
        self.request("interaction callback", |r| r.is("POST", &path)).await
    }

    /// The first request matching `pred`, or a panic listing the log.
    pub async fn request(&self, what: &str, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        self.request_after(0, what, pred).await
    }

    /// The first request at or after index `mark` matching `pred`.
    pub async fn request_after(&self, mark: usize, what: &str, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        match self.fake.wait_for_request_after(mark, pred, WAIT).await {
            Some(r) => r,
            None => panic!("no {what} request; log: {:#?}", self.fake.requests()),
        }
    }

    /// The message the bot posted in `channel` replying to `message`.
    pub async fn reply_to(&self, channel: u64, message: u64) -> Recorded {
        let path = format!("/channels/{channel}/messages");
        self.request("reply", |r| r.is("POST", &path) && replied_to(r) == Some(message)).await
    }

    /// Checks every request (OpenAPI, allowed mentions, parseable
    /// dispatches) and shuts the bot down gracefully.
    pub async fn finish(mut self) {
        self.fake.assert_requests_clean();
        self.shutdown().await;
    }

    /// Shuts the bot down and checks that it closed its gateway connection.
    pub async fn shutdown(&mut self) {
        if let Some(bot) = self.bot.take() {
            tokio::time::timeout(WAIT, bot.shutdown()).await.expect("shutdown in time").expect("clean shutdown");
            let closed = self.fake.wait_for_gateway(|s| s.open_connections == 0, WAIT).await;
            assert!(closed.is_some(), "gateway connection closed on shutdown");
        }
    }

    /// A question the engine answers with `kind`, from `candidates`.
    pub fn question(&self, kind: ReplyKind, candidates: &[&'static str]) -> &'static str {
        candidates
            .iter()
            .copied()
            .find(|q| self.engine.respond(q).reply.kind == kind)
            .unwrap_or_else(|| panic!("none of {candidates:?} gives {kind:?}; update the candidates"))
    }

    /// A canonical question the engine answers directly, with its entry id.
    pub fn answerable(&self) -> (String, String) {
        self.engine
            .knowledge()
            .entries
            .iter()
            .filter(|e| !e.related.is_empty())
            .find_map(|e| {
                let r = self.engine.respond(&e.question);
                (r.decision == DecisionKind::Answer).then(|| (e.question.clone(), r.intent.unwrap_or_default()))
            })
            .expect("some canonical question is answered")
    }
}

/// A copy of the shipped `knowledge/` and `config/bot.toml` in a temporary
/// directory, laid out as the bot expects to find them in its working
/// directory, with the test settings (guild commands, no cooldown) written
/// into the config file.
pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    /// A fresh copy.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&root.join("knowledge"), &dir.path().join("knowledge"));
        std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
        let files = Self { dir };
        let shipped = std::fs::read_to_string(root.join("config/bot.toml")).expect("shipped config");
        files.write("config/bot.toml", &shipped);
        files.edit_toml("config/bot.toml", |t| {
            let discord = t["discord"].as_table_mut().expect("[discord]");
            discord.insert("guild_ids".into(), toml::Value::Array(vec![toml::Value::Integer(ids::GUILD_ID as i64)]));
            discord.insert("cooldown_seconds".into(), toml::Value::Integer(0));
        });
        files
    }

    /// The knowledge directory.
    pub fn knowledge(&self) -> PathBuf {
        self.dir.path().join("knowledge")
    }

    /// The config file.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config/bot.toml")
    }

    /// The text of a file (path relative to the directory).
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Replaces a file's text.
    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.dir.path().join(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    /// Edits a TOML file as a table.
    pub fn edit_toml(&self, rel: &str, f: impl FnOnce(&mut toml::Table)) {
        let mut table: toml::Table = toml::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        f(&mut table);
        self.write(rel, &toml::to_string(&table).expect("serialise"));
    }

    /// The path of an entry's file, relative to the directory.
    pub fn intent(id: &str) -> String {
        format!("knowledge/intents/{id}.toml")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy file");
        }
    }
}

/// Questions that should need a "did you mean".
pub const CLARIFY: &[&str] =
    &["her2 positive spread", "her2 food", "what does my her2 result mean", "her2 positive cancer", "her2 diet"];
/// Questions with no answer.
pub const FALLBACK: &[&str] = &["what is the best pizza topping", "how do I fix my car", "tell me about football"];
/// Emergencies.
pub const EMERGENCY: &[&str] =
    &["I have a fever of 39 during chemo", "my mum has chest pain and can't breathe", "temperature 38.5 on chemo"];

/// The message id a channel message request replies to.
pub fn replied_to(r: &Recorded) -> Option<u64> {
    r.body.as_ref()?.pointer("/message_reference/message_id")?.as_str()?.parse().ok()
}

/// The callback `type`.
pub fn cb_type(r: &Recorded) -> u64 {
    r.body.as_ref().and_then(|b| b["type"].as_u64()).unwrap_or(0)
}

/// The callback's `data` (or a message body itself).
pub fn data(r: &Recorded) -> &Value {
    let body = r.body.as_ref().expect("request body");
    body.get("data").unwrap_or(body)
}

/// Whether the callback data is ephemeral.
pub fn ephemeral(r: &Recorded) -> bool {
    data(r)["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

/// The first embed.
pub fn embed(r: &Recorded) -> &Value {
    &data(r)["embeds"][0]
}

/// The message content.
pub fn content(r: &Recorded) -> &str {
    data(r)["content"].as_str().unwrap_or_default()
}

/// Every component (buttons, selects) across the rows.
pub fn components(r: &Recorded) -> Vec<Value> {
    data(r)["components"]
        .as_array()
        .map(|rows| rows.iter().flat_map(|row| row["components"].as_array().cloned().unwrap_or_default()).collect())
        .unwrap_or_default()
}

/// The custom ids of every component.
pub fn custom_ids(r: &Recorded) -> Vec<String> {
    components(r).iter().filter_map(|c| c["custom_id"].as_str().map(String::from)).collect()
}

/// An embed field's value by name.
pub fn field<'a>(embed: &'a Value, name: &str) -> Option<&'a str> {
    embed["fields"].as_array()?.iter().find(|f| f["name"] == name)?["value"].as_str()
}
