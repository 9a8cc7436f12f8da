//! The Discord adapter: a thin layer that parses Discord events, asks the
//! [`Engine`] and renders its [`crate::reply::Reply`] as embeds and
//! components.
//!
//! [`start`] connects and returns a [`RunningBot`] handle (used by
//! integration tests against a fake Discord); [`run`] is `her2bot run`:
//! token from the environment, logs, signals (SIGINT/SIGTERM stop, SIGHUP
//! reloads knowledge and config; see [`crate::reload`]), graceful shutdown.

pub mod commands;
pub mod components;
pub mod cooldown;
pub mod handler;
pub mod ids;
pub mod limits;
pub mod memory;
pub mod mention;
pub mod perms;
pub mod render;
pub mod scheduler;
pub mod send;
pub mod state;

mod shards;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use serenity::builder::CreateAllowedMentions;
use serenity::client::ClientBuilder;
use serenity::gateway::ShardManager;
use serenity::http::HttpBuilder;
use serenity::model::gateway::GatewayIntents;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use shards::{RunArgs, ShardSpan, Shards};

use crate::clock::{Clock, SystemClock};
use crate::engine::Engine;
use crate::reload::Sources;
use crate::secrets::{Token, TokenError};
use crate::store::{self, KeyError, StoreError, StoreKey};

/// How long [`RunningBot::shutdown`] waits for the shards to close.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// The gateway intents: none of them privileged. Guild message content is
/// only delivered when the bot is mentioned, which is all it needs.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
}

/// Why the bot could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No usable token.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// Bad `--shards`/`--total`.
    #[error("invalid shards: {0}")]
    Shards(String),
    /// The Discord client failed (described without tokens or URLs).
    #[error("Discord client: {0}")]
    Client(String),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
    /// The store is on but has no usable key.
    #[error(transparent)]
    StoreKey(#[from] KeyError),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Error {
    fn client(e: &serenity::Error) -> Self {
        Self::Client(send::describe(e))
    }
}

/// What [`start`] needs besides the engine.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The bot token.
    pub token: Token,
    /// Which shards to run.
    pub shards: Shards,
    /// REST base URL overriding `discord.api_base` from the config.
    pub api_base: Option<String>,
    /// Where `/faq-reload` and SIGHUP read knowledge and config from.
    pub reload: Sources,
    /// Where decisions, votes and schedules are recorded (`None`: nowhere).
    pub store: Option<store::Handle>,
    /// What time it is (tests move it by hand).
    pub clock: Arc<dyn Clock>,
    /// How often scheduled posts and retention are checked.
    pub maintenance_every: Duration,
}

/// How often scheduled posts and retention are checked by default.
pub const MAINTENANCE_EVERY: Duration = Duration::from_secs(30);

impl RunSettings {
    /// Autosharded, with the config's API base, no store, the system clock;
    /// reloads read from the working directory's `knowledge/` and
    /// `config/bot.toml`, as for `her2bot run` without `--knowledge`/`--config`.
    pub fn new(token: Token) -> Self {
        Self {
            token,
            shards: Shards::Auto,
            api_base: None,
            reload: Sources::new(None, None),
            store: None,
            clock: Arc::new(SystemClock),
            maintenance_every: MAINTENANCE_EVERY,
        }
    }
}

/// A running bot: wait for it to be ready, or shut it down.
#[derive(Debug)]
pub struct RunningBot {
    state: Arc<state::State>,
    shard_manager: Arc<ShardManager>,
    task: Option<JoinHandle<Result<(), serenity::Error>>>,
    maintenance: Option<scheduler::Maintenance>,
    ready: watch::Receiver<bool>,
}

impl RunningBot {
    /// Waits until the first READY was handled and the commands registered
    /// (or tried); `false` on timeout.
    pub async fn wait_ready(&mut self, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, self.ready.wait_for(|r| *r)).await.is_ok_and(|r| r.is_ok())
    }

    /// Waits until the client stops (by itself, e.g. on an invalid token, or
    /// after [`RunningBot::shutdown`]). Cancel-safe; `Ok` once it has stopped.
    pub async fn finished(&mut self) -> Result<(), Error> {
        let Some(task) = self.task.as_mut() else { return Ok(()) };
        let result = task.await;
        self.task = None;
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::client(&e)),
            Err(e) => Err(Error::Client(format!("client task ended abnormally: {e}"))),
        }
    }

    /// The engine answering now.
    pub fn engine(&self) -> Arc<Engine> {
        self.state.engine()
    }

    /// Reloads knowledge and config, as `/faq-reload` and SIGHUP do.
    pub async fn reload(&self, source: &'static str) -> state::ReloadOutcome {
        self.state.reload(source).await
    }

    /// Closes every shard and waits (bounded) for the client to stop.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        tracing::info!("shutting down");
        if let Some(maintenance) = self.maintenance.take() {
            maintenance.stop(SHUTDOWN_TIMEOUT).await;
        }
        self.shard_manager.shutdown_all().await;
        match tokio::time::timeout(SHUTDOWN_TIMEOUT, self.finished()).await {
            Ok(result) => result,
            Err(_) => {
                if let Some(task) = self.task.take() {
                    task.abort();
                }
                tracing::warn!("shards did not close in time; stopped");
                Ok(())
            }
        }
    }
}

/// Connects to Discord (or the REST base in the settings or config) and
/// starts handling events in the background.
pub async fn start(engine: Arc<Engine>, settings: RunSettings) -> Result<RunningBot, Error> {
    let base = settings.api_base.clone().unwrap_or_else(|| engine.config().discord.api_base.clone());
    let mut http = HttpBuilder::new(settings.token.expose()).default_allowed_mentions(CreateAllowedMentions::new());
    if !base.trim().is_empty() {
        // serenity only routes through a proxy with its own ratelimiter off;
        // the proxy (e.g. twilight-http-proxy) handles rate limits.
        http = http.proxy(base.trim().trim_end_matches('/')).ratelimiter_disabled(true);
        tracing::info!(api_base = %base.trim(), "using REST proxy");
    }
    let (ready_tx, ready) = watch::channel(false);
    let state = Arc::new(
        state::State::new(engine, ready_tx)
            .reload_from(settings.reload.clone())
            .with_store(settings.store.clone())
            .with_clock(Arc::clone(&settings.clock)),
    );
    let mut client = ClientBuilder::new_with_http(http.build(), intents())
        .event_handler(handler::Handler::new(Arc::clone(&state)))
        .await
        .map_err(|e| Error::client(&e))?;
    let maintenance = state
        .store()
        .is_some()
        .then(|| scheduler::spawn(Arc::clone(&client.http), Arc::clone(&state), settings.maintenance_every));
    let shard_manager = client.shard_manager.clone();
    let shards = settings.shards;
    let task = tokio::spawn(async move {
        match shards {
            Shards::Auto => client.start_autosharded().await,
            // serenity treats the range's end as inclusive.
            Shards::Range(span) => client.start_shard_range(span.start..span.end, span.total).await,
        }
    });
    Ok(RunningBot { state, shard_manager, task: Some(task), maintenance, ready })
}

/// The log filter when `RUST_LOG` is not set: `info`, except serenity's
/// websocket module, which logs a gateway frame it cannot parse verbatim at
/// `warn`, and such a frame can hold a user's message (health data).
pub const DEFAULT_LOG_FILTER: &str = "info,serenity::gateway::ws=error";

/// Whether a span or event is logged at all, whatever `RUST_LOG` says: not
/// serenity's spans. serenity `#[instrument]`s its gateway and HTTP code
/// with `info` spans whose fields are `Debug` dumps of every gateway event
/// and request (a user's message, interaction tokens, bodies as byte lists).
/// Formatting them took a third of the bot's CPU per interaction
/// (`benches/discord_latency.rs`), and an event logged inside such a span
/// would print them. serenity's events still pass.
fn not_a_serenity_span(meta: &tracing::Metadata<'_>) -> bool {
    !(meta.is_span() && meta.target().starts_with("serenity"))
}

/// Sets up logging to stderr: `RUST_LOG`, default [`DEFAULT_LOG_FILTER`].
fn init_logging() {
    use tracing_subscriber::prelude::*;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .finish()
        .with(tracing_subscriber::filter::filter_fn(not_a_serenity_span))
        .try_init();
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}

/// SIGHUP, as a stream of "reload now" (never on other platforms). Once
/// this listens, SIGHUP no longer terminates the process.
struct Hangups {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Hangups {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup());
            if let Err(e) = &signal {
                tracing::warn!("cannot listen for SIGHUP, reload with /faq-reload instead: {e}");
            }
            Self { signal: signal.ok() }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Resolves at the next SIGHUP.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(s) = self.signal.as_mut() {
            if s.recv().await.is_some() {
                return;
            }
            self.signal = None;
        }
        std::future::pending::<()>().await;
    }
}

async fn serve(engine: Arc<Engine>, settings: RunSettings) -> Result<(), Error> {
    let mut hangups = Hangups::listen();
    let mut bot = start(engine, settings).await?;
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return bot.shutdown().await,
            result = bot.finished() => return result,
            () = hangups.next() => {
                tracing::info!("SIGHUP received: reloading knowledge and config");
                // The outcome is logged by the reload itself.
                let _ = bot.reload("sighup").await;
            }
        }
    }
}

/// The configured store with its key from the environment, purged of text
/// past retention; `None` when `store.enabled` is off.
fn open_store(engine: &Engine) -> Result<Option<store::Handle>, Error> {
    let config = &engine.config().store;
    if !config.enabled {
        tracing::info!("store off: nothing is recorded");
        return Ok(None);
    }
    let key = StoreKey::from_env()?;
    let handle = store::Handle::open(config, key, SystemClock.today())?;
    tracing::info!(
        path = %config.path,
        keep_unanswered_text = config.keep_unanswered_text,
        retention_days = config.retention_days,
        "store open"
    );
    Ok(Some(handle))
}

/// `her2bot run`: reads the token, starts the bot and runs it until SIGINT
/// or SIGTERM; SIGHUP reloads knowledge and config from `reload`.
pub fn run(engine: Engine, args: RunArgs, reload: Sources) -> ExitCode {
    init_logging();
    let result = (|| {
        let shards = args.shards()?;
        let token = Token::from_env()?;
        let store = open_store(&engine)?;
        for p in engine.review_warnings() {
            tracing::warn!("{p}");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Runtime(e.to_string()))?;
        let from = reload.resolve();
        if from.knowledge.is_none() && from.config.is_none() {
            tracing::info!("live reload: nothing on disk to reload from yet (built-in knowledge and config)");
        } else {
            tracing::info!("live reload (/faq-reload, SIGHUP) reads {from}");
        }
        let settings = RunSettings { shards, reload, store, ..RunSettings::new(token) };
        runtime.block_on(serve(Arc::new(engine), settings))
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("her2bot: {e}");
            ExitCode::from(1)
        }
    }
}
