//! The store: an embedded SQLite file (`store.path`) with what moderators
//! need to keep the FAQ useful, and nothing that identifies a person.
//!
//! - **Decisions** are counters per (day, server, decision, entry): no
//!   timestamps finer than a day, no user ids, no text.
//! - **Votes** ("Was this helpful?") are keyed by a keyed hash of the
//!   person ([`key`]), one per person, server and entry; `/forget-me`
//!   deletes them.
//! - **Unanswered questions**: their (redacted) text only when
//!   `store.keep_unanswered_text` is on, deleted after
//!   `store.retention_days`.
//! - **Schedules** and the topic rotation for scheduled posts.
//!
//! Platform-neutral: callers pass server ids as numbers and people as
//! [`PersonId`]s. Every method is blocking (a `Mutex` around one
//! connection); async callers queue them to one [`Worker`] thread. The file is
//! in WAL mode with `synchronous = NORMAL`: a committed write survives the
//! process being killed, and readers never wait for the writer.

pub mod key;
pub mod migrate;
pub mod record;
pub mod schedule;
pub mod stats;
pub mod worker;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use key::{KEY_VAR, KeyError, PersonId, StoreKey};
pub use record::{DecisionRecord, Forgotten, UnansweredText, Vote, VoteOutcome, redact};
pub use schedule::{Every, Schedule};
pub use stats::{Stats, StatsQuery};
pub use worker::{Worker, WorkerError};

use crate::config::StoreConfig;
use crate::engine::{Engine, Response};

/// How long a statement waits for a lock held by another connection (the
/// `review` command reading while the bot writes).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What went wrong with the store; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the file could not be created.
    #[error("cannot create the folder of store {}: {source}", path.display())]
    CreateDir {
        /// The store file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file could not be opened as a database.
    #[error("cannot open store {}: {source}", path.display())]
    Open {
        /// The store file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// No store file where one was expected (`review`).
    #[error("no store at {}: the bot creates it on its first start with store.enabled = true", path.display())]
    Missing {
        /// The path looked at.
        path: PathBuf,
    },
    /// The file holds a newer schema than this binary knows.
    #[error(
        "store {} has schema version {found}, but this her2bot knows versions up to {known}: it was written by a \
newer her2bot. Run that version, or point store.path at another file",
        path.display()
    )]
    TooNew {
        /// The store file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest version known here.
        known: u32,
    },
    /// The file is an SQLite database of something else.
    #[error("{} is not a her2bot store (it holds other data): point store.path at another file", path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
    },
    /// A migration failed (the file stays at the previous version).
    #[error("store {}: migration to version {version} ({what}) failed: {source}", path.display())]
    Migration {
        /// The store file.
        path: PathBuf,
        /// The version it was migrating to.
        version: u32,
        /// What that version adds.
        what: &'static str,
        /// Why.
        source: rusqlite::Error,
    },
    /// A statement failed.
    #[error("store {}: cannot {what}: {source}", path.display())]
    Sql {
        /// The store file.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// Why.
        source: rusqlite::Error,
    },
}

impl StoreError {
    fn sql(path: &Path, what: &'static str, source: rusqlite::Error) -> Self {
        Self::Sql { path: path.to_path_buf(), what, source }
    }
}

/// An open store.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the store at `path`, creating the file (and its folder) on
    /// first use and migrating it to the newest schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::CreateDir { path: path.to_path_buf(), source: e })?;
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens an existing store (never creates one), migrating it if needed.
    pub fn open_existing(path: &Path) -> Result<Self, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Self, StoreError> {
        let open = |e| StoreError::Open { path: path.to_path_buf(), source: e };
        let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(open)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(open)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), mode, "store cannot use WAL mode here");
        }
        // NORMAL in WAL mode: a commit is in the log before it returns, so it
        // survives the process being killed (not a power cut).
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(open)?;
        // Deleted rows (forgotten votes, purged text) are overwritten.
        conn.pragma_update(None, "secure_delete", "ON").map_err(open)?;
        let found = migrate::migrate(&mut conn, path)?;
        if found == 0 {
            tracing::info!(path = %path.display(), version = migrate::LATEST, "store created");
        }
        Ok(Self { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn err(&self, what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| StoreError::sql(&self.path, what, e)
    }

    /// The schema version of the file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrate::version(&self.conn()).map_err(self.err("read the schema version"))
    }

    /// SQLite's own consistency check: `Ok` if it reports none, otherwise
    /// what it found.
    pub fn integrity_check(&self) -> Result<Result<(), String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(self.err("check integrity"))?;
        let lines: Vec<String> =
            stmt.query_map([], |r| r.get(0)).and_then(Iterator::collect).map_err(self.err("check integrity"))?;
        Ok(if lines == ["ok"] { Ok(()) } else { Err(lines.join("; ")) })
    }

    /// Moves everything in the write-ahead log into the main file and
    /// empties the log (after deletions, so old copies do not linger).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(self.err("checkpoint the write-ahead log"))
    }
}

/// What is kept, from `[store]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Keep the text of unanswered and clarified questions.
    pub keep_unanswered_text: bool,
    /// Days that text is kept.
    pub retention_days: u32,
}

impl Policy {
    /// The policy a config sets.
    pub fn from_config(config: &StoreConfig) -> Self {
        Self { keep_unanswered_text: config.keep_unanswered_text, retention_days: config.retention_days }
    }
}

/// An open store with the key that turns platform ids into [`PersonId`]s
/// and the policy of what to keep: what a running bot records through.
#[derive(Debug, Clone)]
pub struct Handle {
    store: Arc<Store>,
    key: StoreKey,
    policy: Policy,
}

impl Handle {
    /// A handle over an open store.
    pub fn new(store: Arc<Store>, key: StoreKey, policy: Policy) -> Self {
        Self { store, key, policy }
    }

    /// Opens (or creates) the configured store and purges what is past
    /// retention as of `today`.
    pub fn open(config: &StoreConfig, key: StoreKey, today: i64) -> Result<Self, StoreError> {
        let handle = Self::new(Arc::new(Store::open(Path::new(&config.path))?), key, Policy::from_config(config));
        handle.purge(today)?;
        Ok(handle)
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// What is kept.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// A person as the store knows them.
    pub fn person(&self, platform: &str, id: u64) -> PersonId {
        self.key.person(platform, id)
    }

    /// Counts one answered question (keeping its text only as the policy
    /// allows).
    pub fn record_response(
        &self,
        engine: &Engine,
        response: &Response,
        question: &str,
        guild: u64,
        day: i64,
    ) -> Result<(), StoreError> {
        let keep = self.policy.keep_unanswered_text;
        self.store.record(&DecisionRecord::new(engine, response, question, guild, day, keep))
    }

    /// Deletes question text past retention (all of it when text keeping
    /// is off); returns the rows deleted.
    pub fn purge(&self, today: i64) -> Result<usize, StoreError> {
        self.store.purge(today, self.policy.retention_days, self.policy.keep_unanswered_text)
    }
}
