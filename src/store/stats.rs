//! Reading: what moderators see in `/faq-stats` and `her2bot review`.
//! Asks per topic, the helpful share, the decision mix, and the kept
//! unanswered questions grouped by similarity (token-set overlap), each
//! group labelled with the entry it came closest to, so a curator knows
//! where to add examples.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rusqlite::params;
use serde::Serialize;

use super::record::{DECISIONS, decision_name};
use super::{Store, StoreError};
use crate::date::Date;

/// Distinct unanswered questions looked at for grouping (the most asked).
pub const GROUPING_WINDOW: usize = 500;
/// Token-set overlap (Jaccard) from which two questions are one group.
pub const SAME_GROUP: f64 = 0.5;
/// Example phrasings shown per group.
pub const EXAMPLES: usize = 3;

/// What to report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsQuery {
    /// The last day included (days since 1970-01-01, UTC).
    pub today: i64,
    /// How many days, ending with `today`.
    pub days: u32,
    /// One server, or all of them.
    pub guild: Option<u64>,
    /// Most unanswered groups listed.
    pub max_groups: usize,
    /// Whether question text is being kept (for the report's wording).
    pub text_kept: bool,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// First day included, `YYYY-MM-DD`.
    pub from: String,
    /// Last day included, `YYYY-MM-DD`.
    pub to: String,
    /// Days covered.
    pub days: u32,
    /// The server reported on; `None`: all servers.
    pub guild: Option<u64>,
    /// Decisions counted.
    pub total: u64,
    /// The decision mix, in a fixed order, zeros included.
    pub decisions: Vec<DecisionCount>,
    /// Entries that were asked about or voted on, most answered first.
    pub topics: Vec<TopicStats>,
    /// 👍 votes.
    pub helpful: u64,
    /// 👎 votes.
    pub not_helpful: u64,
    /// 👍 share of the votes, if there are any.
    pub helpful_share: Option<f64>,
    /// Whether question text is being kept.
    pub text_kept: bool,
    /// Kept unanswered questions, grouped, most asked first.
    pub unanswered: Vec<UnansweredGroup>,
}

/// One kind of decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionCount {
    /// `answer`, `clarify`, `fallback`, `emergency` or `smalltalk`.
    pub decision: &'static str,
    /// How many.
    pub count: u64,
    /// Share of all decisions (0 to 1).
    pub share: f64,
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    /// Entry id.
    pub intent: String,
    /// Questions answered with it.
    pub answered: u64,
    /// Mean score of those answers.
    pub mean_score: Option<f64>,
    /// Questions clarified or declined whose nearest entry it was: where
    /// more examples would help.
    pub near_misses: u64,
    /// 👍 votes.
    pub helpful: u64,
    /// 👎 votes.
    pub not_helpful: u64,
}

/// Unanswered questions that look alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnansweredGroup {
    /// The entry most of them came closest to, if any came close.
    pub nearest: Option<String>,
    /// How often they were asked.
    pub count: u64,
    /// Up to [`EXAMPLES`] phrasings, most asked first.
    pub examples: Vec<String>,
}

impl Store {
    /// The report for `query`.
    pub fn stats(&self, query: &StatsQuery) -> Result<Stats, StoreError> {
        let from = query.today - i64::from(query.days.max(1)) + 1;
        let guild = query.guild.map(|g| g as i64);
        let conn = self.conn();
        let err = self.err("read statistics");

        let mut by_kind: HashMap<String, u64> = HashMap::new();
        let mut topics: BTreeMap<String, TopicStats> = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT decision, intent, SUM(count), SUM(score_sum) FROM decisions
                     WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR guild = ?3)
                     GROUP BY decision, intent",
                )
                .map_err(&err)?;
            let mut rows = stmt.query(params![from, query.today, guild]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let decision: String = row.get(0).map_err(&err)?;
                let intent: String = row.get(1).map_err(&err)?;
                let count = row.get::<_, i64>(2).map_err(&err)? as u64;
                let score_sum: f64 = row.get(3).map_err(&err)?;
                *by_kind.entry(decision.clone()).or_default() += count;
                if intent.is_empty() {
                    continue;
                }
                let t = topic(&mut topics, intent);
                match decision.as_str() {
                    "answer" => {
                        t.answered += count;
                        t.mean_score = Some(score_sum / count.max(1) as f64);
                    }
                    "clarify" | "fallback" => t.near_misses += count,
                    _ => {}
                }
            }
        }
        let (mut helpful, mut not_helpful) = (0, 0);
        {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT intent, SUM(helpful), SUM(1 - helpful) FROM votes
                     WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR guild = ?3)
                     GROUP BY intent",
                )
                .map_err(&err)?;
            let mut rows = stmt.query(params![from, query.today, guild]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let intent: String = row.get(0).map_err(&err)?;
                let up = row.get::<_, i64>(1).map_err(&err)? as u64;
                let down = row.get::<_, i64>(2).map_err(&err)? as u64;
                let t = topic(&mut topics, intent);
                t.helpful += up;
                t.not_helpful += down;
                helpful += up;
                not_helpful += down;
            }
        }
        let kept: Vec<(String, String, String, u64)> = {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT tokens, nearest, text, SUM(count) AS n FROM unanswered
                     WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR guild = ?3)
                     GROUP BY tokens ORDER BY n DESC, tokens LIMIT ?4",
                )
                .map_err(&err)?;
            stmt.query_map(params![from, query.today, guild, GROUPING_WINDOW as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64))
            })
            .and_then(Iterator::collect)
            .map_err(&err)?
        };
        drop(conn);

        let total: u64 = by_kind.values().sum();
        let decisions = DECISIONS
            .iter()
            .map(|&k| {
                let count = by_kind.get(decision_name(k)).copied().unwrap_or(0);
                DecisionCount { decision: decision_name(k), count, share: share(count, total) }
            })
            .collect();
        let mut topics: Vec<TopicStats> = topics.into_values().collect();
        topics.sort_by(|a, b| {
            (b.answered, b.near_misses, b.helpful + b.not_helpful)
                .cmp(&(a.answered, a.near_misses, a.helpful + a.not_helpful))
                .then_with(|| a.intent.cmp(&b.intent))
        });
        let votes = helpful + not_helpful;
        Ok(Stats {
            from: Date::from_days(from).to_string(),
            to: Date::from_days(query.today).to_string(),
            days: query.days.max(1),
            guild: query.guild,
            total,
            decisions,
            topics,
            helpful,
            not_helpful,
            helpful_share: (votes > 0).then(|| helpful as f64 / votes as f64),
            text_kept: query.text_kept,
            unanswered: group(&kept, query.max_groups),
        })
    }
}

/// The entry's line in the report, added on first use.
fn topic(topics: &mut BTreeMap<String, TopicStats>, intent: String) -> &mut TopicStats {
    topics.entry(intent).or_insert_with_key(|intent| TopicStats {
        intent: intent.clone(),
        answered: 0,
        mean_score: None,
        near_misses: 0,
        helpful: 0,
        not_helpful: 0,
    })
}

fn share(part: u64, total: u64) -> f64 {
    if total == 0 { 0.0 } else { part as f64 / total as f64 }
}

/// Jaccard overlap of two sorted, deduplicated token lists.
fn overlap(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 { 1.0 } else { common as f64 / union as f64 }
}

/// Groups distinct questions `(tokens, nearest, text, count)`, most asked
/// first, by token overlap with each group's first (most asked) member.
fn group(kept: &[(String, String, String, u64)], max_groups: usize) -> Vec<UnansweredGroup> {
    struct Building<'a> {
        seed: Vec<&'a str>,
        count: u64,
        nearest: HashMap<&'a str, u64>,
        examples: Vec<&'a str>,
    }
    let mut groups: Vec<Building<'_>> = Vec::new();
    for (tokens, nearest, text, count) in kept {
        let set: Vec<&str> = if tokens.starts_with('=') { vec![tokens.as_str()] } else { tokens.split(' ').collect() };
        let g = match groups.iter().position(|g| overlap(&g.seed, &set) >= SAME_GROUP) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Building { seed: set, count: 0, nearest: HashMap::new(), examples: Vec::new() });
                groups.last_mut().expect("just pushed")
            }
        };
        g.count += count;
        *g.nearest.entry(nearest.as_str()).or_default() += count;
        if g.examples.len() < EXAMPLES && !g.examples.iter().any(|e| e.eq_ignore_ascii_case(text)) {
            g.examples.push(text);
        }
    }
    let mut out: Vec<UnansweredGroup> = groups
        .into_iter()
        .map(|g| {
            let nearest = g
                .nearest
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| *n)
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            UnansweredGroup { nearest, count: g.count, examples: g.examples.iter().map(|e| e.to_string()).collect() }
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.count));
    out.truncate(max_groups);
    out
}

/// A share as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

impl Stats {
    /// The decision mix on one line: `answer 80 (65%) · clarify 20 (16%) · …`.
    pub fn mix_line(&self) -> String {
        let parts: Vec<String> =
            self.decisions.iter().map(|d| format!("{} {} ({})", d.decision, d.count, percent(d.share))).collect();
        parts.join(" · ")
    }

    /// The helpful share in words.
    pub fn helpful_line(&self) -> String {
        match self.helpful_share {
            Some(s) => format!(
                "{} of {} votes found the answer helpful ({})",
                self.helpful,
                self.helpful + self.not_helpful,
                percent(s)
            ),
            None => "no votes yet".to_string(),
        }
    }

    /// The report as Markdown, for `her2bot review`.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let scope = self.guild.map_or_else(|| "all servers".to_string(), |g| format!("server {g}"));
        let _ = writeln!(out, "# FAQ review: {} to {} ({} days, {scope})\n", self.from, self.to, self.days);
        let _ = writeln!(out, "**{} questions**: {}\n", self.total, self.mix_line());
        let _ = writeln!(out, "**Helpful**: {}\n", self.helpful_line());
        let _ = writeln!(out, "## Asks per topic\n");
        if self.topics.is_empty() {
            let _ = writeln!(out, "_Nothing asked in this period._\n");
        } else {
            let _ = writeln!(out, "| topic | answered | mean score | near misses | helpful | not helpful |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
            for t in &self.topics {
                let score = t.mean_score.map_or_else(|| "-".to_string(), |s| format!("{s:.2}"));
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {score} | {} | {} | {} |",
                    t.intent, t.answered, t.near_misses, t.helpful, t.not_helpful
                );
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "## Unanswered questions, grouped\n");
        if !self.text_kept && self.unanswered.is_empty() {
            let _ = writeln!(
                out,
                "_Question text is not kept (store.keep_unanswered_text = false); \"near misses\" above show \
which topics unanswered questions came closest to._"
            );
        } else if self.unanswered.is_empty() {
            let _ = writeln!(out, "_None kept in this period._");
        } else {
            for g in &self.unanswered {
                let near = g
                    .nearest
                    .as_ref()
                    .map_or_else(|| "no topic came close".to_string(), |n| format!("look like `{n}`"));
                let examples: Vec<String> = g.examples.iter().map(|e| format!("“{}”", e.replace('\n', " "))).collect();
                let _ = writeln!(out, "- **{}** × {near}: {}", g.count, examples.join("; "));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(tokens: &str, nearest: &str, text: &str, count: u64) -> (String, String, String, u64) {
        (tokens.into(), nearest.into(), text.into(), count)
    }

    #[test]
    fn overlap_is_jaccard() {
        assert_eq!(overlap(&["a", "b"], &["a", "b"]), 1.0);
        assert_eq!(overlap(&["a", "b"], &["b", "c"]), 1.0 / 3.0);
        assert_eq!(overlap(&["a"], &["b"]), 0.0);
    }

    #[test]
    fn near_duplicates_grouped_under_their_nearest_entry() {
        let kept = vec![
            row("her2 low mean", "her2-low-status", "what does her2 low mean", 4),
            row("her2 low", "her2-low-status", "her2 low?", 2),
            row("her2 low mean what", "her2-score", "what is her2 low meaning", 1),
            row("car fix", "", "how do I fix my car", 3),
            row("=??", "", "??", 1),
        ];
        let groups = group(&kept, 10);
        assert_eq!(groups.len(), 3, "{groups:#?}");
        assert_eq!(groups[0].count, 7);
        assert_eq!(groups[0].nearest.as_deref(), Some("her2-low-status"));
        assert_eq!(groups[0].examples, ["what does her2 low mean", "her2 low?", "what is her2 low meaning"]);
        assert_eq!((groups[1].count, groups[1].nearest.as_deref()), (3, None));
        assert_eq!(group(&kept, 1).len(), 1);
    }
}
