//! Live reload: re-reads knowledge and config from disk, validates them with
//! the same loader as `her2bot check` ([`Engine::load`]), and describes what
//! changed. Platform-neutral: the Discord adapter calls it from
//! `/faq-reload` and on SIGHUP, and swaps the new engine in with [`Swap`].
//!
//! # Where a reload reads from
//! For knowledge and config separately:
//! 1. the path given to `her2bot run` (`--knowledge DIR`, `--config FILE`);
//! 2. otherwise `knowledge/` or `config/bot.toml` in the working directory,
//!    if it exists at the time of the reload;
//! 3. otherwise the copy built into the binary (which cannot have changed).
//!
//! If neither comes from disk there is nothing to reload, and the reload
//! says so instead of pretending to succeed.
//!
//! # What applies live
//! Everything in the knowledge base, and every config key except those in
//! [`NEEDS_RESTART`], which are read once at start-up: a change to one of
//! them is reported and takes effect at the next start.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use serde_json::Value;

use crate::config::Config;
use crate::engine::Engine;
use crate::knowledge::{Knowledge, Problem, Problems};

/// Config keys read only at start-up: the REST base URL the client was built
/// with, and the guilds the commands were registered in. (The token and the
/// shard settings are not config: they come from the environment and the
/// command line, and a reload never touches them.)
pub const NEEDS_RESTART: &[&str] = &[
    "discord.api_base",
    "discord.guild_ids",
    "store.enabled",
    "store.path",
    "store.keep_unanswered_text",
    "store.retention_days",
];

/// The shared value behind a lock that is only held to clone or replace an
/// `Arc`: readers take a snapshot ([`Swap::get`]) and keep using it while a
/// new value is swapped in, so a question is answered by one engine from
/// start to end.
///
/// A `std::sync::RwLock<Arc<T>>` rather than a lock-free cell: reads are one
/// uncontended lock and an `Arc` clone per question, far below anything a
/// Discord bot sees, and it needs no extra dependency.
#[derive(Debug)]
pub struct Swap<T> {
    current: RwLock<Arc<T>>,
}

impl<T> Swap<T> {
    /// Holds `value`.
    pub fn new(value: Arc<T>) -> Self {
        Self { current: RwLock::new(value) }
    }

    /// The current value. Later swaps do not change a snapshot.
    pub fn get(&self) -> Arc<T> {
        // Nothing can panic while the lock is held (a clone or a move of an
        // Arc), so a poisoned lock still holds a consistent value.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Makes `value` current and returns the one it replaces.
    pub fn replace(&self, value: Arc<T>) -> Arc<T> {
        std::mem::replace(&mut *self.current.write().unwrap_or_else(PoisonError::into_inner), value)
    }
}

/// Where a reload looks for knowledge and config; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// `--knowledge DIR`.
    pub knowledge: Option<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// Where `knowledge/` and `config/bot.toml` are looked for when a path
    /// is not given: the working directory for `her2bot run`. `None`: only
    /// the given paths.
    pub base_dir: Option<PathBuf>,
}

impl Sources {
    /// As `her2bot run` uses them: the given paths, else the working directory.
    pub fn new(knowledge: Option<PathBuf>, config: Option<PathBuf>) -> Self {
        Self { knowledge, config, base_dir: Some(PathBuf::from(".")) }
    }

    /// The given paths only, without looking in any directory.
    pub fn only(knowledge: Option<PathBuf>, config: Option<PathBuf>) -> Self {
        Self { knowledge, config, base_dir: None }
    }

    /// The files a reload would read now (`None`: the built-in copy).
    pub fn resolve(&self) -> Resolved {
        let fallback =
            |rel: &str, exists: fn(&Path) -> bool| self.base_dir.as_ref().map(|d| d.join(rel)).filter(|p| exists(p));
        Resolved {
            knowledge: self.knowledge.clone().or_else(|| fallback("knowledge", Path::is_dir)),
            config: self.config.clone().or_else(|| fallback("config/bot.toml", Path::is_file)),
        }
    }
}

/// The files one reload reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Knowledge directory, or `None` for the built-in knowledge.
    pub knowledge: Option<PathBuf>,
    /// Config file, or `None` for the built-in config.
    pub config: Option<PathBuf>,
}

impl fmt::Display for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |p: &Option<PathBuf>| p.as_ref().map_or_else(|| "built in".to_string(), |p| p.display().to_string());
        write!(f, "knowledge from {}, config from {}", show(&self.knowledge), show(&self.config))
    }
}

/// Why a reload changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Neither knowledge nor config is on disk: the built-in copies are all
    /// there is, and they cannot have changed.
    NothingOnDisk,
    /// The files break a rule; every problem, by file and field.
    Invalid {
        /// What was read.
        from: Resolved,
        /// What is wrong.
        problems: Problems,
    },
    /// The reload itself could not run (e.g. the loading task was lost).
    Internal(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NothingOnDisk => f.write_str(
                "nothing to reload from: no --knowledge or --config was given and there is no knowledge/ \
or config/bot.toml in the working directory, so the built-in copies stay",
            ),
            Self::Invalid { from, problems } => write!(f, "{from}: {problems}"),
            Self::Internal(why) => write!(f, "reload failed: {why}"),
        }
    }
}

/// What a successful reload changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes {
    /// What was read (a display of [`Resolved`]).
    pub from: String,
    /// Entries before the reload.
    pub topics_before: usize,
    /// Entries after the reload.
    pub topics_after: usize,
    /// Ids of new entries.
    pub added: Vec<String>,
    /// Ids of entries that are gone.
    pub removed: Vec<String>,
    /// Ids of entries whose content changed.
    pub changed: Vec<String>,
    /// Other knowledge files that changed: `lexicon`, `safety`, `smalltalk`.
    pub other: Vec<&'static str>,
    /// Config keys (`section.key`) that changed and apply now.
    pub config_live: Vec<String>,
    /// Config keys that changed but only apply after a restart
    /// ([`NEEDS_RESTART`]).
    pub config_restart: Vec<String>,
    /// Entries whose review is overdue: a warning, as at start-up, not a
    /// reason to refuse the reload.
    pub review_warnings: Vec<Problem>,
}

impl Changes {
    /// Whether the reload changed nothing at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.other.is_empty()
            && self.config_live.is_empty()
            && self.config_restart.is_empty()
    }
}

/// Loads knowledge and config from `sources` and builds a new engine, or
/// says why not. `current` is only compared with, never changed.
pub fn reload(current: &Engine, sources: &Sources) -> Result<(Engine, Changes), Failure> {
    let from = sources.resolve();
    if from.knowledge.is_none() && from.config.is_none() {
        return Err(Failure::NothingOnDisk);
    }
    let engine = Engine::load(from.knowledge.as_deref(), from.config.as_deref())
        .map_err(|problems| Failure::Invalid { from: from.clone(), problems })?;
    let changes = compare(current, &engine, from.to_string());
    Ok((engine, changes))
}

/// What differs between two engines.
pub fn compare(old: &Engine, new: &Engine, from: String) -> Changes {
    let (a, b) = (old.knowledge(), new.knowledge());
    let (added, removed, changed) = entry_changes(a, b);
    let mut other = Vec::new();
    if a.lexicon != b.lexicon {
        other.push("lexicon");
    }
    if a.safety != b.safety {
        other.push("safety");
    }
    if a.smalltalk != b.smalltalk {
        other.push("smalltalk");
    }
    let (config_restart, config_live) =
        config_changes(old.config(), new.config()).into_iter().partition(|k| NEEDS_RESTART.contains(&k.as_str()));
    Changes {
        from,
        topics_before: a.entries.len(),
        topics_after: b.entries.len(),
        added,
        removed,
        changed,
        other,
        config_live,
        config_restart,
        review_warnings: new.review_warnings(),
    }
}

/// (added, removed, changed) entry ids, each sorted.
fn entry_changes(old: &Knowledge, new: &Knowledge) -> (Vec<String>, Vec<String>, Vec<String>) {
    let before: BTreeMap<&str, _> = old.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let after: BTreeMap<&str, _> = new.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let added = after.keys().filter(|id| !before.contains_key(*id)).map(|id| id.to_string()).collect();
    let removed = before.keys().filter(|id| !after.contains_key(*id)).map(|id| id.to_string()).collect();
    let changed =
        before.iter().filter(|(id, e)| after.get(*id).is_some_and(|n| n != *e)).map(|(id, _)| id.to_string()).collect();
    (added, removed, changed)
}

/// Every `section.key` whose value differs, sorted.
fn config_changes(old: &Config, new: &Config) -> Vec<String> {
    let (a, b) = (flatten(old), flatten(new));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

/// `section.key → value` for a config (an unset optional key is absent).
fn flatten(config: &Config) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    // Serialising plain structs of numbers, strings and lists cannot fail.
    if let Ok(Value::Object(sections)) = serde_json::to_value(config) {
        for (section, keys) in sections {
            let Value::Object(keys) = keys else { continue };
            for (key, value) in keys.into_iter().filter(|(_, v)| !v.is_null()) {
                out.insert(format!("{section}.{key}"), value);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_snapshot_outlives_replace() {
        let swap = Swap::new(Arc::new(1));
        let before = swap.get();
        let old = swap.replace(Arc::new(2));
        assert_eq!((*before, *old, *swap.get()), (1, 1, 2), "a snapshot keeps the value it was taken with");
        assert!(Arc::ptr_eq(&before, &old));
    }

    #[test]
    fn swap_readers_see_whole_values_while_replaced() {
        let swap = Arc::new(Swap::new(Arc::new((0u32, 0u32))));
        let writer = {
            let swap = Arc::clone(&swap);
            std::thread::spawn(move || {
                for i in 1..=2000 {
                    swap.replace(Arc::new((i, i)));
                }
            })
        };
        let mut last = 0;
        for _ in 0..2000 {
            let v = swap.get();
            assert_eq!(v.0, v.1, "never half of one value and half of another");
            assert!(v.0 >= last, "values only move forward");
            last = v.0;
        }
        writer.join().unwrap();
        assert_eq!(*swap.get(), (2000, 2000));
    }

    #[test]
    fn sources_fall_back_to_the_base_dir_when_present() {
        let dir = tempfile::tempdir().unwrap();
        let base = Sources { base_dir: Some(dir.path().to_path_buf()), ..Sources::default() };
        assert_eq!(base.resolve(), Resolved { knowledge: None, config: None }, "nothing there yet");
        std::fs::create_dir_all(dir.path().join("knowledge")).unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/bot.toml"), "").unwrap();
        let r = base.resolve();
        assert_eq!(r.knowledge, Some(dir.path().join("knowledge")));
        assert_eq!(r.config, Some(dir.path().join("config/bot.toml")));

        let given = Sources { knowledge: Some("elsewhere".into()), ..base.clone() };
        assert_eq!(given.resolve().knowledge, Some(PathBuf::from("elsewhere")), "a given path wins");
        assert_eq!(Sources::only(None, None).resolve(), Resolved { knowledge: None, config: None });
    }

    #[test]
    fn reload_with_nothing_on_disk_says_so() {
        let engine = Engine::load(None, None).unwrap();
        let err = reload(&engine, &Sources::only(None, None)).unwrap_err();
        assert_eq!(err, Failure::NothingOnDisk);
        assert!(err.to_string().starts_with("nothing to reload from"), "{err}");
    }

    #[test]
    fn compare_names_entries_and_config_keys() {
        let knowledge = Knowledge::embedded().unwrap();
        let config = Config::default();
        let old = Engine::build(knowledge.clone(), config.clone());
        let mut k = knowledge.clone();
        let gone = k.entries.remove(0).id;
        k.entries[0].answer.push_str(" More.");
        let edited = k.entries[0].id.clone();
        let mut added = k.entries[1].clone();
        added.id = "zz-new".into();
        k.entries.push(added);
        k.lexicon.stopwords.push("zzz".into());
        let mut c = config.clone();
        c.discord.cooldown_seconds += 1;
        c.discord.guild_ids = vec![7];
        c.discord.moderator_role_id = Some(9);
        let new = Engine::build(k, c);

        let ch = compare(&old, &new, "here".into());
        assert_eq!((ch.topics_before, ch.topics_after), (knowledge.entries.len(), knowledge.entries.len()));
        assert_eq!(ch.added, ["zz-new"]);
        assert_eq!(ch.removed, [gone]);
        assert_eq!(ch.changed, [edited]);
        assert_eq!(ch.other, ["lexicon"]);
        assert_eq!(ch.config_live, ["discord.cooldown_seconds", "discord.moderator_role_id"]);
        assert_eq!(ch.config_restart, ["discord.guild_ids"]);
        assert!(!ch.is_empty());
        assert!(compare(&old, &old, String::new()).is_empty());
    }
}
