//! Small talk: greetings, thanks, questions about the bot itself.

use crate::knowledge::SmalltalkKind;
use crate::lexicon::{Analyzer, contains_phrase};

/// Compiled small-talk phrases.
#[derive(Debug)]
pub struct Smalltalk {
    kinds: Vec<(String, Vec<Vec<String>>)>,
}

impl Smalltalk {
    /// Compiles the phrases with the question analyser.
    pub fn new(kinds: &[SmalltalkKind], analyzer: &Analyzer) -> Self {
        Self {
            kinds: kinds
                .iter()
                .map(|k| {
                    (
                        k.id.clone(),
                        k.phrases.iter().map(|p| analyzer.analyze_pattern(p)).filter(|p| !p.is_empty()).collect(),
                    )
                })
                .collect(),
        }
    }

    /// The index of the first kind whose phrase appears in the tokens.
    pub fn detect(&self, tokens: &[String]) -> Option<usize> {
        self.kinds.iter().position(|(_, phrases)| phrases.iter().any(|p| contains_phrase(tokens, p)))
    }

    /// The first kind found, if small-talk phrases cover every token that
    /// `is_content` accepts (so "good night all" is a goodbye, not a question
    /// about a "good" prognosis).
    pub fn covers(&self, tokens: &[String], is_content: impl Fn(&str) -> bool) -> Option<usize> {
        let mut covered = vec![false; tokens.len()];
        let mut first = None;
        for (k, (_, phrases)) in self.kinds.iter().enumerate() {
            for p in phrases {
                for start in 0..tokens.len().saturating_sub(p.len() - 1) {
                    if crate::lexicon::contains_phrase(&tokens[start..start + p.len()], p) {
                        covered[start..start + p.len()].iter_mut().for_each(|c| *c = true);
                        first.get_or_insert(k);
                    }
                }
            }
        }
        let all = tokens.iter().zip(&covered).all(|(t, c)| *c || !is_content(t));
        first.filter(|_| all)
    }
}
