//! The safety screen: runs before anything else and catches emergencies,
//! crisis messages and personal treatment decisions.

use crate::knowledge::{Safety, UrgentKind};
use crate::lexicon::Analyzer;
use crate::phrases::PhraseSet;

/// A rule with its phrases analysed like questions.
#[derive(Debug)]
struct Rule {
    id: String,
    kind: UrgentKind,
    /// Groups of phrase indices into the screen's [`PhraseSet`]: every
    /// group needs one of its phrases.
    all: Vec<Vec<usize>>,
    /// Phrase indices that veto the rule.
    unless: Vec<usize>,
}

/// What the screen found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Emergency, crisis or decision.
    pub kind: UrgentKind,
    /// The rule that fired.
    pub rule: String,
}

/// The compiled safety screen.
#[derive(Debug)]
pub struct Screen {
    rules: Vec<Rule>,
    /// Phrase indices that cancel emergency rules (past events, general
    /// questions).
    not_current: Vec<usize>,
    /// Phrase indices that undo that cancelling: the danger is now ("i had
    /// sepsis last year and it's happening again right now").
    still_current: Vec<usize>,
    phrases: PhraseSet,
}

impl Screen {
    /// Compiles the rules with the same analyser used for questions.
    pub fn new(safety: &Safety, analyzer: &Analyzer) -> Self {
        let mut patterns: Vec<Vec<String>> = Vec::new();
        let mut compile = |phrase: &String| -> Option<usize> {
            let p = analyzer.analyze_pattern(phrase);
            (!p.is_empty()).then(|| {
                patterns.push(p);
                patterns.len() - 1
            })
        };
        let rules = safety
            .rules
            .iter()
            .map(|r| Rule {
                id: r.id.clone(),
                kind: r.kind,
                all: r.all.iter().map(|g| g.iter().filter_map(&mut compile).collect()).collect(),
                unless: r.unless.iter().filter_map(&mut compile).collect(),
            })
            .collect();
        let not_current = safety.not_current.iter().filter_map(&mut compile).collect();
        let still_current = safety.still_current.iter().filter_map(&mut compile).collect();
        Self { rules, not_current, still_current, phrases: PhraseSet::new(patterns) }
    }

    /// Screens analysed tokens. Emergencies and crises win over treatment
    /// decisions; within a kind, the first rule in file order wins.
    pub fn check(&self, tokens: &[String]) -> Option<Alert> {
        let hit = self.phrases.matches(tokens);
        let not_current = self.not_current.iter().any(|&p| hit[p]) && !self.still_current.iter().any(|&p| hit[p]);
        let fired = |r: &&Rule| {
            !(not_current && r.kind == UrgentKind::Emergency)
                && r.all.iter().all(|group| group.iter().any(|&p| hit[p]))
                && !r.unless.iter().any(|&p| hit[p])
        };
        let urgent = self.rules.iter().filter(|r| r.kind != UrgentKind::Decision).find(fired);
        urgent
            .or_else(|| self.rules.iter().filter(|r| r.kind == UrgentKind::Decision).find(fired))
            .map(|r| Alert { kind: r.kind, rule: r.id.clone() })
    }
}
