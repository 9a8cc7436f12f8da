//! Broken knowledge and config files are reported with file and field, and
//! the bot refuses to start with them.

use her2bot::knowledge::{FileSet, Knowledge};

use super::testing::{edit, her2bot, knowledge_copy, stdout};

/// Runs `check` and `ask` on a broken knowledge dir: both fail, and both
/// name every expected `file: field` pair.
fn assert_reported(dir: &std::path::Path, expected: &[&str]) {
    let d = dir.to_str().expect("utf-8 path");
    let check = her2bot(&["check", "--knowledge", d], None);
    assert_eq!(check.status.code(), Some(1), "check must fail");
    let ask = her2bot(&["ask", "--knowledge", d, "what is her2"], None);
    assert_eq!(ask.status.code(), Some(1), "ask must refuse to start");
    let (check_out, ask_err) = (stdout(&check), String::from_utf8_lossy(&ask.stderr).into_owned());
    for e in expected {
        assert!(check_out.contains(e), "check output lacks {e:?}:\n{check_out}");
        assert!(ask_err.contains(e), "ask error lacks {e:?}:\n{ask_err}");
    }
}

#[test]
fn bad_toml_names_file_and_line() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("intents/her2-score.toml"), "id = \"her2-score\"", "id = \"her2-score");
    assert_reported(&dir, &["intents/her2-score.toml"]);
    let out = stdout(&her2bot(&["check", "--knowledge", dir.to_str().expect("path")], None));
    assert!(out.contains("line 1"), "{out}");
}

#[test]
fn missing_field_is_named() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("intents/triple-negative.toml"), "reviewed = ", "# reviewed = ");
    assert_reported(&dir, &["intents/triple-negative.toml: reviewed:"]);
}

#[test]
fn unknown_related_id_is_named() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("intents/chemo-needed.toml"), "related = [\"", "related = [\"no-such-topic\", \"");
    assert_reported(&dir, &["intents/chemo-needed.toml: related[0]: unknown id `no-such-topic`"]);
}

#[test]
fn duplicate_id_is_named() {
    let (_tmp, dir) = knowledge_copy();
    std::fs::copy(dir.join("intents/her2-drugs.toml"), dir.join("intents/her2-drugs-copy.toml")).expect("copy");
    assert_reported(
        &dir,
        &[
            "intents/her2-drugs-copy.toml: id:",
            "intents/her2-drugs.toml: id: `her2-drugs` is already the id of intents/her2-drugs-copy.toml",
        ],
    );
}

#[test]
fn over_long_answer_is_named() {
    let (_tmp, dir) = knowledge_copy();
    let long = "word ".repeat(300);
    edit(&dir.join("intents/her2-score-3.toml"), "answer = \"\"\"", &format!("answer = \"\"\"{long}"));
    assert_reported(&dir, &["intents/her2-score-3.toml: answer: must be 1 to 1200 characters"]);
}

#[test]
fn unknown_field_is_named() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("intents/her2-score.toml"), "related = ", "relatd = ");
    assert_reported(&dir, &["intents/her2-score.toml: relatd:"]);
}

#[test]
fn stale_review_fails_check_but_not_start() {
    let (_tmp, dir) = knowledge_copy();
    let path = dir.join("intents/her2-score.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let line = text.lines().find(|l| l.starts_with("reviewed = ")).expect("reviewed line").to_string();
    edit(&path, &line, "reviewed = 2020-01-01");
    let d = dir.to_str().expect("path");
    let check = her2bot(&["check", "--knowledge", d], None);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("intents/her2-score.toml: reviewed: 2020-01-01 is"), "{}", stdout(&check));
    assert!(her2bot(&["ask", "--knowledge", d, "hi"], None).status.success());
}

#[test]
fn missing_safety_file_is_named() {
    let (_tmp, dir) = knowledge_copy();
    std::fs::remove_file(dir.join("safety.toml")).expect("remove");
    assert_reported(&dir, &["safety.toml: file is missing"]);
}

#[test]
fn broken_config_is_named_with_its_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cfg = tmp.path().join("bot.toml");
    std::fs::write(&cfg, "[matcher]\nanswer_threshold = \"high\"\n").expect("write");
    let out = her2bot(&["ask", "--config", cfg.to_str().expect("path"), "what is her2"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bot.toml") && err.contains("answer_threshold"), "{err}");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("intents/her2-score.toml"), "related = [\"", "related = [\"nope-1\", \"");
    edit(&dir.join("intents/chemo-needed.toml"), "related = [\"", "related = [\"nope-2\", \"");
    assert_reported(&dir, &["nope-1", "nope-2"]);
}

#[test]
fn knowledge_ids_are_exactly_the_catalogue() {
    let k = Knowledge::embedded().expect("shipped knowledge parses");
    let ids: Vec<&str> = k.entries.iter().map(|e| e.id.as_str()).collect();
    let mut want = vec![
        "why-test-her2",
        "her2-positive-metastatic",
        "her2-positive-cause",
        "her2-positive-spread",
        "foods-shrink-tumors",
        "her2-family-risk",
        "her2-test-negative",
        "her2-positive-grade",
        "radiation-therapy",
        "foods-to-avoid",
        "chemo-needed",
        "stage-2-negative",
        "triple-negative",
        "her2-drugs",
        "her2-hereditary",
        "tumor-7cm-stage",
        "her2-positive-type",
        "her2-negative-prognosis",
        "chemo-duration",
        "her2-score",
        "her2-neu-names",
        "her2-normal-expression",
        "her2-low-status",
        "her2-low-prevalence",
        "her2-normal-function",
        "her2-score-3",
    ];
    want.sort_unstable();
    assert_eq!(ids, want);
}

#[test]
fn empty_intents_dir_is_a_problem() {
    let files = FileSet::from_pairs([("lexicon.toml", ""), ("safety.toml", ""), ("smalltalk.toml", "")]);
    let err = Knowledge::parse(&files).expect_err("no entries");
    assert!(err.0.iter().any(|p| p.file == "intents/"), "{err}");
}

#[test]
fn a_synonym_that_would_rewrite_its_own_first_word_is_named() {
    let (_tmp, dir) = knowledge_copy();
    // "her2!" reads as "her2": every "her2" in every question would become "her2 negative".
    edit(&dir.join("lexicon.toml"), "\"her2 negative\" = [", "\"her2 negative\" = [\"her2!\", ");
    assert_reported(&dir, &["lexicon.toml: synonyms.her2 negative: variant `her2!` reads as `her2`"]);
}

#[test]
fn a_synonym_that_reads_as_a_bare_number_is_named() {
    let (_tmp, dir) = knowledge_copy();
    // "3 -" reads as "3": every "stage 3" and "3 cm" would become "3+".
    edit(&dir.join("lexicon.toml"), "\"3+\" = [", "\"3+\" = [\"3 -\", ");
    assert_reported(&dir, &["lexicon.toml: synonyms.3+: variant `3 -` reads as the bare number `3`"]);
}

#[test]
fn the_subject_rule_names_a_topic_that_does_not_exist() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("lexicon.toml"), "needs_subject = [\"other_cancers\"]", "needs_subject = [\"other_cancer\"]");
    assert_reported(&dir, &["lexicon.toml: needs_subject: `other_cancer` is not a topic of [off_topic]"]);
}

#[test]
fn a_broken_not_covered_file_is_named() {
    let (_tmp, dir) = knowledge_copy();
    let path = dir.join("not-covered.toml");
    // An empty theme name, and a question that is also an entry's example:
    // the matcher would be taught both to answer and to decline it.
    edit(&path, "name = \"costs, insurance and paperwork\"", "name = \"\"");
    edit(&path, "examples = [", "examples = [\"how many cycles of chemo for her2 positive\", ");
    assert_reported(
        &dir,
        &[
            "not-covered.toml: theme[0].name: is empty",
            "not-covered.toml: theme[0].examples[0]: is also an example of intents/chemo-duration.toml",
        ],
    );
}

#[test]
fn bad_toml_in_the_not_covered_file_is_named() {
    let (_tmp, dir) = knowledge_copy();
    edit(&dir.join("not-covered.toml"), "[[theme]]", "[[theme]\n");
    assert_reported(&dir, &["not-covered.toml"]);
}

#[test]
fn the_not_covered_file_is_optional() {
    let (_tmp, dir) = knowledge_copy();
    std::fs::remove_file(dir.join("not-covered.toml")).expect("remove");
    let out = her2bot(&["ask", "--knowledge", dir.to_str().expect("path"), "what is her2"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
