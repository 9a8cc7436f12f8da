//! Layout tests: every rendered message stays within Discord's limits.

use serde_json::{Value, json};

use super::*;

fn topic(i: usize, len: usize) -> Topic {
    Topic { id: format!("topic-{i}"), question: format!("{i:02}{}", "é".repeat(len.saturating_sub(2))) }
}

fn reply(kind: ReplyKind) -> Reply {
    Reply {
        kind,
        title: "What is HER2?".into(),
        body: "HER2 is a protein.".into(),
        notice: Some("Not medical advice.".into()),
        sources: vec![SourceLink { title: "NCI [HER2]".into(), url: "https://example.org/a_(b)".into() }],
        reviewed: Some("2026-01-02".into()),
        related: (0..3).map(|i| topic(i, 30)).collect(),
        choices: (0..4).map(|i| topic(i, 30)).collect(),
    }
}

fn msg(r: Rendered) -> Value {
    serde_json::to_value(r.message()).unwrap()
}

#[test]
fn render_answer_layout() {
    let v = msg(entry(&reply(ReplyKind::Answer), Some("her2-what")));
    let e = &v["embeds"][0];
    assert_eq!(e["title"], "What is HER2?");
    assert_eq!(e["description"], "HER2 is a protein.");
    assert_eq!(e["fields"][0]["name"], "Sources");
    assert_eq!(e["fields"][0]["value"], "• [NCI \\[HER2\\]](https://example.org/a_%28b%29)");
    assert_eq!(e["fields"][1]["value"], "Not medical advice.");
    assert!(e["footer"]["text"].as_str().unwrap().contains("2026-01-02"));
    let rows = v["components"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["components"][0]["type"], 3);
    assert_eq!(rows[0]["components"][0]["options"].as_array().unwrap().len(), 3);
    assert_eq!(rows[1]["components"][0]["custom_id"], "faq:v1:fb:her2-what:up");
    assert_eq!(rows[1]["components"][1]["custom_id"], "faq:v1:fb:her2-what:down");
}

#[test]
fn render_never_allows_mentions() {
    let expect = json!({ "parse": [], "users": [], "roles": [] });
    let r = || entry(&reply(ReplyKind::Answer), Some("x"));
    assert_eq!(msg(r())["allowed_mentions"], expect);
    assert_eq!(serde_json::to_value(r().interaction(false)).unwrap()["allowed_mentions"], expect);
    assert_eq!(serde_json::to_value(r().update()).unwrap()["allowed_mentions"], expect);
    assert_eq!(serde_json::to_value(r().edit()).unwrap()["allowed_mentions"], expect);
    let reply = serde_json::to_value(r().reply_to(ChannelId::new(1), MessageId::new(2))).unwrap();
    assert_eq!(reply["allowed_mentions"]["parse"], json!([]));
    assert_eq!(reply["allowed_mentions"]["replied_user"], false);
    assert_eq!(reply["message_reference"]["message_id"], "2");
}

#[test]
fn render_clarify_buttons_capped_at_three_plus_none() {
    let v = msg(clarify(&reply(ReplyKind::Clarify), |t| CustomId::Topic(t.id.clone())));
    let buttons = v["components"][0]["components"].as_array().unwrap();
    assert_eq!(buttons.len(), 4);
    assert_eq!(buttons[0]["custom_id"], "faq:v1:topic:topic-0");
    assert_eq!(buttons[3]["label"], NONE_LABEL);
}

#[test]
fn render_urgent_is_red_without_components() {
    let v = msg(urgent(&reply(ReplyKind::Emergency)));
    assert_eq!(v["embeds"][0]["color"], colors::URGENT);
    assert!(v["embeds"][0]["title"].as_str().unwrap().starts_with('🚨'));
    assert!(v["components"].as_array().is_none_or(Vec::is_empty));
}

#[test]
fn render_fallback_points_to_topics() {
    let v = msg(fallback(&reply(ReplyKind::Fallback)));
    assert!(v["embeds"][0]["description"].as_str().unwrap().contains("/topics"));
    assert_eq!(v["embeds"][0]["fields"][0]["value"], "Not medical advice.");
}

#[test]
fn render_topic_list_26_long_questions_fit() {
    let topics: Vec<Topic> = (0..26).map(|i| topic(i, 200)).collect();
    let v = msg(topic_list(&topics));
    let description = v["embeds"][0]["description"].as_str().unwrap();
    assert!(description.chars().count() <= limits::EMBED_DESCRIPTION);
    assert!(description.ends_with("more in the menus below."), "{description}");
    let rows = v["components"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let options: usize = rows.iter().map(|r| r["components"][0]["options"].as_array().unwrap().len()).sum();
    assert_eq!(options, 26);
}

#[test]
fn render_description_over_limit_multibyte() {
    let mut r = reply(ReplyKind::Answer);
    r.body = "😀".repeat(limits::EMBED_DESCRIPTION + 1);
    let v = msg(entry(&r, None));
    let d = v["embeds"][0]["description"].as_str().unwrap();
    assert_eq!(d.chars().count(), limits::EMBED_DESCRIPTION);
    r.body = "😀".repeat(limits::EMBED_DESCRIPTION);
    let v = msg(entry(&r, None));
    assert_eq!(v["embeds"][0]["description"].as_str().unwrap(), r.body);
}

#[test]
fn render_whole_embed_within_6000() {
    let mut r = reply(ReplyKind::Answer);
    r.title = "t".repeat(400);
    r.body = "b".repeat(5000);
    r.notice = Some("n".repeat(1100));
    r.sources = (0..40).map(|i| SourceLink { title: format!("source {i}"), url: "https://x.org/".repeat(5) }).collect();
    let v = msg(entry(&r, Some("x")));
    let e = &v["embeds"][0];
    let count = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let total = count(&e["title"])
        + count(&e["description"])
        + count(&e["footer"]["text"])
        + e["fields"].as_array().unwrap().iter().map(|f| count(&f["name"]) + count(&f["value"])).sum::<usize>();
    assert!(total <= limits::EMBED_TOTAL, "{total}");
    let sources = e["fields"][0]["value"].as_str().unwrap();
    assert!(sources.chars().count() <= limits::FIELD_VALUE && sources.ends_with("more"), "{sources}");
}

#[test]
fn render_content_at_and_over_2000() {
    let at = serde_json::to_value(Rendered::text("x".repeat(2000)).message()).unwrap();
    assert_eq!(at["content"].as_str().unwrap().chars().count(), 2000);
    let over = serde_json::to_value(Rendered::text("ß".repeat(2001)).message()).unwrap();
    let content = over["content"].as_str().unwrap();
    assert_eq!(content.chars().count(), 2000);
    assert!(content.ends_with('…'));
}

#[test]
fn render_post_note_escaped() {
    let r = post(&reply(ReplyKind::Answer), Some("@everyone see <@&123> and <@456>"));
    assert!(!r.content.contains("@everyone") && !r.content.contains("<@&") && !r.content.contains("<@4"));
    assert!(r.components.is_empty());
}

#[test]
fn render_plain_text_within_content_limit() {
    let mut r = reply(ReplyKind::Answer);
    r.body = "b".repeat(3000);
    let plain = entry(&r, None).plain();
    assert!(plain.chars().count() <= limits::CONTENT);
    assert!(plain.starts_with("**What is HER2?**"));
}

#[test]
fn render_update_clears_old_parts() {
    let v = serde_json::to_value(Rendered::text("Done").update()).unwrap();
    assert_eq!(v["components"], json!([]));
    assert_eq!(v["embeds"], json!([]));
    assert_eq!(v["content"], "Done");
}
