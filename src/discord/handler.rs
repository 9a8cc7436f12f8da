//! The gateway event handler: READY registers the commands; interactions
//! are routed by command name, custom id or autocomplete; messages go to
//! [`super::mention`].

use std::sync::Arc;

use serenity::all::{Command, GuildId};
use serenity::async_trait;
use serenity::client::{Context, EventHandler};
use serenity::model::application::Interaction;
use serenity::model::channel::Message;
use serenity::model::event::ResumedEvent;
use serenity::model::gateway::Ready;

use super::commands::{
    self, about, answer_with_faq, ask, faq, faq_reload, faq_stats, forget_me, post, schedule, topics,
};
use super::state::{MAX_INTERACTIONS_IN_FLIGHT, State};
use super::{components, mention, send};

/// Routes gateway events to the adapter.
#[derive(Debug)]
pub struct Handler {
    state: Arc<State>,
}

impl Handler {
    /// A handler over shared state.
    pub fn new(state: Arc<State>) -> Self {
        Self { state }
    }

    /// Registers the commands in the configured guilds, or globally.
    async fn register(&self, ctx: &Context) -> bool {
        let list = commands::all();
        let engine = self.state.engine();
        let guilds: Vec<GuildId> =
            engine.config().discord.guild_ids.iter().filter(|g| **g != 0).map(|g| GuildId::new(*g)).collect();
        if guilds.is_empty() {
            return send::logged(Command::set_global_commands(&ctx.http, list).await, "register global commands")
                .is_some();
        }
        let mut ok = true;
        for guild in guilds {
            ok &= send::logged(guild.set_commands(&ctx.http, list.clone()).await, "register guild commands").is_some();
        }
        ok
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.state.set_bot_user(ready.user.id);
        tracing::info!(shard = ctx.shard_id.0, guilds = ready.guilds.len(), "connected to Discord");
        if self.state.claim_registration() {
            if self.register(&ctx).await {
                tracing::info!(commands = commands::all().len(), "commands registered");
            } else {
                self.state.release_registration();
            }
        }
        self.state.mark_ready();
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        tracing::info!(shard = ctx.shard_id.0, "gateway session resumed");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        // A burst queues here, in small futures: the answering future (and
        // its REST request) is allocated once a slot is free. Handlers wait
        // only for Discord's answers (no collectors), so a slot is held
        // briefly. The semaphore is never closed.
        let Ok(slot) = self.state.interaction_slots.acquire().await else { return };
        Box::pin(route_interaction(&ctx, &self.state, interaction)).await;
        drop(slot);
        if self.state.interaction_slots.available_permits() == MAX_INTERACTIONS_IN_FLIGHT {
            // The last one of a burst: give the burst's memory back.
            super::memory::release_free_memory();
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        mention::run(&ctx, &self.state, &msg).await;
    }
}

/// Answers an interaction by command name, custom id or autocomplete.
async fn route_interaction(ctx: &Context, state: &State, interaction: Interaction) {
    match interaction {
        Interaction::Command(cmd) => match cmd.data.name.as_str() {
            ask::NAME => ask::run(ctx, state, &cmd).await,
            faq::NAME => faq::run(ctx, state, &cmd).await,
            topics::NAME => topics::run(ctx, state, &cmd).await,
            about::NAME => about::run(ctx, state, &cmd).await,
            post::NAME => post::run(ctx, state, &cmd).await,
            answer_with_faq::NAME => answer_with_faq::run(ctx, state, &cmd).await,
            faq_reload::NAME => faq_reload::run(ctx, state, &cmd).await,
            forget_me::NAME => forget_me::run(ctx, state, &cmd).await,
            faq_stats::NAME => faq_stats::run(ctx, state, &cmd).await,
            schedule::NAME => schedule::run(ctx, state, &cmd).await,
            _ => commands::unknown(ctx, &cmd).await,
        },
        Interaction::Autocomplete(cmd) => faq::autocomplete(ctx, state, &cmd).await,
        Interaction::Component(c) => components::run(ctx, state, &c).await,
        other => tracing::debug!(kind = ?other.kind(), "interaction ignored"),
    }
}
