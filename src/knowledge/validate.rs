//! Checks on a parsed knowledge base beyond its TOML shape.

use std::collections::{BTreeMap, BTreeSet};

use super::{Knowledge, NOT_COVERED_FILE, Problem};
use crate::date::Date;

/// Limits the knowledge must respect; the values come from config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Longest answer, in characters.
    pub max_answer_chars: usize,
    /// Longest canonical question, in characters.
    pub max_question_chars: usize,
    /// Fewest examples per entry.
    pub min_examples: usize,
    /// How long a review stays valid, in days.
    pub review_period_days: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Self { max_answer_chars: 1200, max_question_chars: 200, min_examples: 15, review_period_days: 365 }
    }
}

/// Every problem with the knowledge base, each naming file and field.
/// `today` decides which reviews are overdue.
pub fn validate(k: &Knowledge, rules: &Rules, today: Date) -> Vec<Problem> {
    let mut out = Vec::new();
    entries(k, rules, today, &mut out);
    lexicon(k, &mut out);
    safety(k, &mut out);
    smalltalk(k, &mut out);
    not_covered(k, &mut out);
    out
}

fn entries(k: &Knowledge, rules: &Rules, today: Date, out: &mut Vec<Problem>) {
    let ids: BTreeSet<&str> = k.entries.iter().map(|e| e.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for e in &k.entries {
        let file = format!("intents/{}.toml", e.id);
        let mut bad = |field: String, msg: String| out.push(Problem::field(&file, field, msg));
        if !seen.insert(e.id.as_str()) {
            bad("id".into(), format!("`{}` is used by more than one entry", e.id));
        }
        if !e.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || e.id.is_empty() {
            bad("id".into(), "must be lower-case letters, digits and hyphens".into());
        }
        let q = e.question.trim().chars().count();
        if q == 0 || q > rules.max_question_chars {
            bad("question".into(), format!("must be 1 to {} characters (has {q})", rules.max_question_chars));
        }
        let a = e.answer.chars().count();
        if a == 0 || a > rules.max_answer_chars {
            bad("answer".into(), format!("must be 1 to {} characters (has {a})", rules.max_answer_chars));
        }
        if e.examples.len() < rules.min_examples {
            bad(
                "examples".into(),
                format!("needs at least {} examples (has {})", rules.min_examples, e.examples.len()),
            );
        }
        let mut phrasings = BTreeSet::new();
        for (i, ex) in e.examples.iter().enumerate() {
            let norm = ex.trim().to_lowercase();
            if norm.is_empty() || norm.chars().count() > 500 {
                bad(format!("examples[{i}]"), "must be 1 to 500 characters".into());
            } else if !phrasings.insert(norm) {
                bad(format!("examples[{i}]"), "repeats an earlier example".into());
            }
        }
        if !(2..=4).contains(&e.related.len()) {
            bad("related".into(), format!("needs 2 to 4 ids (has {})", e.related.len()));
        }
        for (field, list) in [("related", &e.related), ("equivalent", &e.equivalent)] {
            let mut dup = BTreeSet::new();
            for (i, r) in list.iter().enumerate() {
                if r == &e.id {
                    bad(format!("{field}[{i}]"), "names the entry itself".into());
                } else if !ids.contains(r.as_str()) {
                    bad(format!("{field}[{i}]"), format!("unknown id `{r}`"));
                } else if !dup.insert(r) {
                    bad(format!("{field}[{i}]"), format!("`{r}` is listed twice"));
                }
            }
        }
        if e.sources.is_empty() {
            bad("sources".into(), "needs at least one source".into());
        }
        for (i, s) in e.sources.iter().enumerate() {
            if s.title.trim().is_empty() {
                bad(format!("sources[{i}].title"), "is empty".into());
            }
            if !(s.url.starts_with("https://") || s.url.starts_with("http://")) || s.url.contains(char::is_whitespace) {
                bad(format!("sources[{i}].url"), format!("`{}` is not an http(s) link", s.url));
            }
        }
        let age = today.days() - e.reviewed.days();
        if age < 0 {
            bad("reviewed".into(), format!("{} is in the future", e.reviewed));
        } else if age > i64::from(rules.review_period_days) {
            bad(
                "reviewed".into(),
                format!(
                    "{} is {age} days ago, past the {}-day review period; re-check the answer against its sources",
                    e.reviewed, rules.review_period_days
                ),
            );
        }
    }
}

fn lexicon(k: &Knowledge, out: &mut Vec<Problem>) {
    let file = "lexicon.toml";
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for (canonical, variants) in &k.lexicon.synonyms {
        if variants.is_empty() {
            out.push(Problem::field(file, format!("synonyms.{canonical}"), "lists no variants"));
        }
        for v in variants {
            let key = v.trim().to_lowercase();
            let words = stems(v);
            if key.is_empty() || words.is_empty() {
                out.push(Problem::field(file, format!("synonyms.{canonical}"), "has an empty variant"));
            } else if words.iter().all(|w| w.bytes().all(|b| b.is_ascii_digit())) {
                // "3 +" once read as "3": every "stage 3" became "stage 3+".
                out.push(Problem::field(
                    file,
                    format!("synonyms.{canonical}"),
                    format!(
                        "variant `{v}` reads as the bare number `{}`, so it would rewrite every such number",
                        words.join(" ")
                    ),
                ));
            } else if stems(canonical).len() > words.len() && stems(canonical).starts_with(&words) {
                // "her2-" reads as "her2": every "her2" would become "her2 negative".
                out.push(Problem::field(
                    file,
                    format!("synonyms.{canonical}"),
                    format!(
                        "variant `{v}` reads as `{}`, the start of its own canonical form, so it would rewrite every `{}`",
                        words.join(" "),
                        words.join(" ")
                    ),
                ));
            } else if let Some(prev) = owner.insert(key, canonical)
                && prev != canonical
            {
                {
                    out.push(Problem::field(
                        file,
                        format!("synonyms.{canonical}"),
                        format!("variant `{v}` is also a variant of `{prev}`"),
                    ));
                }
            }
        }
    }
    if k.lexicon.domain.is_empty() {
        out.push(Problem::field(file, "domain", "needs at least one term, or no question can be answered"));
    }
    for (topic, terms) in &k.lexicon.off_topic {
        if terms.iter().any(|t| t.trim().is_empty()) || terms.is_empty() {
            out.push(Problem::field(file, format!("off_topic.{topic}"), "needs non-empty terms"));
        }
    }
    for topic in &k.lexicon.needs_subject {
        if !k.lexicon.off_topic.iter().any(|(t, _)| t == topic) {
            out.push(Problem::field(file, "needs_subject", format!("`{topic}` is not a topic of [off_topic]")));
        }
    }
    if !k.lexicon.needs_subject.is_empty() && k.lexicon.subject.iter().all(|t| t.trim().is_empty()) {
        out.push(Problem::field(file, "subject", "needs at least one term when needs_subject names a topic"));
    }
}

/// A phrase as the analyser's rewrite step sees it: cleaned, tokenised, stemmed.
fn stems(phrase: &str) -> Vec<String> {
    crate::text::tokenize(&crate::text::clean(phrase)).iter().map(|t| crate::text::stem(t)).collect()
}

fn safety(k: &Knowledge, out: &mut Vec<Problem>) {
    let file = "safety.toml";
    for (name, reply) in
        [("emergency", &k.safety.emergency), ("crisis", &k.safety.crisis), ("decision", &k.safety.decision)]
    {
        if reply.title.trim().is_empty() || reply.body.trim().is_empty() {
            out.push(Problem::field(file, name, "needs a title and a body"));
        }
    }
    let mut ids = BTreeSet::new();
    for (i, r) in k.safety.rules.iter().enumerate() {
        if !ids.insert(r.id.as_str()) {
            out.push(Problem::field(file, format!("rule[{i}].id"), format!("`{}` is used twice", r.id)));
        }
        if r.all.is_empty() || r.all.iter().any(|g| g.is_empty() || g.iter().any(|p| p.trim().is_empty())) {
            out.push(Problem::field(file, format!("rule[{i}].all"), "needs non-empty groups of non-empty phrases"));
        }
    }
}

fn smalltalk(k: &Knowledge, out: &mut Vec<Problem>) {
    let file = "smalltalk.toml";
    let mut ids = BTreeSet::new();
    for (i, s) in k.smalltalk.iter().enumerate() {
        if !ids.insert(s.id.as_str()) {
            out.push(Problem::field(file, format!("kind[{i}].id"), format!("`{}` is used twice", s.id)));
        }
        if s.reply.trim().is_empty() {
            out.push(Problem::field(file, format!("kind[{i}].reply"), "is empty"));
        }
    }
    if !ids.contains("help") {
        out.push(Problem::field(file, "kind", "needs a kind with id `help` (the reply to an empty question)"));
    }
}

/// Themes need a name and questions; a question may not also be an entry's
/// example, which would teach the matcher both to answer and to decline it.
fn not_covered(k: &Knowledge, out: &mut Vec<Problem>) {
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for e in &k.entries {
        for ex in &e.examples {
            owner.insert(ex.trim().to_lowercase(), e.id.as_str());
        }
    }
    let mut seen = BTreeSet::new();
    for (t, theme) in k.not_covered.iter().enumerate() {
        let mut bad = |field: String, msg: String| out.push(Problem::field(NOT_COVERED_FILE, field, msg));
        if theme.name.trim().is_empty() {
            bad(format!("theme[{t}].name"), "is empty".into());
        }
        if theme.examples.is_empty() {
            bad(format!("theme[{t}].examples"), "lists no questions".into());
        }
        for (i, ex) in theme.examples.iter().enumerate() {
            let norm = ex.trim().to_lowercase();
            let field = format!("theme[{t}].examples[{i}]");
            if norm.is_empty() || norm.chars().count() > 500 {
                bad(field, "must be 1 to 500 characters".into());
            } else if let Some(id) = owner.get(&norm) {
                bad(field, format!("is also an example of intents/{id}.toml; a question is either covered or not"));
            } else if !seen.insert(norm) {
                bad(field, "repeats an earlier question".into());
            }
        }
    }
}
