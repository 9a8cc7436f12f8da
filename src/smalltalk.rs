//! Small talk: greetings, thanks, questions about the bot itself.

use crate::knowledge::SmalltalkKind;
use crate::lexicon::Analyzer;
use crate::phrases::PhraseSet;

/// Compiled small-talk phrases.
#[derive(Debug)]
pub struct Smalltalk {
    phrases: PhraseSet,
    /// The kind (index into the knowledge's small-talk list) of each phrase.
    kind_of: Vec<usize>,
}

impl Smalltalk {
    /// Compiles the phrases with the question analyser.
    pub fn new(kinds: &[SmalltalkKind], analyzer: &Analyzer) -> Self {
        let mut kind_of = Vec::new();
        let mut patterns = Vec::new();
        for (k, kind) in kinds.iter().enumerate() {
            for p in kind.phrases.iter().map(|p| analyzer.analyze_pattern(p)).filter(|p| !p.is_empty()) {
                patterns.push(p);
                kind_of.push(k);
            }
        }
        Self { phrases: PhraseSet::new(patterns), kind_of }
    }

    /// The first kind found, if small-talk phrases cover every token that
    /// `is_content` accepts (so "good night all" is a goodbye, not a question
    /// about a "good" prognosis).
    pub fn covers(&self, tokens: &[String], is_content: impl Fn(&str) -> bool) -> Option<usize> {
        self.mostly(tokens, is_content, 0)
    }

    /// The first kind found, if at most `rest` distinct content tokens are
    /// left outside small-talk phrases: "hi, what can you do for me here" is
    /// small talk, "can you help me with my maths homework" is a question
    /// (about something else) with a small-talk word in it.
    pub fn mostly(&self, tokens: &[String], is_content: impl Fn(&str) -> bool, rest: usize) -> Option<usize> {
        let mut covered = vec![false; tokens.len()];
        let mut first: Option<usize> = None;
        self.phrases.for_each_match(tokens, |p, start| {
            let len = self.phrases.pattern(p).len();
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
            first = Some(first.map_or(self.kind_of[p], |k| k.min(self.kind_of[p])));
        });
        let mut left: Vec<&str> =
            tokens.iter().zip(&covered).filter(|(t, c)| !**c && is_content(t)).map(|(t, _)| t.as_str()).collect();
        left.sort_unstable();
        left.dedup();
        first.filter(|_| left.len() <= rest)
    }
}
