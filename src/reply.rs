//! Platform-neutral replies: what to say, before any platform decides how
//! it looks. The Discord adapter and the CLI both render a [`Reply`].

use std::fmt;

use serde::Serialize;

use crate::knowledge::{Entry, Knowledge, UrgentReply};

/// What kind of reply this is; decides how a platform presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// An FAQ answer.
    Answer,
    /// "Did you mean…?"
    Clarify,
    /// No answer; points to the topic list.
    Fallback,
    /// Get urgent care now.
    Emergency,
    /// Crisis lines now.
    Crisis,
    /// A personal treatment decision: ask the care team.
    Referral,
    /// Greeting, thanks, help.
    Smalltalk,
}

/// A topic as shown in a list or a choice: id and canonical question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Entry id.
    pub id: String,
    /// Its canonical question.
    pub question: String,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLink {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
}

/// A reply, ready for a platform to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    /// Kind of reply.
    pub kind: ReplyKind,
    /// Title: for an answer, the question that was understood.
    pub title: String,
    /// The text.
    pub body: String,
    /// The consult-your-doctor notice, on every reply that gives or suggests
    /// medical information.
    pub notice: Option<String>,
    /// Where an answer comes from.
    pub sources: Vec<SourceLink>,
    /// When an answer was last reviewed (`YYYY-MM-DD`).
    pub reviewed: Option<String>,
    /// Related topics offered after an answer.
    pub related: Vec<Topic>,
    /// Choices: "did you mean" candidates, or closest topics.
    pub choices: Vec<Topic>,
}

impl Topic {
    /// The topic of an entry.
    pub fn of(e: &Entry) -> Self {
        Self { id: e.id.clone(), question: e.question.clone() }
    }
}

/// Builds replies from the knowledge base and the notice.
#[derive(Debug, Clone, Copy)]
pub struct Composer<'a> {
    /// The knowledge base.
    pub knowledge: &'a Knowledge,
    /// The notice text.
    pub notice: &'a str,
    /// Most related topics to show.
    pub max_related: usize,
}

impl Composer<'_> {
    fn topics(&self, ids: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<Topic> {
        ids.into_iter().filter_map(|id| self.knowledge.entry(id.as_ref())).map(Topic::of).collect()
    }

    fn notice(&self) -> Option<String> {
        Some(self.notice.to_string())
    }

    /// The answer of an entry, titled with its question.
    pub fn answer(&self, e: &Entry) -> Reply {
        Reply {
            kind: ReplyKind::Answer,
            title: e.question.clone(),
            body: e.answer.clone(),
            notice: self.notice(),
            sources: e.sources.iter().map(|s| SourceLink { title: s.title.clone(), url: s.url.clone() }).collect(),
            reviewed: Some(e.reviewed.to_string()),
            related: self.topics(e.related.iter().take(self.max_related)),
            choices: Vec::new(),
        }
    }

    /// "Did you mean" with the candidate entries.
    pub fn clarify(&self, ids: &[&str]) -> Reply {
        Reply {
            kind: ReplyKind::Clarify,
            title: "I'm not sure I understood".into(),
            body: "I don't want to guess with your health. Did you mean one of these? If none fits, try asking in other words.".into(),
            notice: self.notice(),
            sources: Vec::new(),
            reviewed: None,
            related: Vec::new(),
            choices: self.topics(ids),
        }
    }

    /// No answer; points to the topic list and, when any, the closest topics.
    pub fn fallback(&self, closest: &[&str]) -> Reply {
        Reply {
            kind: ReplyKind::Fallback,
            title: "I don't have an answer for that".into(),
            body: "I only answer questions covered by my reviewed HER2 breast cancer FAQ, and I can't answer this one reliably. See the topic list for everything I can answer, or ask your care team.".into(),
            notice: self.notice(),
            sources: Vec::new(),
            reviewed: None,
            related: Vec::new(),
            choices: self.topics(closest),
        }
    }

    /// An urgent reply from the safety screen.
    pub fn urgent(&self, kind: ReplyKind, r: &UrgentReply, closest: &[&str]) -> Reply {
        Reply {
            kind,
            title: r.title.clone(),
            body: r.body.clone(),
            notice: self.notice(),
            sources: Vec::new(),
            reviewed: None,
            related: Vec::new(),
            choices: self.topics(closest),
        }
    }

    /// Small talk.
    pub fn smalltalk(&self, text: &str) -> Reply {
        Reply {
            kind: ReplyKind::Smalltalk,
            title: String::new(),
            body: text.trim().to_string(),
            notice: None,
            sources: Vec::new(),
            reviewed: None,
            related: Vec::new(),
            choices: Vec::new(),
        }
    }
}

/// Plain text for a terminal.
impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.title.is_empty() {
            writeln!(f, "{}\n", self.title)?;
        }
        writeln!(f, "{}", self.body)?;
        if !self.choices.is_empty() {
            writeln!(f)?;
            for (i, c) in self.choices.iter().enumerate() {
                writeln!(f, "  {}. {} [{}]", i + 1, c.question, c.id)?;
            }
        }
        if !self.sources.is_empty() {
            writeln!(f, "\nSources:")?;
            for s in &self.sources {
                writeln!(f, "  - {} <{}>", s.title, s.url)?;
            }
        }
        if let Some(r) = &self.reviewed {
            writeln!(f, "Reviewed: {r}")?;
        }
        if !self.related.is_empty() {
            writeln!(f, "\nRelated: {}", self.related.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "))?;
        }
        if let Some(n) = &self.notice {
            writeln!(f, "\n{n}")?;
        }
        Ok(())
    }
}
