//! What every handler shares: the engine, the cooldown and what the bot
//! learnt about itself at READY.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use serenity::model::id::{RoleId, UserId};
use tokio::sync::{Semaphore, watch};

use super::cooldown::Cooldown;
use super::render::{escape_mentions, truncate};
use crate::config::DiscordConfig;
use crate::engine::{Engine, Response};

/// Most interactions handled at once; more wait for a slot. Without a
/// bound, a burst of interactions opens one REST connection each (HTTP/1.1
/// to a proxy): a burst of 1,000 left ~900 idle connections and 60 MB of
/// memory behind. 32 keeps both cores busy while a few wait on the network.
pub const MAX_INTERACTIONS_IN_FLIGHT: usize = 32;

/// Shared, read-mostly state of the running adapter.
#[derive(Debug)]
pub struct State {
    /// The answering core.
    pub engine: Arc<Engine>,
    /// Per-user cooldown between questions.
    pub cooldown: Cooldown,
    /// Slots for interactions being handled ([`MAX_INTERACTIONS_IN_FLIGHT`]).
    pub interaction_slots: Semaphore,
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
            interaction_slots: Semaphore::new(MAX_INTERACTIONS_IN_FLIGHT),
            bot_user: OnceLock::new(),
            registered: AtomicBool::new(false),
            ready,
        }
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
