//! `her2bot check`: validates knowledge and config, then runs the self-test.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::date::Date;
use crate::engine::{DecisionKind, Engine};
use crate::knowledge::{Knowledge, NOT_COVERED_FILE, Problem};

/// Folds for the cross-validation estimate.
const FOLDS: usize = 5;

/// Prints every problem (file and field) and a self-test report. Exits 1 if
/// anything is wrong.
pub fn run(knowledge_dir: Option<&Path>, config_file: Option<&Path>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match report(knowledge_dir, config_file, &mut out) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(1),
        Err(e) => {
            eprintln!("her2bot: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes the report; `Ok(true)` when nothing is wrong.
fn report(knowledge_dir: Option<&Path>, config_file: Option<&Path>, out: &mut impl Write) -> std::io::Result<bool> {
    let (knowledge, config) = crate::engine::load_files(knowledge_dir, config_file);
    let mut problems: Vec<Problem> = Vec::new();
    let config = config.map_err(|e| problems.extend(e.0)).ok();
    let knowledge = knowledge.map_err(|e| problems.extend(e.0)).ok();
    if let (Some(k), Some(c)) = (knowledge, config) {
        problems.extend(crate::knowledge::validate(&k, &c.knowledge.rules(), Date::today()));
        let examples: usize = k.entries.iter().map(|e| e.examples.len()).sum();
        let negatives: usize = k.not_covered.iter().map(|t| t.examples.len()).sum();
        writeln!(
            out,
            "loaded {} entries with {examples} examples, and {negatives} not-covered questions in {} themes",
            k.entries.len(),
            k.not_covered.len()
        )?;
        let engine = Engine::build(k.clone(), c.clone());
        problems.extend(self_test(&engine, out)?);
        cross_validate(&k, &c, out)?;
    }
    if problems.is_empty() {
        writeln!(out, "ok: no problems found")?;
        return Ok(true);
    }
    writeln!(out, "{} problem{} found:", problems.len(), if problems.len() == 1 { "" } else { "s" })?;
    for p in &problems {
        writeln!(out, "  {p}")?;
    }
    Ok(false)
}

/// Every example must come back to its own entry (or an equivalent one):
/// answered, or at least offered as a choice. Anything else is a problem
/// naming the example.
fn self_test(engine: &Engine, out: &mut impl Write) -> std::io::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let (mut direct, mut asked, mut total) = (0, 0, 0);
    for e in &engine.knowledge().entries {
        for (i, ex) in e.examples.iter().enumerate() {
            total += 1;
            let r = engine.respond(ex);
            let ok = |id: &str| id == e.id || e.equivalent.iter().any(|q| q == id);
            match r.decision {
                DecisionKind::Answer if r.intent.as_deref().is_some_and(ok) => direct += 1,
                DecisionKind::Clarify if r.reply.choices.iter().any(|c| ok(&c.id)) => asked += 1,
                _ => problems.push(Problem::field(
                    format!("intents/{}.toml", e.id),
                    format!("examples[{i}]"),
                    format!(
                        "does not map back to its entry (decision {:?}, intent {:?}, reason {:?})",
                        r.decision, r.intent, r.reason
                    ),
                )),
            }
        }
    }
    writeln!(
        out,
        "self-test: {direct}/{total} examples answered from their own entry, {asked} more offered as a choice"
    )?;
    // A not-covered question the bot still answers is worth a curator's look:
    // if the entry covers it after all, it belongs in the entry's examples.
    // It is a warning, not a problem: the bars, not the data, are at fault.
    let (mut declined, mut total, mut warnings) = (0, 0, Vec::new());
    for (t, theme) in engine.knowledge().not_covered.iter().enumerate() {
        for (i, ex) in theme.examples.iter().enumerate() {
            total += 1;
            let r = engine.respond(ex);
            match (r.decision, r.intent) {
                (DecisionKind::Answer, Some(id)) => warnings.push(Problem::field(
                    NOT_COVERED_FILE,
                    format!("theme[{t}].examples[{i}]"),
                    format!("is answered from intents/{id}.toml; if that entry covers it, move it to its examples"),
                )),
                (DecisionKind::Emergency, _) => problems.push(Problem::field(
                    NOT_COVERED_FILE,
                    format!("theme[{t}].examples[{i}]"),
                    "sets off the safety screen; not-covered questions must be ordinary questions".to_string(),
                )),
                _ => declined += 1,
            }
        }
    }
    if total > 0 {
        writeln!(out, "self-test: {declined}/{total} not-covered questions not answered")?;
        for w in &warnings {
            writeln!(out, "  warning: {w}")?;
        }
    }
    Ok(problems)
}

/// Estimates how well the matcher generalises: each example is classified by
/// an index built without its fold. Reports accuracy and confusable pairs.
fn cross_validate(k: &Knowledge, c: &Config, out: &mut impl Write) -> std::io::Result<()> {
    let (mut right, mut wrong, mut total) = (0, 0, 0);
    let (mut negatives, mut negatives_answered) = (0, 0);
    let mut confusions: BTreeMap<(String, String), usize> = BTreeMap::new();
    let kept = |list: &[String], fold: usize| -> Vec<String> {
        list.iter().enumerate().filter(|(i, _)| i % FOLDS != fold).map(|(_, x)| x.clone()).collect()
    };
    for fold in 0..FOLDS {
        let mut train = k.clone();
        for e in &mut train.entries {
            e.examples = kept(&e.examples, fold);
        }
        for t in &mut train.not_covered {
            t.examples = kept(&t.examples, fold);
        }
        let engine = Engine::build(train, c.clone());
        for ex in k.not_covered.iter().flat_map(|t| t.examples.iter().skip(fold).step_by(FOLDS)) {
            negatives += 1;
            if engine.respond(ex).decision == DecisionKind::Answer {
                negatives_answered += 1;
            }
        }
        for e in &k.entries {
            for ex in e.examples.iter().skip(fold).step_by(FOLDS) {
                total += 1;
                let r = engine.respond(ex);
                match (r.decision, r.intent) {
                    (DecisionKind::Answer, Some(id)) if id == e.id || e.equivalent.contains(&id) => right += 1,
                    (DecisionKind::Answer, Some(id)) => {
                        wrong += 1;
                        *confusions.entry((e.id.clone(), id)).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    writeln!(
        out,
        "cross-validation ({FOLDS}-fold): {:.1}% answered right, {:.1}% answered wrong, {:.1}% asked or declined",
        pct(right),
        pct(wrong),
        pct(total - right - wrong)
    )?;
    if negatives > 0 {
        writeln!(
            out,
            "cross-validation ({FOLDS}-fold): {:.1}% of held-out not-covered questions answered (should be near 0)",
            100.0 * negatives_answered as f64 / negatives as f64
        )?;
    }
    let mut pairs: Vec<_> = confusions.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for ((from, to), n) in pairs.iter().take(8) {
        writeln!(out, "  confusable: {from} answered as {to} ({n}x)")?;
    }
    Ok(())
}
