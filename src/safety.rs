//! The safety screen: runs before anything else and catches emergencies,
//! crisis messages and personal treatment decisions.

use crate::knowledge::{Safety, UrgentKind};
use crate::lexicon::{Analyzer, contains_phrase};

/// A rule with its phrases analysed like questions.
#[derive(Debug)]
struct Rule {
    id: String,
    kind: UrgentKind,
    all: Vec<Vec<Vec<String>>>,
    unless: Vec<Vec<String>>,
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
}

impl Screen {
    /// Compiles the rules with the same analyser used for questions.
    pub fn new(safety: &Safety, analyzer: &Analyzer) -> Self {
        let rules = safety
            .rules
            .iter()
            .map(|r| Rule {
                id: r.id.clone(),
                kind: r.kind,
                all: r
                    .all
                    .iter()
                    .map(|g| g.iter().map(|p| analyzer.analyze_pattern(p)).filter(|p| !p.is_empty()).collect())
                    .collect(),
                unless: r.unless.iter().map(|p| analyzer.analyze_pattern(p)).filter(|p| !p.is_empty()).collect(),
            })
            .collect();
        Self { rules }
    }

    /// Screens analysed tokens. Emergencies and crises win over treatment
    /// decisions; within a kind, the first rule in file order wins.
    pub fn check(&self, tokens: &[String]) -> Option<Alert> {
        let present: std::collections::HashSet<&str> = tokens.iter().map(String::as_str).collect();
        // A phrase whose first word is absent cannot match: skip the scan.
        let has = |p: &Vec<String>| {
            p.first().is_some_and(|w| w.ends_with('*') || present.contains(w.as_str())) && contains_phrase(tokens, p)
        };
        let fired = |r: &&Rule| r.all.iter().all(|group| group.iter().any(has)) && !r.unless.iter().any(has);
        let urgent = self.rules.iter().filter(|r| r.kind != UrgentKind::Decision).find(fired);
        urgent
            .or_else(|| self.rules.iter().filter(|r| r.kind == UrgentKind::Decision).find(fired))
            .map(|r| Alert { kind: r.kind, rule: r.id.clone() })
    }
}
