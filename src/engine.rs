//! The engine: one call from a question to a response. Built once from the
//! knowledge base and config, then shared read-only (e.g. behind an `Arc`).

use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::date::Date;
use crate::knowledge::{Knowledge, Problem, Problems, UrgentKind};
use crate::lexicon::{Analyzer, Words};
use crate::matcher::{Decision, Index, Scored, Thresholds, decide};
use crate::reply::{Composer, Reply, ReplyKind};
use crate::safety::Screen;
use crate::smalltalk::Smalltalk;

/// Most candidates listed in a response.
pub const MAX_CANDIDATES: usize = 5;
/// Content words a message may have beyond its small-talk phrases and still
/// get the small-talk reply ("hello from sunny spain"); with more, the
/// phrase is incidental ("can you help me with my maths homework").
const SMALLTALK_REST_WORDS: usize = 2;
/// Questions longer than this many tokens are matched on their last part.
const MAX_MATCH_TOKENS: usize = 400;

/// The decision, as reported by `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionKind {
    /// Answered from an entry.
    Answer,
    /// Asked which of a few entries was meant.
    Clarify,
    /// Declined: nothing relevant, or a personal decision for the care team.
    Fallback,
    /// The safety screen caught an emergency or crisis.
    Emergency,
    /// Greeting, thanks, help.
    Smalltalk,
}

/// One scored candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Entry id.
    pub intent: String,
    /// Score, 0 to 1.
    pub score: f32,
}

/// The engine's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// What was decided.
    pub decision: DecisionKind,
    /// The entry answered, if any.
    pub intent: Option<String>,
    /// Confidence of the decision (the best match score; 1 for the safety
    /// screen and small talk).
    pub score: f32,
    /// The best-scoring entries, best first.
    pub candidates: Vec<Candidate>,
    /// The safety rule or small-talk kind that decided, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The reply to show.
    pub reply: Reply,
}

/// The answering core.
#[derive(Debug)]
pub struct Engine {
    knowledge: Knowledge,
    config: Config,
    analyzer: Analyzer,
    index: Index,
    screen: Screen,
    smalltalk: Smalltalk,
    equivalent: Vec<Vec<usize>>,
}

impl Engine {
    /// Builds the engine. Fails if the knowledge base breaks a structural
    /// rule; overdue reviews are left to [`Engine::review_warnings`].
    pub fn new(knowledge: Knowledge, config: Config) -> Result<Self, Problems> {
        let problems: Vec<Problem> = crate::knowledge::validate(&knowledge, &config.knowledge.rules(), Date::today())
            .into_iter()
            .filter(|p| p.field.as_deref() != Some("reviewed"))
            .collect();
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        Ok(Self::build(knowledge, config))
    }

    /// Builds without validating; for tools that report problems themselves.
    pub fn build(knowledge: Knowledge, config: Config) -> Self {
        let words = Words::of(&knowledge);
        let analyzer = Analyzer::with_words(&knowledge, &words);
        let index = Index::with_words(&knowledge, &analyzer, words);
        let screen = Screen::new(&knowledge.safety, &analyzer);
        let smalltalk = Smalltalk::new(&knowledge.smalltalk, &analyzer);
        let position = |id: &str| knowledge.entries.iter().position(|e| e.id == id);
        let mut equivalent = vec![Vec::new(); knowledge.entries.len()];
        for (i, e) in knowledge.entries.iter().enumerate() {
            for j in e.equivalent.iter().filter_map(|id| position(id)) {
                equivalent[i].push(j);
                equivalent[j].push(i);
            }
        }
        Self { knowledge, config, analyzer, index, screen, smalltalk, equivalent }
    }

    /// Loads knowledge and config from disk (or the built-in copies when a
    /// path is `None`) and builds the engine.
    pub fn load(knowledge_dir: Option<&Path>, config_file: Option<&Path>) -> Result<Self, Problems> {
        match load_files(knowledge_dir, config_file) {
            (Ok(k), Ok(c)) => Self::new(k, c),
            (Err(a), Err(b)) => Err(Problems(a.0.into_iter().chain(b.0).collect())),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }

    /// Entries whose review is overdue (or dated in the future).
    pub fn review_warnings(&self) -> Vec<Problem> {
        crate::knowledge::validate(&self.knowledge, &self.config.knowledge.rules(), Date::today())
            .into_iter()
            .filter(|p| p.field.as_deref() == Some("reviewed"))
            .collect()
    }

    /// The knowledge base.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The reply composer.
    pub fn composer(&self) -> Composer<'_> {
        Composer {
            knowledge: &self.knowledge,
            notice: &self.config.reply.notice,
            max_related: self.config.reply.max_related,
        }
    }

    fn thresholds(&self) -> Thresholds {
        self.config.matcher.thresholds()
    }

    /// Answers one question: safety screen first, then small talk and the
    /// matcher. Never panics, whatever the input.
    pub fn respond(&self, question: &str) -> Response {
        let (tokens, corrected) = self.analyzer.analyze_reporting(question);
        if tokens.iter().all(|t| t.starts_with('#')) {
            return self.smalltalk_response("help");
        }
        let alert = self
            .screen
            .check(&tokens)
            .or_else(|| corrected.then(|| self.screen.check(&self.analyzer.analyze_uncorrected(question))).flatten());
        if let Some(alert) = alert {
            return self.urgent_response(alert.kind, alert.rule, question, &tokens);
        }
        let scored = self.score(question, &tokens);
        let top = scored.ranked.first().map_or(0.0, |r| r.1);
        let decision = decide(&scored, &self.index, |a, b| self.equivalent[a].contains(&b), &self.thresholds());
        // Small talk: a message made only of small-talk phrases, or one with
        // no medical content that contains one ("hi! what can you do?").
        // A medical question the FAQ cannot answer gets choices, not "help".
        let is_content = |t: &str| !self.analyzer.is_stopword(t) && !t.starts_with('#');
        let pure = self.smalltalk.covers(&tokens, is_content);
        let unanswered = !matches!(decision, Decision::Answer(_)) && !scored.in_domain;
        let kind = pure
            .or_else(|| unanswered.then(|| self.smalltalk.mostly(&tokens, is_content, SMALLTALK_REST_WORDS)).flatten());
        if let Some(kind) = kind {
            let id = self.knowledge.smalltalk[kind].id.clone();
            return self.smalltalk_response(&id);
        }
        let composer = self.composer();
        let candidates = self.candidates(&scored);
        let id = |i: usize| self.knowledge.entries[i].id.as_str();
        match decision {
            Decision::Answer(i) => Response {
                decision: DecisionKind::Answer,
                intent: Some(id(i).to_string()),
                score: top,
                candidates,
                reason: None,
                reply: composer.answer(&self.knowledge.entries[i]),
            },
            Decision::Clarify(choices) => {
                let ids: Vec<&str> = choices.iter().map(|&i| id(i)).collect();
                Response {
                    decision: DecisionKind::Clarify,
                    intent: None,
                    score: top,
                    candidates,
                    reason: None,
                    reply: composer.clarify(&ids),
                }
            }
            Decision::Fallback => Response {
                decision: DecisionKind::Fallback,
                intent: None,
                score: top,
                candidates,
                reason: None,
                reply: composer.fallback(&[]),
            },
        }
    }

    /// The tokens the matcher and safety screen see for a text (after
    /// cleaning, typo correction, stemming and synonyms); for curators.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        self.analyzer.analyze(text)
    }

    /// The reply for an entry chosen directly (a topic list, a button).
    pub fn entry_reply(&self, id: &str) -> Option<Reply> {
        self.knowledge.entry(id).map(|e| self.composer().answer(e))
    }

    /// Ranks entries for a partial text, for autocomplete: best first.
    pub fn rank_topics(&self, partial: &str) -> Vec<Candidate> {
        let tokens = self.analyzer.analyze(partial);
        let scored = self.index.score(&self.analyzer, &[tokens]);
        scored
            .ranked
            .iter()
            .filter(|(_, s)| *s > 0.0)
            .map(|&(i, s)| Candidate { intent: self.knowledge.entries[i].id.clone(), score: s })
            .collect()
    }

    fn score(&self, question: &str, tokens: &[String]) -> Scored {
        let whole = tokens[tokens.len().saturating_sub(MAX_MATCH_TOKENS)..].to_vec();
        let mut segments = vec![whole];
        // Sentences of the cleaned text: a link's dots are not full stops.
        let cleaned = crate::text::clean(question);
        if let Some(last) = last_sentence(&cleaned) {
            let t = self.analyzer.analyze(last);
            if t.len() >= 3 && t.len() < tokens.len() {
                segments.push(t);
            }
        }
        self.index.score(&self.analyzer, &segments)
    }

    fn candidates(&self, scored: &Scored) -> Vec<Candidate> {
        scored
            .ranked
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&(i, s)| Candidate { intent: self.knowledge.entries[i].id.clone(), score: round(s) })
            .collect()
    }

    fn urgent_response(&self, kind: UrgentKind, rule: String, question: &str, tokens: &[String]) -> Response {
        let composer = self.composer();
        let s = &self.knowledge.safety;
        match kind {
            UrgentKind::Emergency | UrgentKind::Crisis => {
                let (reply_kind, text) = if kind == UrgentKind::Crisis {
                    (ReplyKind::Crisis, &s.crisis)
                } else {
                    (ReplyKind::Emergency, &s.emergency)
                };
                Response {
                    decision: DecisionKind::Emergency,
                    intent: None,
                    score: 1.0,
                    candidates: Vec::new(),
                    reason: Some(rule),
                    reply: composer.urgent(reply_kind, text, &[]),
                }
            }
            UrgentKind::Decision => {
                let scored = self.score(question, tokens);
                let t = self.thresholds();
                let closest: Vec<&str> = scored
                    .ranked
                    .iter()
                    .filter(|(_, sc)| *sc >= t.clarify)
                    .take(t.max_choices)
                    .map(|&(i, _)| self.knowledge.entries[i].id.as_str())
                    .collect();
                let top = scored.ranked.first().map_or(0.0, |r| r.1);
                Response {
                    decision: DecisionKind::Fallback,
                    intent: None,
                    score: round(top),
                    candidates: self.candidates(&scored),
                    reason: Some(rule),
                    reply: composer.urgent(ReplyKind::Referral, &s.decision, &closest),
                }
            }
        }
    }

    fn smalltalk_response(&self, kind: &str) -> Response {
        let text = self.knowledge.smalltalk.iter().find(|k| k.id == kind).map_or("", |k| k.reply.as_str());
        Response {
            decision: DecisionKind::Smalltalk,
            intent: None,
            score: 1.0,
            candidates: Vec::new(),
            reason: Some(kind.to_string()),
            reply: self.composer().smalltalk(text),
        }
    }
}

/// Reads knowledge and config from disk, or the built-in copies when a path
/// is `None`; each result carries every problem found in its files.
pub fn load_files(
    knowledge_dir: Option<&Path>,
    config_file: Option<&Path>,
) -> (Result<Knowledge, Problems>, Result<Config, Problems>) {
    let knowledge = match knowledge_dir {
        Some(d) => Knowledge::from_dir(d),
        None => Knowledge::embedded(),
    };
    let config = match config_file {
        Some(p) => Config::load_file(p),
        None => Config::load_embedded(),
    };
    (knowledge, config)
}

/// The last sentence of a (cleaned) text that has more than one. A full
/// stop ends a sentence only before a space, so "38.5" and "3.5 cm" stay
/// whole.
fn last_sentence(text: &str) -> Option<&str> {
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '?' | '!'));
    let bytes = trimmed.as_bytes();
    let cut = (0..bytes.len()).rev().find(|&i| match bytes[i] {
        b'?' | b'!' | b'\n' => true,
        b'.' => bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace),
        _ => false,
    })?;
    Some(&trimmed[cut + 1..])
}

fn round(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::last_sentence;

    #[test]
    fn last_sentence_of_story() {
        assert_eq!(
            last_sentence("My mum was told. It is her2. What does that mean?").map(str::trim),
            Some("What does that mean")
        );
        assert_eq!(last_sentence("just one question?"), None);
    }

    #[test]
    fn decimal_points_and_links_do_not_end_sentences() {
        assert_eq!(last_sentence("temp is 38.5 and rising"), None);
        assert_eq!(last_sentence("it was 3.5 cm. what stage is that").map(str::trim), Some("what stage is that"));
        let cleaned = crate::text::clean("how do i fix my bike https://discord.com/channels/1/2/3");
        assert_eq!(last_sentence(&cleaned), None);
    }
}
