//! What every handler shares: the engine, the cooldown, the store, the
//! clock and what the bot learnt about itself at READY.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use serenity::model::id::{GuildId, RoleId, UserId};
use tokio::sync::watch;

use super::cooldown::Cooldown;
use super::render::{escape_mentions, truncate};
use crate::clock::{Clock, SystemClock};
use crate::config::DiscordConfig;
use crate::engine::{Engine, Response};
use crate::store::{self, DecisionRecord, PersonId, StoreError};

/// The platform name people's ids are hashed under.
pub const PLATFORM: &str = "discord";

/// The result of a store call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored<T> {
    /// The store is switched off (`store.enabled = false`).
    Off,
    /// Done and committed.
    Done(T),
    /// It failed (logged without user data).
    Failed,
}

/// Shared, read-mostly state of the running adapter.
#[derive(Debug)]
pub struct State {
    /// The answering core.
    pub engine: Arc<Engine>,
    /// Per-user cooldown between questions.
    pub cooldown: Cooldown,
    store: Option<store::Handle>,
    worker: Option<store::Worker>,
    clock: Arc<dyn Clock>,
    bot_user: OnceLock<UserId>,
    registered: AtomicBool,
    ready: watch::Sender<bool>,
}

impl State {
    /// State for an engine; `ready` is set once commands are registered.
    pub fn new(engine: Arc<Engine>, ready: watch::Sender<bool>) -> Self {
        let cooldown = Cooldown::new(engine.config().discord.cooldown_seconds);
        Self {
            engine,
            cooldown,
            store: None,
            worker: None,
            clock: Arc::new(SystemClock),
            bot_user: OnceLock::new(),
            registered: AtomicBool::new(false),
            ready,
        }
    }

    /// Records through `store` (`None`: nothing is recorded), on a store
    /// thread of its own. If that thread cannot start, nothing is recorded
    /// (logged) and the bot still answers.
    pub fn with_store(mut self, store: Option<store::Handle>) -> Self {
        self.worker = store.clone().and_then(|h| match store::Worker::spawn(h) {
            Ok(worker) => Some(worker),
            Err(e) => {
                tracing::error!(error = %e, "cannot start the store thread; nothing will be recorded");
                None
            }
        });
        self.store = store.filter(|_| self.worker.is_some());
        self
    }

    /// Tells time by `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The answering core, as it is now.
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine)
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The store, if recording is on.
    pub fn store(&self) -> Option<&store::Handle> {
        self.store.as_ref()
    }

    /// How the store knows a Discord user.
    pub fn person(&self, user: UserId) -> Option<PersonId> {
        self.store.as_ref().map(|s| s.person(PLATFORM, user.get()))
    }

    /// Runs `f` on the store thread (SQLite blocks) and waits for it.
    /// Failures are logged, without user data, and never panic.
    pub async fn call_store<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&store::Handle) -> Result<T, StoreError> + Send + 'static,
    ) -> Stored<T> {
        let Some(worker) = &self.worker else { return Stored::Off };
        match worker.call(f).await {
            Ok(value) => Stored::Done(value),
            Err(e) => {
                tracing::error!(what, error = %e, "store call failed");
                Stored::Failed
            }
        }
    }

    /// Counts a decision (and keeps the question's text only as
    /// `store.keep_unanswered_text` allows), committed before it returns,
    /// so the caller answers after it. A failure is logged; the answer is
    /// still given.
    pub async fn record(&self, response: &Response, question: &str, guild: Option<GuildId>) {
        let Some(handle) = &self.store else { return };
        let keep = handle.policy().keep_unanswered_text;
        let guild = guild.map_or(0, GuildId::get);
        let record = DecisionRecord::new(&self.engine(), response, question, guild, self.clock.today(), keep);
        self.call_store("record a decision", move |h| h.store().record(&record)).await;
    }

    /// The `[discord]` settings.
    pub fn discord(&self) -> &DiscordConfig {
        &self.engine.config().discord
    }

    /// The optional moderator role.
    pub fn moderator_role(&self) -> Option<RoleId> {
        self.discord().moderator_role_id.filter(|id| *id != 0).map(RoleId::new)
    }

    /// The bot's own user id, once READY has been received.
    pub fn bot_user(&self) -> Option<UserId> {
        self.bot_user.get().copied()
    }

    /// Remembers the bot's user id (first READY wins; it never changes).
    pub fn set_bot_user(&self, id: UserId) {
        let _ = self.bot_user.set(id);
    }

    /// Claims command registration; `false` if it is done or under way.
    pub fn claim_registration(&self) -> bool {
        !self.registered.swap(true, Ordering::SeqCst)
    }

    /// Gives registration back after a failure, so the next READY retries.
    pub fn release_registration(&self) {
        self.registered.store(false, Ordering::SeqCst);
    }

    /// Signals that the bot is connected and its commands registered.
    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    /// A polite note if the question is longer than the configured maximum.
    pub fn too_long(&self, question: &str) -> Option<String> {
        let max = self.engine.config().matcher.max_question_chars;
        let len = question.chars().count();
        (len > max).then(|| {
            format!(
                "Your question is {len} characters long; I can read up to {max}. \
Please ask the main question in a shorter message."
            )
        })
    }

    /// The entry a `/faq` or `/post` topic value names: an entry id, or a
    /// canonical question typed out in full (any case).
    pub fn find_topic(&self, value: &str) -> Option<String> {
        let value = value.trim();
        let entries = &self.engine.knowledge().entries;
        entries
            .iter()
            .find(|e| e.id == value)
            .or_else(|| entries.iter().find(|e| e.question.eq_ignore_ascii_case(value)))
            .map(|e| e.id.clone())
    }
}

/// The polite answer to a topic value that names no entry.
pub fn unknown_topic(value: &str) -> String {
    format!(
        "I don't know the topic “{}”. Pick one from the suggestions as you type, or use `/topics` to see them all.",
        escape_mentions(&truncate(value.trim(), 100))
    )
}

/// Logs a decision without the question or who asked (health data):
/// decision kind, entry and score only.
pub fn log_decision(source: &'static str, r: &Response) {
    tracing::info!(
        source,
        decision = ?r.decision,
        intent = r.intent.as_deref().unwrap_or("-"),
        score = r.score,
        "answered"
    );
}
