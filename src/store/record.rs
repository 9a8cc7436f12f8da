//! Writing: decisions, unanswered text, votes; forgetting and purging.

use rusqlite::{OptionalExtension, params};

use super::key::PersonId;
use super::{Store, StoreError};
use crate::engine::{DecisionKind, Engine, Response};

/// A clarify or fallback is attributed to its best candidate only from
/// this score on; below it nothing came close.
pub const NEAREST_MIN_SCORE: f32 = 0.15;
/// Longest question text kept, in characters.
pub const MAX_TEXT_CHARS: usize = 300;

/// Every decision kind, in report order.
pub const DECISIONS: [DecisionKind; 5] = [
    DecisionKind::Answer,
    DecisionKind::Clarify,
    DecisionKind::Fallback,
    DecisionKind::Emergency,
    DecisionKind::Smalltalk,
];

/// The name a decision kind is stored and reported under.
pub fn decision_name(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Answer => "answer",
        DecisionKind::Clarify => "clarify",
        DecisionKind::Fallback => "fallback",
        DecisionKind::Emergency => "emergency",
        DecisionKind::Smalltalk => "smalltalk",
    }
}

/// One decision to count.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    /// Days since 1970-01-01, UTC.
    pub day: i64,
    /// Server id; 0 for direct messages.
    pub guild: u64,
    /// What was decided.
    pub decision: DecisionKind,
    /// The entry answered, or for clarify and fallback the nearest one;
    /// empty when none.
    pub intent: String,
    /// The decision's score.
    pub score: f32,
    /// The question's text, when it is kept.
    pub unanswered: Option<UnansweredText>,
}

/// The kept text of a question the bot could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredText {
    /// The question, redacted (see [`redact`]) and shortened.
    pub text: String,
    /// Its analysed terms, sorted and deduplicated, space-separated: the
    /// key near-duplicates share.
    pub tokens: String,
}

impl DecisionRecord {
    /// What to record for `response` to `question`. The text is kept only
    /// with `keep_text`, and only for clarify and plain fallback decisions
    /// (never for emergencies, small talk, or questions referred to the
    /// care team by the safety screen).
    pub fn new(engine: &Engine, response: &Response, question: &str, guild: u64, day: i64, keep_text: bool) -> Self {
        let nearest = || {
            response
                .candidates
                .first()
                .filter(|c| c.score >= NEAREST_MIN_SCORE)
                .map(|c| c.intent.clone())
                .unwrap_or_default()
        };
        let intent = match response.decision {
            DecisionKind::Answer => response.intent.clone().unwrap_or_default(),
            DecisionKind::Clarify | DecisionKind::Fallback => nearest(),
            DecisionKind::Emergency | DecisionKind::Smalltalk => String::new(),
        };
        let unanswerable = match response.decision {
            DecisionKind::Clarify => true,
            DecisionKind::Fallback => response.reason.is_none(),
            _ => false,
        };
        let unanswered = (keep_text && unanswerable).then(|| {
            let text = redact(question);
            let mut tokens = engine.analyze(&text);
            tokens.sort();
            tokens.dedup();
            let tokens = if tokens.is_empty() { format!("={}", text.to_lowercase()) } else { tokens.join(" ") };
            UnansweredText { text, tokens }
        });
        Self { day, guild, decision: response.decision, intent, score: response.score, unanswered }
    }
}

/// A question's text made safer to keep: Discord-style mentions
/// (`<@123>`, `<#123>`, ...), links, e-mail addresses and numbers of seven
/// or more digits (phone numbers, record numbers, dates) are replaced by
/// placeholders; whitespace is collapsed and the text shortened to
/// [`MAX_TEXT_CHARS`].
pub fn redact(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.to_lowercase();
        let w = if lower.contains("://") || lower.starts_with("www.") || lower.contains("discord.gg/") {
            "[link]".to_string()
        } else if word.contains('@') && word.split('@').nth(1).is_some_and(|d| d.contains('.')) {
            "[email]".to_string()
        } else {
            strip_mentions(word)
        };
        words.push(w);
    }
    let joined = redact_numbers(&words.join(" "));
    let trimmed = joined.trim();
    match trimmed.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

/// `<@1>`, `<@!1>`, `<@&1>`, `<#1>`, `<t:1:R>` and the like become
/// `[mention]`.
fn strip_mentions(word: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match tail.find('>') {
            Some(end) if tail[1..end].chars().any(|c| c.is_ascii_digit()) => {
                out.push_str("[mention]");
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs of digits and separators (` -.()+/`) holding seven or more digits
/// become `[number]`.
fn redact_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let sep = |c: char| matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut end = i;
            let mut last_digit = i;
            let mut digits = 0;
            while end < chars.len() && (chars[end].is_ascii_digit() || sep(chars[end])) {
                if chars[end].is_ascii_digit() {
                    digits += 1;
                    last_digit = end;
                }
                end += 1;
            }
            if digits >= 7 {
                out.push_str("[number]");
                i = last_digit + 1;
                continue;
            }
            out.extend(&chars[i..=last_digit]);
            i = last_digit + 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// One "Was this helpful?" vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    /// Who voted, as the store knows them.
    pub person: PersonId,
    /// Server id; 0 for direct messages.
    pub guild: u64,
    /// The entry voted on.
    pub intent: String,
    /// 👍 or 👎.
    pub helpful: bool,
    /// Days since 1970-01-01, UTC.
    pub day: i64,
}

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    /// A first vote on this entry.
    Recorded,
    /// Replaced an earlier, different vote.
    Changed,
    /// The same vote was already there.
    Unchanged,
}

/// What `/forget-me` deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Votes deleted.
    pub votes: usize,
}

impl Store {
    /// Counts one decision (and keeps its text, if it carries any).
    /// Returns once it is committed.
    pub fn record(&self, record: &DecisionRecord) -> Result<(), StoreError> {
        self.record_all(std::slice::from_ref(record))
    }

    /// Counts many decisions in one transaction.
    pub fn record_all(&self, records: &[DecisionRecord]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let err = self.err("record a decision");
        let tx = conn.transaction().map_err(&err)?;
        {
            let mut count = tx
                .prepare_cached(
                    "INSERT INTO decisions (day, guild, decision, intent, count, score_sum) VALUES (?1, ?2, ?3, ?4, 1, ?5)
                     ON CONFLICT (day, guild, decision, intent)
                     DO UPDATE SET count = count + 1, score_sum = score_sum + excluded.score_sum",
                )
                .map_err(&err)?;
            let mut text = tx
                .prepare_cached(
                    "INSERT INTO unanswered (day, guild, tokens, decision, nearest, text, count)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
                     ON CONFLICT (day, guild, tokens) DO UPDATE SET count = count + 1",
                )
                .map_err(&err)?;
            for r in records {
                let decision = decision_name(r.decision);
                // Guild ids are stored as SQLite's signed 64-bit integers.
                let guild = r.guild as i64;
                count.execute(params![r.day, guild, decision, r.intent, f64::from(r.score)]).map_err(&err)?;
                if let Some(u) = &r.unanswered {
                    text.execute(params![r.day, guild, u.tokens, decision, r.intent, u.text]).map_err(&err)?;
                }
            }
        }
        tx.commit().map_err(&err)
    }

    /// Records a vote, replacing the person's earlier vote on the same
    /// entry in the same server. Returns once it is committed.
    pub fn vote(&self, vote: &Vote) -> Result<VoteOutcome, StoreError> {
        let mut conn = self.conn();
        let err = self.err("record a vote");
        let tx = conn.transaction().map_err(&err)?;
        let person = &vote.person.as_bytes()[..];
        let guild = vote.guild as i64;
        let before: Option<bool> = tx
            .query_row(
                "SELECT helpful FROM votes WHERE person = ?1 AND guild = ?2 AND intent = ?3",
                params![person, guild, vote.intent],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        tx.execute(
            "INSERT INTO votes (person, guild, intent, helpful, day) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (person, guild, intent) DO UPDATE SET helpful = excluded.helpful, day = excluded.day",
            params![person, guild, vote.intent, vote.helpful, vote.day],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(match before {
            None => VoteOutcome::Recorded,
            Some(b) if b == vote.helpful => VoteOutcome::Unchanged,
            Some(_) => VoteOutcome::Changed,
        })
    }

    /// A person's votes: `(server, entry, helpful)`, sorted.
    pub fn votes_of(&self, person: &PersonId) -> Result<Vec<(u64, String, bool)>, StoreError> {
        let conn = self.conn();
        let err = self.err("read votes");
        let mut stmt = conn
            .prepare("SELECT guild, intent, helpful FROM votes WHERE person = ?1 ORDER BY guild, intent")
            .map_err(&err)?;
        stmt.query_map([&person.as_bytes()[..]], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .map_err(&err)
    }

    /// Deletes everything tied to a person (their votes) and checkpoints,
    /// so no copy stays in the write-ahead log.
    pub fn forget(&self, person: &PersonId) -> Result<Forgotten, StoreError> {
        let votes = self
            .conn()
            .execute("DELETE FROM votes WHERE person = ?1", [&person.as_bytes()[..]])
            .map_err(self.err("forget a person"))?;
        self.checkpoint()?;
        Ok(Forgotten { votes })
    }

    /// Deletes question text older than `retention_days` as of `today`
    /// (all of it when `keep_text` is off); returns the rows deleted.
    pub fn purge(&self, today: i64, retention_days: u32, keep_text: bool) -> Result<usize, StoreError> {
        let oldest_kept = if keep_text { today - i64::from(retention_days) + 1 } else { i64::MAX };
        let deleted = self
            .conn()
            .execute("DELETE FROM unanswered WHERE day < ?1", [oldest_kept])
            .map_err(self.err("purge old question text"))?;
        if deleted > 0 {
            self.checkpoint()?;
            tracing::info!(rows = deleted, "old question text purged");
        }
        Ok(deleted)
    }

    /// How many decisions were counted in total.
    pub fn decision_total(&self) -> Result<u64, StoreError> {
        self.conn()
            .query_row("SELECT COALESCE(SUM(count), 0) FROM decisions", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err("count decisions"))
    }

    /// Every kept question text with its day and count, oldest first.
    pub fn unanswered_texts(&self) -> Result<Vec<(i64, String, u64)>, StoreError> {
        let conn = self.conn();
        let err = self.err("read question text");
        let mut stmt = conn.prepare("SELECT day, text, count FROM unanswered ORDER BY day, text").map_err(&err)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)))
            .and_then(Iterator::collect)
            .map_err(&err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_removes_identifying_bits() {
        assert_eq!(redact("hi <@123456789012345678> and <@!1> in <#22>"), "hi [mention] and [mention] in [mention]");
        assert_eq!(redact("see https://discord.com/channels/1/2/3 now"), "see [link] now");
        assert_eq!(redact("mail me at jane.doe@example.org please"), "mail me at [email] please");
        assert_eq!(redact("call 0612 345 678 or +44 (20) 7946-0958"), "call [number] or +[number]");
        assert_eq!(redact("born 1961-04-12, her2 3+ tumour 7cm"), "born [number], her2 3+ tumour 7cm");
        assert_eq!(redact("  is   her2 <3  "), "is her2 <3");
        let long = redact(&"a".repeat(1000));
        assert_eq!(long.chars().count(), MAX_TEXT_CHARS + 1);
    }
}
