//! Settings: built-in defaults, then `config/bot.toml`, then `HER2BOT_*`
//! environment variables. Secrets never come from here; see
//! [`crate::secrets`].

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::knowledge::{FileSet, Problem, Problems, Rules};
use crate::matcher::Thresholds;

/// Prefix of environment overrides: `HER2BOT_MATCHER__ANSWER_THRESHOLD=0.5`
/// sets `[matcher] answer_threshold`.
pub const ENV_PREFIX: &str = "HER2BOT_";

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Confidence bars.
    pub matcher: MatcherConfig,
    /// Limits the knowledge must respect.
    pub knowledge: KnowledgeConfig,
    /// Reply text.
    pub reply: ReplyConfig,
    /// The Discord adapter.
    pub discord: DiscordConfig,
    /// What is recorded, where, and for how long.
    pub store: StoreConfig,
}

/// `[matcher]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MatcherConfig {
    /// Lowest score answered directly.
    pub answer_threshold: f32,
    /// Lowest score offered as a choice.
    pub clarify_threshold: f32,
    /// Lead over the runner-up needed to answer.
    pub margin: f32,
    /// Lead needed when the question has at most three content words.
    pub short_question_margin: f32,
    /// How much each word the knowledge base has never seen raises the
    /// answer threshold (up to two such words).
    pub unknown_word_penalty: f32,
    /// Highest probability of "not covered" at which a question may still
    /// be answered directly.
    pub not_covered_max: f32,
    /// Most "did you mean" choices.
    pub max_choices: usize,
    /// Longer questions are cut to this many characters (the end is kept).
    pub max_question_chars: usize,
}

impl Default for MatcherConfig {
    fn default() -> Self {
        let t = Thresholds::default();
        Self {
            answer_threshold: t.answer,
            clarify_threshold: t.clarify,
            margin: t.margin,
            short_question_margin: t.short_margin,
            unknown_word_penalty: t.unknown_word_penalty,
            not_covered_max: t.not_covered_max,
            max_choices: t.max_choices,
            max_question_chars: 4000,
        }
    }
}

impl MatcherConfig {
    /// The thresholds as the matcher takes them.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            answer: self.answer_threshold,
            clarify: self.clarify_threshold,
            margin: self.margin,
            short_margin: self.short_question_margin,
            unknown_word_penalty: self.unknown_word_penalty,
            not_covered_max: self.not_covered_max,
            max_choices: self.max_choices,
        }
    }
}

/// `[knowledge]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct KnowledgeConfig {
    /// Longest answer in characters.
    pub max_answer_chars: usize,
    /// Longest canonical question in characters.
    pub max_question_chars: usize,
    /// Fewest examples per entry.
    pub min_examples: usize,
    /// Days a review stays valid.
    pub review_period_days: u32,
}

impl Default for KnowledgeConfig {
    fn default() -> Self {
        let r = Rules::default();
        Self {
            max_answer_chars: r.max_answer_chars,
            max_question_chars: r.max_question_chars,
            min_examples: r.min_examples,
            review_period_days: r.review_period_days,
        }
    }
}

impl KnowledgeConfig {
    /// The rules as validation takes them.
    pub fn rules(&self) -> Rules {
        Rules {
            max_answer_chars: self.max_answer_chars,
            max_question_chars: self.max_question_chars,
            min_examples: self.min_examples,
            review_period_days: self.review_period_days,
        }
    }
}

/// `[reply]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ReplyConfig {
    /// The consult-your-doctor notice on every medical reply.
    pub notice: String,
    /// Most related topics shown under an answer.
    pub max_related: usize,
}

impl Default for ReplyConfig {
    fn default() -> Self {
        Self {
            notice: "General information only, not medical advice. Your own cancer team knows your results and history: talk to them before any decision. If you feel very unwell, have a temperature of 38 °C (100.4 °F) or more during treatment, chest pain or trouble breathing, call your 24-hour treatment line or emergency services now.".into(),
            max_related: 3,
        }
    }
}

/// `[discord]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Base URL of the Discord REST API, or of a proxy or fake speaking it
    /// (`http://127.0.0.1:3000`). Empty: Discord itself.
    pub api_base: String,
    /// Guilds to register commands in (instant); empty: global commands.
    pub guild_ids: Vec<u64>,
    /// Role allowed to post topics besides members with Manage Messages.
    pub moderator_role_id: Option<u64>,
    /// Seconds a person waits between questions.
    pub cooldown_seconds: u64,
    /// Channel told about problems with scheduled posts; 0: logs only.
    pub log_channel_id: u64,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        Self {
            api_base: String::new(),
            guild_ids: Vec::new(),
            moderator_role_id: None,
            cooldown_seconds: 5,
            log_channel_id: 0,
        }
    }
}

/// `[store]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Whether anything is recorded at all.
    pub enabled: bool,
    /// The SQLite file (relative paths: to the working directory).
    pub path: String,
    /// Keep the text of questions the bot could not answer or had to
    /// clarify, for curators.
    pub keep_unanswered_text: bool,
    /// Days such text is kept before it is deleted.
    pub retention_days: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self { enabled: true, path: "data/her2bot.sqlite3".into(), keep_unanswered_text: false, retention_days: 30 }
    }
}

/// Most days `store.retention_days` may be.
pub const MAX_RETENTION_DAYS: u32 = 365;

/// Where the config file came from, for messages.
pub const EMBEDDED_CONFIG: &str = "config/bot.toml (built in)";

impl Config {
    /// The built-in `config/bot.toml` with environment overrides.
    pub fn load_embedded() -> Result<Self, Problems> {
        let files = FileSet::embedded("config");
        let text = files.get("bot.toml").unwrap_or_default();
        Self::parse(EMBEDDED_CONFIG, text, std::env::vars())
    }

    /// A config file from disk with environment overrides.
    pub fn load_file(path: &Path) -> Result<Self, Problems> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Problems(vec![Problem::file(&name, format!("cannot read file: {e}"))]))?;
        Self::parse(&name, &text, std::env::vars())
    }

    /// Parses config text, applies `HER2BOT_SECTION__KEY` overrides from
    /// `env`, and checks the values.
    pub fn parse(file: &str, text: &str, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, Problems> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| Problems(vec![Problem::from_toml(file, text, &e)]))?;
        let mut problems = Vec::new();
        for (name, value) in env {
            let Some(path) = name.strip_prefix(ENV_PREFIX) else { continue };
            let Some((section, key)) = path.split_once("__") else { continue };
            let (section, key) = (section.to_lowercase(), key.to_lowercase());
            let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .unwrap_or(toml::Value::String(value));
            match table.entry(section.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new())) {
                toml::Value::Table(t) => {
                    t.insert(key, parsed);
                }
                _ => {
                    problems.push(Problem::field(file, section, format!("must be a table to take the override {name}")))
                }
            }
        }
        // Shape errors are located in the file itself (line and key) when the
        // file alone is wrong, and otherwise blamed on the overrides.
        if let Err(e) = toml::from_str::<Self>(text) {
            return Err(Problems(vec![Problem::from_toml(file, text, &e)]));
        }
        let merged = toml::to_string(&table).unwrap_or_default();
        let config: Self = toml::from_str(&merged).map_err(|e| {
            Problems(vec![Problem::from_toml(&format!("{file} (with {ENV_PREFIX}* overrides)"), &merged, &e)])
        })?;
        problems.extend(config.check(file));
        if problems.is_empty() { Ok(config) } else { Err(Problems(problems)) }
    }

    fn check(&self, file: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let m = &self.matcher;
        for (key, v) in [
            ("matcher.answer_threshold", m.answer_threshold),
            ("matcher.clarify_threshold", m.clarify_threshold),
            ("matcher.margin", m.margin),
            ("matcher.short_question_margin", m.short_question_margin),
            ("matcher.unknown_word_penalty", m.unknown_word_penalty),
            ("matcher.not_covered_max", m.not_covered_max),
        ] {
            if !(0.0..=1.0).contains(&v) {
                out.push(Problem::field(file, key, format!("must be between 0 and 1 (is {v})")));
            }
        }
        if m.clarify_threshold > m.answer_threshold {
            out.push(Problem::field(file, "matcher.clarify_threshold", "must not be above matcher.answer_threshold"));
        }
        if !(1..=5).contains(&m.max_choices) {
            out.push(Problem::field(file, "matcher.max_choices", "must be 1 to 5"));
        }
        if m.max_question_chars < 100 {
            out.push(Problem::field(file, "matcher.max_question_chars", "must be at least 100"));
        }
        if self.reply.notice.trim().is_empty() {
            out.push(Problem::field(file, "reply.notice", "must not be empty: every medical reply carries it"));
        }
        if self.reply.notice.chars().count() > 1000 {
            out.push(Problem::field(file, "reply.notice", "must be at most 1000 characters"));
        }
        if self.reply.max_related > 4 {
            out.push(Problem::field(file, "reply.max_related", "must be 0 to 4"));
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&self.store.retention_days) {
            out.push(Problem::field(
                file,
                "store.retention_days",
                format!("must be 1 to {MAX_RETENTION_DAYS} (is {})", self.store.retention_days),
            ));
        }
        if self.store.enabled && self.store.path.trim().is_empty() {
            out.push(Problem::field(file, "store.path", "must name a file when store.enabled = true"));
        }
        let base = &self.discord.api_base;
        if !(base.is_empty() || base.starts_with("http://") || base.starts_with("https://")) {
            out.push(Problem::field(file, "discord.api_base", format!("`{base}` is not an http(s) URL")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, env: &[(&str, &str)]) -> Result<Config, Problems> {
        Config::parse("bot.toml", text, env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn config_empty_file_gives_defaults() {
        assert_eq!(parse("", &[]).unwrap(), Config::default());
    }

    #[test]
    fn config_env_overrides_file() {
        let c = parse(
            "[matcher]\nanswer_threshold = 0.5\n",
            &[("HER2BOT_MATCHER__ANSWER_THRESHOLD", "0.6"), ("HER2BOT_DISCORD__API_BASE", "http://127.0.0.1:9")],
        )
        .unwrap();
        assert!((c.matcher.answer_threshold - 0.6).abs() < 1e-6);
        assert_eq!(c.discord.api_base, "http://127.0.0.1:9");
    }

    #[test]
    fn config_unknown_key_named() {
        let err = parse("[matcher]\nanswer_treshold = 0.5\n", &[]).unwrap_err();
        assert_eq!(err.0[0].field.as_deref(), Some("answer_treshold"), "{err}");
        assert_eq!(err.0[0].file, "bot.toml");
    }

    #[test]
    fn config_out_of_range_named() {
        let err = parse("[matcher]\nanswer_threshold = 2.0\n", &[]).unwrap_err();
        assert!(err.0.iter().any(|p| p.field.as_deref() == Some("matcher.answer_threshold")), "{err}");
    }

    #[test]
    fn config_store_section_and_env_overrides() {
        let c = parse(
            "[store]\nkeep_unanswered_text = true\n",
            &[("HER2BOT_STORE__ENABLED", "false"), ("HER2BOT_STORE__PATH", "/tmp/x.sqlite3")],
        )
        .unwrap();
        assert!(!c.store.enabled);
        assert!(c.store.keep_unanswered_text);
        assert_eq!(c.store.path, "/tmp/x.sqlite3");
        assert_eq!(c.store.retention_days, 30);
        let err = parse("[store]\nretention_days = 0\n", &[]).unwrap_err();
        assert!(err.0.iter().any(|p| p.field.as_deref() == Some("store.retention_days")), "{err}");
        let err = parse("[store]\npath = \" \"\n", &[]).unwrap_err();
        assert!(err.0.iter().any(|p| p.field.as_deref() == Some("store.path")), "{err}");
        assert!(parse("[store]\nenabled = false\npath = \"\"\n", &[]).is_ok(), "no path needed when off");
    }

    #[test]
    fn config_bad_toml_has_line() {
        let err = parse("[matcher\n", &[]).unwrap_err();
        assert!(err.to_string().contains("bot.toml"), "{err}");
    }
}
