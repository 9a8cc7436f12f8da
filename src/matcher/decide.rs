//! From scores to a decision: answer, ask, or decline.

use super::{Index, Scored};

/// Unknown words beyond this many do not raise the answer bar further.
pub const MAX_UNKNOWN_WORDS: usize = 2;
/// Questions with at most this many content words need the short-question
/// margin.
pub const SHORT_QUESTION_WORDS: usize = 3;

/// The confidence bars, from config.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Lowest score that may be answered directly.
    pub answer: f32,
    /// Lowest score worth offering as a "did you mean" choice.
    pub clarify: f32,
    /// How far the best entry must lead the runner-up to be answered.
    pub margin: f32,
    /// The lead needed when the question has at most
    /// [`SHORT_QUESTION_WORDS`] content words: "her2 food" fits two entries
    /// almost equally, and a few words are too little to choose on.
    pub short_margin: f32,
    /// Raise of the answer bar per word the knowledge base has never seen
    /// (counted up to [`MAX_UNKNOWN_WORDS`]): "is it safe to fly during
    /// chemo" resembles a chemotherapy entry, but "fly" says it is about
    /// something else.
    pub unknown_word_penalty: f32,
    /// Highest probability the re-ranker may give "not covered" (a
    /// question like those in `not-covered.toml`) for the question still to
    /// be answered directly; above it the bot asks instead.
    pub not_covered_max: f32,
    /// Most choices offered when asking.
    pub max_choices: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            answer: 0.20,
            clarify: 0.18,
            margin: 0.05,
            short_margin: 0.14,
            unknown_word_penalty: 0.1,
            not_covered_max: 0.5,
            max_choices: 3,
        }
    }
}

/// What to do with a question, as entry indices.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Answer with this entry.
    Answer(usize),
    /// Ask which of these entries was meant (best first, at most `max_choices`).
    Clarify(Vec<usize>),
    /// Nothing relevant enough.
    Fallback,
}

/// Decides from the scores. `equivalent(a, b)` says whether two entries'
/// answers are equally right (near-duplicates), so a close race between them
/// is no reason to ask.
pub fn decide(scored: &Scored, index: &Index, equivalent: impl Fn(usize, usize) -> bool, t: &Thresholds) -> Decision {
    let Some(&(top, top_score)) = scored.ranked.first() else { return Decision::Fallback };
    if top_score < t.clarify {
        return Decision::Fallback;
    }
    let runner_up = scored.ranked.iter().skip(1).find(|(e, _)| !equivalent(top, *e)).map_or(0.0, |(_, s)| *s);
    let evidence = scored.in_domain && scored.covers_off_topic(index, top);
    let bar = t.answer + t.unknown_word_penalty * scored.unknown_words.min(MAX_UNKNOWN_WORDS) as f32;
    let margin = if scored.content_words <= SHORT_QUESTION_WORDS { t.short_margin.max(t.margin) } else { t.margin };
    let covered = scored.not_covered <= t.not_covered_max;
    if top_score >= bar && top_score - runner_up >= margin && evidence && covered {
        return Decision::Answer(top);
    }
    let floor = t.clarify.max(top_score * 0.6);
    let mut choices: Vec<usize> = Vec::new();
    for &(e, s) in &scored.ranked {
        if choices.len() == t.max_choices || s < floor {
            break;
        }
        if !choices.iter().any(|&c| equivalent(c, e)) {
            choices.push(e);
        }
    }
    Decision::Clarify(choices)
}
