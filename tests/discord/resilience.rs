//! Staying up: a dropped gateway connection resumes and the bot keeps
//! answering; a REST 500 on a reply is logged and the next one is served;
//! malformed and unknown events are ignored.

use serde_json::json;

use crate::env::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_drop_mid_session_resumes_and_keeps_answering() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let title = json!(env.engine.respond(&question).reply.title);

    env.fake.hold_connections();
    env.fake.drop_connections();
    let missed = InteractionBuilder::slash("ask").string("question", &question);
    env.fake.interaction_create(&missed);
    env.fake.release_connections();
    assert_eq!(embed(&env.callback(&missed).await)["title"], title, "the event sent while down is answered");
    let stats = env.fake.wait_for_gateway(|s| s.successful_resumes >= 1, WAIT).await.expect("resumed");
    assert_eq!(stats.identifies, 1, "resumed, not re-identified");

    env.fake.request_reconnect();
    env.fake.wait_for_gateway(|s| s.successful_resumes >= 2, WAIT).await.expect("resumed after op 7");
    let after = MessageBuilder::dm(&question);
    env.fake.message_create(&after);
    assert_eq!(embed(&env.reply_to(ids::DM_CHANNEL_ID, after.id).await)["title"], title);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_500_on_a_reply_is_survived() {
    let env = Env::start().await;
    let (question, _) = env.answerable();

    env.fake.fail_next("POST", "/interactions/", 500, 1);
    let failing = InteractionBuilder::slash("ask").string("question", &question);
    assert_eq!(env.interact(&failing).await.status, 500);
    let next = InteractionBuilder::slash("ask").string("question", &question);
    let served = env.interact(&next).await;
    assert!((200..300).contains(&served.status), "{}", served.status);
    assert!(embed(&served).is_object());

    env.fake.fail_next("POST", "/channels/", 500, 1);
    let lost = MessageBuilder::dm(&question);
    env.fake.message_create(&lost);
    assert_eq!(env.reply_to(ids::DM_CHANNEL_ID, lost.id).await.status, 500);
    let kept = MessageBuilder::dm(&question);
    env.fake.message_create(&kept);
    assert_eq!(env.reply_to(ids::DM_CHANNEL_ID, kept.id).await.status, 200);
    assert_eq!(env.fake.gateway_stats().identifies, 1, "the session never restarted");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_denied_by_channel_permissions_is_survived() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let denied = MessageBuilder::guild(&mention_bot(&question)).channel(ids::RESTRICTED_CHANNEL_ID);
    env.fake.message_create(&denied);
    assert_eq!(env.reply_to(ids::RESTRICTED_CHANNEL_ID, denied.id).await.status, 403);
    let fine = MessageBuilder::guild(&mention_bot(&question));
    env.fake.message_create(&fine);
    assert_eq!(env.reply_to(ids::GENERAL_CHANNEL_ID, fine.id).await.status, 200);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_unknown_events_are_ignored() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    env.fake.send_raw("{this is not json");
    env.fake.send_raw(r#"{"op":0,"t":"MESSAGE_CREATE","s":null,"d":{}}"#);
    env.fake.send_dispatch("SOME_FUTURE_EVENT", json!({ "anything": [1, 2, 3] }));
    let mut broken = InteractionBuilder::slash("ask").string("question", &question).build(&env.fake.world());
    broken.as_object_mut().unwrap().remove("attachment_size_limit");
    env.fake.send_dispatch("INTERACTION_CREATE", broken.clone());
    env.fake.send_dispatch("INTERACTION_CREATE", json!({ "id": "1", "type": 99 }));
    env.fake.send_dispatch("MESSAGE_CREATE", json!({ "content": 5 }));

    let good = InteractionBuilder::slash("ask").string("question", &question);
    assert!(embed(&env.interact(&good).await).is_object(), "still answering");
    let stats = env.fake.gateway_stats();
    assert_eq!((stats.identifies, stats.connections), (1, 1), "same session throughout");
    let broken_id = broken["id"].as_str().unwrap();
    assert!(!env.fake.requests().iter().any(|r| r.path.contains(broken_id)), "unparseable interaction dropped");
    // Only the deliberately broken dispatches are flagged; requests are clean.
    assert!(env.fake.validation_errors().is_empty(), "{:#?}", env.fake.validation_errors());
    assert!(env.fake.mention_violations().is_empty(), "{:#?}", env.fake.mention_violations());
    let mut env = env;
    env.shutdown().await;
}
