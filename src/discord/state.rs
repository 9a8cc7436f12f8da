//! What every handler shares: the engine (swapped whole by a reload), the
//! cooldown, the store, the clock and what the bot learnt about itself at
//! READY.
//!
//! Handlers take one snapshot with [`State::engine`] per interaction or
//! message and use only that, so a reload lands between two questions,
//! never in the middle of one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use serenity::model::id::{GuildId, RoleId, UserId};
use tokio::sync::{Mutex, Semaphore, watch};

use super::cooldown::Cooldown;
use super::render::{escape_mentions, truncate};
use crate::clock::{Clock, SystemClock};
use crate::engine::{Engine, Response};
use crate::reload::{self, Changes, Failure, Sources, Swap};
use crate::store::{self, DecisionRecord, PersonId, StoreError};

/// The outcome of a reload.
pub type ReloadOutcome = Result<Changes, Failure>;

/// Most interactions handled at once; more wait for a slot. Without a
/// bound, a burst of interactions opens one REST connection each (HTTP/1.1
/// to a proxy): a burst of 1,000 left ~900 idle connections and 60 MB of
/// memory behind. 32 keeps both cores busy while a few wait on the network.
pub const MAX_INTERACTIONS_IN_FLIGHT: usize = 32;

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
    engine: Swap<Engine>,
    /// Per-user cooldown between questions.
    pub cooldown: Cooldown,
    sources: Sources,
    /// Held for a whole reload, so two reloads (SIGHUP and `/faq-reload`)
    /// never compare against or replace each other's engine half-way.
    reloading: Mutex<()>,
    /// Slots for interactions being handled ([`MAX_INTERACTIONS_IN_FLIGHT`]).
    pub interaction_slots: Semaphore,
    store: Option<store::Handle>,
    worker: Option<store::Worker>,
    clock: Arc<dyn Clock>,
    bot_user: OnceLock<UserId>,
    registered: AtomicBool,
    ready: watch::Sender<bool>,
}

impl State {
    /// State for an engine; `ready` is set once commands are registered.
    /// Reloads read from nowhere until [`State::reload_from`] says where.
    pub fn new(engine: Arc<Engine>, ready: watch::Sender<bool>) -> Self {
        let cooldown = Cooldown::new(engine.config().discord.cooldown_seconds);
        Self {
            engine: Swap::new(engine),
            cooldown,
            sources: Sources::default(),
            reloading: Mutex::new(()),
            interaction_slots: Semaphore::new(MAX_INTERACTIONS_IN_FLIGHT),
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

    /// Where reloads read knowledge and config from.
    pub fn reload_from(mut self, sources: Sources) -> Self {
        self.sources = sources;
        self
    }

    /// The engine now: take it once per question and use only that snapshot.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.get()
    }

    /// Reloads knowledge and config from disk (see [`crate::reload`]) and,
    /// if they are valid, swaps the new engine in and applies the cooldown;
    /// otherwise the current engine stays. Logs the outcome either way
    /// (`source` says what asked for it).
    pub async fn reload(&self, source: &'static str) -> ReloadOutcome {
        let _one_at_a_time = self.reloading.lock().await;
        let current = self.engine();
        let sources = self.sources.clone();
        // Reading files and building the index blocks: keep it off the
        // threads that serve the gateway.
        let outcome = match tokio::task::spawn_blocking(move || reload::reload(&current, &sources)).await {
            Ok(Ok((engine, changes))) => {
                self.cooldown.set_seconds(engine.config().discord.cooldown_seconds);
                self.engine.replace(Arc::new(engine));
                Ok(changes)
            }
            Ok(Err(failure)) => Err(failure),
            Err(e) => Err(Failure::Internal(format!("the loading task ended abnormally: {e}"))),
        };
        log_reload(source, &outcome);
        outcome
    }

    /// The optional moderator role (from the current config).
    pub fn moderator_role(&self) -> Option<RoleId> {
        self.engine().config().discord.moderator_role_id.filter(|id| *id != 0).map(RoleId::new)
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
}

/// A polite note if the question is longer than the configured maximum.
pub fn too_long(engine: &Engine, question: &str) -> Option<String> {
    let max = engine.config().matcher.max_question_chars;
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
pub fn find_topic(engine: &Engine, value: &str) -> Option<String> {
    let value = value.trim();
    let entries = &engine.knowledge().entries;
    entries
        .iter()
        .find(|e| e.id == value)
        .or_else(|| entries.iter().find(|e| e.question.eq_ignore_ascii_case(value)))
        .map(|e| e.id.clone())
}

/// Logs a reload: info with the counts on success (warn for settings that
/// wait for a restart and overdue reviews), warn with every problem on
/// failure.
fn log_reload(source: &'static str, outcome: &ReloadOutcome) {
    match outcome {
        Ok(c) => {
            tracing::info!(
                source,
                from = %c.from,
                topics_before = c.topics_before,
                topics_after = c.topics_after,
                added = ?c.added,
                removed = ?c.removed,
                changed = ?c.changed,
                other = ?c.other,
                config = ?c.config_live,
                "knowledge and config reloaded"
            );
            if !c.config_restart.is_empty() {
                tracing::warn!(source, keys = ?c.config_restart, "reloaded settings that only apply after a restart");
            }
            for p in &c.review_warnings {
                tracing::warn!("{p}");
            }
        }
        Err(Failure::Invalid { from, problems }) => {
            for p in &problems.0 {
                tracing::warn!(source, "reload: {p}");
            }
            tracing::warn!(
                source,
                problems = problems.0.len(),
                "reload rejected ({from}); the previous knowledge and config stay live"
            );
        }
        Err(f) => tracing::warn!(source, "reload: {f}"),
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
