//! The knowledge base: FAQ entries, lexicon, safety screen and smalltalk, as
//! data files. Loading collects every problem, each named by file and field.

mod files;
mod problem;
mod validate;

use std::path::Path;

pub use files::{FileSet, NOT_COVERED_FILE};
pub use problem::{Problem, Problems};
pub use validate::{Rules, validate};

use crate::date::Date;

/// One FAQ entry (an intent).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable id, also the file name (`her2-score`).
    pub id: String,
    /// The canonical question, shown to people as the title of the answer.
    pub question: String,
    /// The answer in plain language.
    pub answer: String,
    /// Phrasings people use for this question; what the matcher learns from.
    pub examples: Vec<String>,
    /// Ids of related entries, offered after the answer.
    pub related: Vec<String>,
    /// Where the answer comes from.
    pub sources: Vec<Source>,
    /// When a person last checked the answer against its sources.
    pub reviewed: Date,
    /// Ids of near-duplicate entries whose answer is equally right, so the
    /// matcher does not ask people to choose between them.
    pub equivalent: Vec<String>,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Human-readable title.
    pub title: String,
    /// Link.
    pub url: String,
}

/// Words and phrases the matcher treats specially.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    /// Words that carry no meaning for matching.
    pub stopwords: Vec<String>,
    /// Words that show a question is about breast cancer and its care; a
    /// question with none of them is never answered directly.
    pub domain: Vec<String>,
    /// (canonical phrase, variants that mean the same): brand names,
    /// abbreviations, common misspellings.
    pub synonyms: Vec<(String, Vec<String>)>,
    /// (topic, terms): topics the FAQ does not cover. A question mentioning
    /// one is not answered from an entry that never mentions the term.
    pub off_topic: Vec<(String, Vec<String>)>,
    /// Words that name the FAQ's own subject (breast cancer, HER2). Empty:
    /// no question is judged by them.
    pub subject: Vec<String>,
    /// Off-topic topics that name another subject (another cancer): a
    /// question using one of their terms without any [`Lexicon::subject`]
    /// word is about that other subject, and is never answered directly.
    pub needs_subject: Vec<String>,
}

/// What an urgent reply says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentReply {
    /// Title line.
    pub title: String,
    /// The guidance.
    pub body: String,
}

/// The kinds of message the safety screen catches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UrgentKind {
    /// A medical emergency: get urgent care now.
    Emergency,
    /// Suicidal thoughts or self-harm: crisis lines now.
    Crisis,
    /// A personal treatment decision: ask the care team.
    Decision,
}

/// One safety rule: it fires when every group has at least one phrase in
/// the message (a phrase word ending in `*` matches any word it begins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyRule {
    /// Name, for logs and tests.
    pub id: String,
    /// What it catches.
    pub kind: UrgentKind,
    /// Groups of alternative phrases; all groups must match.
    pub all: Vec<Vec<String>>,
    /// Phrases that cancel the rule (e.g. a question about a past event).
    pub unless: Vec<String>,
}

/// The safety screen's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Safety {
    /// Reply for emergencies.
    pub emergency: UrgentReply,
    /// Reply for crisis messages.
    pub crisis: UrgentReply,
    /// Reply for personal treatment decisions.
    pub decision: UrgentReply,
    /// The rules, in priority order.
    pub rules: Vec<SafetyRule>,
    /// Phrases that put a message in the past or make it a general question
    /// ("years ago", "what are the signs of"): they cancel emergency rules,
    /// never crisis rules.
    pub not_current: Vec<String>,
    /// Phrases that say the danger is happening now ("right now", "it's
    /// happening again"): with one, `not_current` cancels nothing.
    pub still_current: Vec<String>,
}

/// A kind of small talk (greeting, thanks, help) and its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmalltalkKind {
    /// Name (`greeting`, `thanks`, `help`).
    pub id: String,
    /// Phrases that signal it.
    pub phrases: Vec<String>,
    /// The reply.
    pub reply: String,
}

/// A theme of questions near the FAQ's subject that no entry answers
/// ("how much does Herceptin cost"). The matcher learns from them what a
/// question it should decline looks like, beside the entries' examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCoveredTheme {
    /// What the questions are about, for curators and reports.
    pub name: String,
    /// The questions.
    pub examples: Vec<String>,
}

/// Everything loaded from a knowledge directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Knowledge {
    /// FAQ entries, sorted by id.
    pub entries: Vec<Entry>,
    /// Synonyms, stopwords, off-topic terms.
    pub lexicon: Lexicon,
    /// Emergency, crisis and decision screen.
    pub safety: Safety,
    /// Greetings, thanks, help.
    pub smalltalk: Vec<SmalltalkKind>,
    /// Questions the FAQ does not answer (from `not-covered.toml`, which
    /// may be absent).
    pub not_covered: Vec<NotCoveredTheme>,
}

impl Knowledge {
    /// Loads the knowledge built into the binary.
    pub fn embedded() -> Result<Self, Problems> {
        Self::parse(&FileSet::embedded("knowledge"))
    }

    /// Loads a knowledge directory from disk.
    pub fn from_dir(dir: &Path) -> Result<Self, Problems> {
        Self::parse(&FileSet::from_dir(dir)?)
    }

    /// Parses a set of knowledge files. Fails with every problem found.
    pub fn parse(files: &FileSet) -> Result<Self, Problems> {
        files::parse_knowledge(files)
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| e.id.as_str().cmp(id)).ok().map(|i| &self.entries[i])
    }
}
