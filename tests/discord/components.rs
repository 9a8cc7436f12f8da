//! Buttons and menus: related-topic menu, feedback, garbled and old ids.
//! They are routed by custom id alone, so a fresh bot (as after a restart)
//! handles components it never sent.

use serde_json::json;

use crate::env::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn related_topic_menu_opens_the_topic_privately() {
    let env = Env::start().await;
    let (_, intent) = env.answerable();
    let related = env.engine.entry_reply(&intent).unwrap().related;
    let pick = &related[0];
    let cb = env.interact(&InteractionBuilder::string_select("faq:v1:menu:related", &[&pick.id])).await;
    assert_eq!(cb_type(&cb), cb::MESSAGE);
    assert!(ephemeral(&cb), "only the person who picked sees it");
    assert_eq!(embed(&cb)["title"], json!(pick.question));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_buttons_thank_privately() {
    let env = Env::start().await;
    let (_, intent) = env.answerable();
    for vote in ["up", "down"] {
        let cb = env.interact(&InteractionBuilder::button(&format!("faq:v1:fb:{intent}:{vote}"))).await;
        assert!(ephemeral(&cb));
        assert_eq!(content(&cb), "Thanks for the feedback.");
    }
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_unknown_and_old_ids_get_a_polite_private_reply() {
    let env = Env::start().await;
    for (id, expect) in [
        ("garbage", "don't recognise"),
        ("faq:v1:topic:", "don't recognise"),
        ("faq:v1:reply:0:0:x", "don't recognise"),
        ("faq:v0:topic:her2-score", "older version"),
        ("faq:v1:topic:no-such-topic", "no longer available"),
    ] {
        let cb = env.interact(&InteractionBuilder::button(id)).await;
        assert!(ephemeral(&cb), "{id}");
        assert!(content(&cb).contains(expect), "{id}: {}", content(&cb));
    }
    let cb = env.interact(&InteractionBuilder::string_select("faq:v1:menu:related", &["no-such-topic"])).await;
    assert!(content(&cb).contains("no longer available"));
    env.finish().await;
}
