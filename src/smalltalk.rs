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

    /// The index of the kind with this id.
    pub fn kind(&self, id: &str) -> Option<usize> {
        self.kinds.iter().position(|(k, _)| k == id)
    }
}
