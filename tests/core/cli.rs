//! The CLI as a black box: the real binary, its output and exit codes.

use serde_json::Value;

use super::testing::{her2bot, stdout};

#[test]
fn ask_prints_understood_question_answer_sources_and_notice() {
    let out = her2bot(&["ask", "is her2 low positive or negative?"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("Is HER2-low positive or negative?"), "{text}");
    assert!(text.contains("Sources:") && text.contains("https://"), "{text}");
    assert!(text.contains("Reviewed: 20"), "{text}");
    assert!(text.contains("not medical advice"), "{text}");
}

#[test]
fn ask_json_has_the_whole_structure() {
    let out = her2bot(&["ask", "--json", "what does ihc 3+ mean"], None);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["decision"], "answer");
    assert_eq!(v["intent"], "her2-score-3");
    assert_eq!(v["reply"]["kind"], "answer");
    assert!(v["reply"]["notice"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(!v["reply"]["sources"].as_array().expect("sources").is_empty());
}

#[test]
fn classify_contract_one_json_line_per_input_line_in_order() {
    let input = "what is tnbc\n\nhow do i center a div in css\nim thinking of killing myself\nhello\n";
    let out = her2bot(&["classify"], Some(input));
    assert!(out.status.success());
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(lines.len(), 5);
    let decisions: Vec<&str> = lines.iter().map(|l| l["decision"].as_str().expect("decision")).collect();
    assert_eq!(decisions, ["answer", "smalltalk", "fallback", "emergency", "smalltalk"]);
    assert_eq!(lines[0]["intent"], "triple-negative");
    for l in &lines {
        assert!(l["score"].is_number());
        assert!(l["candidates"].as_array().is_some_and(|c| c.len() <= 5));
        assert!(l["intent"].is_null() || l["decision"] == "answer");
    }
}

#[test]
fn classify_survives_invalid_utf8_and_keeps_line_count() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_her2bot"))
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"her2 \xff\xfe score\nok\n").expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn chat_answers_lines_and_lists_topics_without_token_or_config() {
    let out = her2bot(&["chat"], Some("/topics\nwhat is triple negative breast cancer\n/faq nope\n/quit\nnot read\n"));
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("her2-low-prevalence"), "{text}");
    assert!(text.contains("What is triple-negative breast cancer?"), "{text}");
    assert!(text.contains("There is no topic `nope`"), "{text}");
}

#[test]
fn check_passes_on_shipped_knowledge() {
    let out = her2bot(&["check"], None);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("ok: no problems found"), "{text}");
    assert!(text.contains("cross-validation"), "{text}");
}

#[test]
fn topics_lists_all_26() {
    let out = her2bot(&["topics"], None);
    assert_eq!(stdout(&out).lines().count(), 26);
}
