//! Reading knowledge files from disk or from the binary, and their TOML shape.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use super::{
    Entry, Knowledge, Lexicon, NotCoveredTheme, Problem, Problems, Safety, SafetyRule, SmalltalkKind, Source,
    UrgentKind, UrgentReply,
};
use crate::date::Date;

/// A set of text files keyed by path relative to their root.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    files: BTreeMap<String, String>,
}

impl FileSet {
    /// The files built into the binary under `root` (`knowledge` or `config`).
    pub fn embedded(root: &str) -> Self {
        let prefix = format!("{root}/");
        let files = crate::embedded::FILES
            .iter()
            .filter_map(|(path, text)| Some((path.strip_prefix(&prefix)?.to_string(), (*text).to_string())))
            .collect();
        Self { files }
    }

    /// Every `.toml` file below `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, Problems> {
        let mut set = Self::default();
        let mut problems = Vec::new();
        if !dir.is_dir() {
            return Err(Problems(vec![Problem::file(dir.display().to_string(), "is not a directory")]));
        }
        set.walk(dir, dir, &mut problems);
        if problems.is_empty() { Ok(set) } else { Err(Problems(problems)) }
    }

    /// A file set from (path, text) pairs; for tests and tools.
    pub fn from_pairs<I, P, T>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (P, T)>,
        P: Into<String>,
        T: Into<String>,
    {
        Self { files: pairs.into_iter().map(|(p, t)| (p.into(), t.into())).collect() }
    }

    fn walk(&mut self, root: &Path, dir: &Path, problems: &mut Vec<Problem>) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                return problems.push(Problem::file(dir.display().to_string(), format!("cannot read directory: {e}")));
            }
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                self.walk(root, &path, problems);
            } else if path.extension().is_some_and(|e| e == "toml") {
                match fs::read_to_string(&path) {
                    Ok(text) => {
                        self.files.insert(rel, text);
                    }
                    Err(e) => problems.push(Problem::file(rel, format!("cannot read file: {e}"))),
                }
            }
        }
    }

    /// The text of one file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Files whose path starts with `prefix`, in path order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files.iter().filter(move |(p, _)| p.starts_with(prefix)).map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: String,
    question: String,
    answer: String,
    examples: Vec<String>,
    related: Vec<String>,
    sources: Vec<SourceFile>,
    reviewed: toml::value::Datetime,
    #[serde(default)]
    equivalent: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    title: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    stopwords: Vec<String>,
    domain: Vec<String>,
    synonyms: BTreeMap<String, Vec<String>>,
    off_topic: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    subject: Vec<String>,
    #[serde(default)]
    needs_subject: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SafetyFile {
    emergency: ReplyFile,
    crisis: ReplyFile,
    decision: ReplyFile,
    #[serde(default)]
    not_current: Vec<String>,
    #[serde(default)]
    still_current: Vec<String>,
    rule: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyFile {
    title: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
enum KindFile {
    Emergency,
    Crisis,
    Decision,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    kind: KindFile,
    all: Vec<Vec<String>>,
    #[serde(default)]
    unless: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmalltalkFile {
    kind: Vec<SmalltalkKindFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmalltalkKindFile {
    id: String,
    phrases: Vec<String>,
    reply: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotCoveredFile {
    theme: Vec<NotCoveredThemeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotCoveredThemeFile {
    name: String,
    examples: Vec<String>,
}

/// The file of questions the FAQ does not answer; optional.
pub const NOT_COVERED_FILE: &str = "not-covered.toml";

/// Parses one TOML file into `T`, or records a problem naming the field.
fn parse_file<T: for<'de> Deserialize<'de>>(files: &FileSet, path: &str, problems: &mut Vec<Problem>) -> Option<T> {
    let Some(text) = files.get(path) else {
        problems.push(Problem::file(path, "file is missing"));
        return None;
    };
    parse_text(path, text, problems)
}

fn parse_text<T: for<'de> Deserialize<'de>>(path: &str, text: &str, problems: &mut Vec<Problem>) -> Option<T> {
    match toml::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(Problem::from_toml(path, text, &e));
            None
        }
    }
}

pub(super) fn parse_knowledge(files: &FileSet) -> Result<Knowledge, Problems> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    for (path, text) in files.under("intents/") {
        let parsed = parse_text::<EntryFile>(path, text, &mut problems);
        if let Some(entry) = parsed.and_then(|file| entry_from_file(path, file, &mut problems)) {
            if let Some(first) = owners.insert(entry.id.clone(), path) {
                problems.push(Problem::field(path, "id", format!("`{}` is already the id of {first}", entry.id)));
            }
            entries.push(entry);
        }
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(Problem::file("intents/", "no entries found (expected one .toml file per intent)"));
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let lexicon = parse_file::<LexiconFile>(files, "lexicon.toml", &mut problems).map(|f| Lexicon {
        stopwords: f.stopwords,
        domain: f.domain,
        synonyms: f.synonyms.into_iter().collect(),
        off_topic: f.off_topic.into_iter().collect(),
        subject: f.subject,
        needs_subject: f.needs_subject,
    });
    let safety = parse_file::<SafetyFile>(files, "safety.toml", &mut problems).map(safety_from_file);
    let smalltalk = parse_file::<SmalltalkFile>(files, "smalltalk.toml", &mut problems)
        .map(|f| f.kind.into_iter().map(|k| SmalltalkKind { id: k.id, phrases: k.phrases, reply: k.reply }).collect());
    // Optional: without it the matcher declines by its bars alone.
    let not_covered = match files.get(NOT_COVERED_FILE) {
        Some(text) => parse_text::<NotCoveredFile>(NOT_COVERED_FILE, text, &mut problems)
            .map(|f| f.theme.into_iter().map(|t| NotCoveredTheme { name: t.name, examples: t.examples }).collect()),
        None => Some(Vec::new()),
    };
    match (lexicon, safety, smalltalk, not_covered) {
        (Some(lexicon), Some(safety), Some(smalltalk), Some(not_covered)) if problems.is_empty() => {
            Ok(Knowledge { entries, lexicon, safety, smalltalk, not_covered })
        }
        _ => Err(Problems(problems)),
    }
}

fn entry_from_file(path: &str, f: EntryFile, problems: &mut Vec<Problem>) -> Option<Entry> {
    let reviewed = f.reviewed.date.and_then(|d| Date::parse(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)));
    let Some(reviewed) = reviewed else {
        problems.push(Problem::field(path, "reviewed", "must be a date like 2026-11-24"));
        return None;
    };
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml");
    if f.id != stem {
        problems.push(Problem::field(
            path,
            "id",
            format!("is `{}` but the file is named `{stem}.toml`; they must agree", f.id),
        ));
    }
    Some(Entry {
        id: f.id,
        question: f.question,
        answer: f.answer.trim().to_string(),
        examples: f.examples,
        related: f.related,
        sources: f.sources.into_iter().map(|s| Source { title: s.title, url: s.url }).collect(),
        reviewed,
        equivalent: f.equivalent,
    })
}

fn safety_from_file(f: SafetyFile) -> Safety {
    let reply = |r: ReplyFile| UrgentReply { title: r.title, body: r.body.trim().to_string() };
    Safety {
        emergency: reply(f.emergency),
        crisis: reply(f.crisis),
        decision: reply(f.decision),
        rules: f
            .rule
            .into_iter()
            .map(|r| SafetyRule {
                id: r.id,
                kind: match r.kind {
                    KindFile::Emergency => UrgentKind::Emergency,
                    KindFile::Crisis => UrgentKind::Crisis,
                    KindFile::Decision => UrgentKind::Decision,
                },
                all: r.all,
                unless: r.unless,
            })
            .collect(),
        not_current: f.not_current,
        still_current: f.still_current,
    }
}
