//! Mentions, DMs and the "Answer with FAQ" context menu: replies go to the
//! message (message reference) and never ping anyone.

use her2bot::discord::render::colors;
use her2bot::reply::ReplyKind;
use serde_json::json;

use crate::env::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_in_guild_gets_the_answer_as_a_reply() {
    let env = Env::start().await;
    let (question, intent) = env.answerable();
    let msg = MessageBuilder::guild(&mention_bot(&question));
    env.fake.message_create(&msg);
    let reply = env.reply_to(ids::GENERAL_CHANNEL_ID, msg.id).await;
    let body = reply.body.as_ref().unwrap();
    assert_eq!(embed(&reply)["title"], json!(env.engine.respond(&question).reply.title));
    assert_eq!(body["allowed_mentions"]["replied_user"], json!(false), "the author is not pinged");
    assert!(custom_ids(&reply).contains(&format!("faq:v1:fb:{intent}:up")));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_mention_gets_short_help() {
    let env = Env::start().await;
    let msg = MessageBuilder::guild(&format!("<@{}>", ids::BOT_USER_ID));
    env.fake.message_create(&msg);
    let reply = env.reply_to(ids::GENERAL_CHANNEL_ID, msg.id).await;
    let description = embed(&reply)["description"].as_str().unwrap();
    assert!(description.contains("How to ask") && description.contains("/ask"), "{description}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dm_is_answered_without_a_mention() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let msg = MessageBuilder::dm(&question);
    env.fake.message_create(&msg);
    let reply = env.reply_to(ids::DM_CHANNEL_ID, msg.id).await;
    assert_eq!(embed(&reply)["title"], json!(env.engine.respond(&question).reply.title));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unaddressed_and_bot_messages_are_ignored() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let unaddressed = MessageBuilder::guild(&question);
    let own = MessageBuilder::guild(&mention_bot(&question)).author(ids::BOT_USER_ID);
    env.fake.message_create(&unaddressed);
    env.fake.message_create(&own);
    let later = MessageBuilder::dm(&question);
    env.fake.message_create(&later);
    env.reply_to(ids::DM_CHANNEL_ID, later.id).await;
    let replies: Vec<u64> = env.fake.requests().iter().filter_map(replied_to).collect();
    assert_eq!(replies, [later.id], "only the DM was answered");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_inside_questions_never_ping() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let noisy = format!("@everyone @here <@&{}> <@{}> {question}", ids::MODERATOR_ROLE_ID, ids::OWNER_USER_ID);
    let msg = MessageBuilder::guild(&mention_bot(&noisy));
    env.fake.message_create(&msg);
    let reply = env.reply_to(ids::GENERAL_CHANNEL_ID, msg.id).await;
    let am = &reply.body.as_ref().unwrap()["allowed_mentions"];
    assert_eq!((am["parse"].clone(), am["users"].clone(), am["roles"].clone()), (json!([]), json!([]), json!([])));
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", &noisy)).await;
    assert_eq!(data(&cb)["allowed_mentions"]["parse"], json!([]));
    let faq = env.interact(&InteractionBuilder::slash("faq").string("topic", &noisy)).await;
    assert!(!content(&faq).contains("@everyone") && !content(&faq).contains("<@&"));
    for r in env.fake.requests() {
        let text = r.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
        assert!(!text.contains("@everyone") && !text.contains("@here"), "#{} echoes a mention: {text}", r.index);
    }
    assert!(env.fake.mention_violations().is_empty(), "{:#?}", env.fake.mention_violations());
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_where_embeds_are_denied_falls_back_to_plain_text() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let msg = MessageBuilder::guild(&mention_bot(&question)).channel(ids::NO_EMBEDS_CHANNEL_ID);
    env.fake.message_create(&msg);
    let path = format!("/channels/{}/messages", ids::NO_EMBEDS_CHANNEL_ID);
    let first = env.request("embed reply", |r| r.is("POST", &path)).await;
    assert_eq!(first.status, 403);
    let plain = env.request_after(first.index + 1, "plain reply", |r| r.is("POST", &path)).await;
    assert_eq!(plain.status, 200);
    assert!(content(&plain).contains(&env.engine.respond(&question).reply.title));
    assert!(data(&plain)["embeds"].as_array().is_none_or(Vec::is_empty));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_cooldown_notes_once() {
    let env = Env::start_with(|c| c.discord.cooldown_seconds = 60, World::default()).await;
    let (question, _) = env.answerable();
    let first = MessageBuilder::guild(&mention_bot(&question));
    env.fake.message_create(&first);
    assert!(embed(&env.reply_to(ids::GENERAL_CHANNEL_ID, first.id).await).is_object());
    let second = MessageBuilder::guild(&mention_bot(&question));
    env.fake.message_create(&second);
    let note = env.reply_to(ids::GENERAL_CHANNEL_ID, second.id).await;
    assert!(content(&note).starts_with("Please wait "), "{}", content(&note));
    env.finish().await;
}

/// The edit of an interaction's original response.
async fn original_edit(env: &Env, i: &InteractionBuilder) -> Recorded {
    env.request("original edit", |r| r.is("PATCH", "/webhooks/") && r.path.contains(i.token())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_with_faq_replies_to_the_target_message() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let target = MessageBuilder::guild(&question).author(ids::OWNER_USER_ID);
    let menu = InteractionBuilder::message_command("Answer with FAQ", target.build(&env.fake.world()))
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID);
    let cb = env.interact(&menu).await;
    assert_eq!(cb_type(&cb), cb::DEFER);
    assert!(ephemeral(&cb), "only the helper sees the confirmation");
    let reply = env.reply_to(ids::GENERAL_CHANNEL_ID, target.id).await;
    assert_eq!(embed(&reply)["title"], json!(env.engine.respond(&question).reply.title));
    assert_eq!(reply.body.as_ref().unwrap()["allowed_mentions"]["replied_user"], json!(false));
    let edit = original_edit(&env, &menu).await;
    assert!(
        content(&edit).starts_with("Posted my answer as a reply: https://discord.com/channels/"),
        "{}",
        content(&edit)
    );
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_with_faq_when_unsure_lets_the_helper_choose() {
    let env = Env::start().await;
    let question = env.question(ReplyKind::Clarify, CLARIFY);
    let choices = env.engine.respond(question).reply.choices;
    let target = MessageBuilder::guild(question).author(ids::OWNER_USER_ID);
    let menu = InteractionBuilder::message_command("Answer with FAQ", target.build(&env.fake.world()));
    let cb = env.interact(&menu).await;
    assert!(ephemeral(&cb));
    assert_eq!(embed(&cb)["color"], json!(colors::CLARIFY));
    let expected = format!("faq:v1:reply:{}:{}:{}", ids::GENERAL_CHANNEL_ID, target.id, choices[0].id);
    assert_eq!(custom_ids(&cb)[0], expected);
    let posts = format!("/channels/{}/messages", ids::GENERAL_CHANNEL_ID);
    assert!(!env.fake.requests().iter().any(|r| r.is("POST", &posts)), "nothing posted before the choice");

    let click = InteractionBuilder::button(&expected);
    let choice = env.interact(&click).await;
    assert_eq!(cb_type(&choice), cb::ACK);
    let reply = env.reply_to(ids::GENERAL_CHANNEL_ID, target.id).await;
    assert_eq!(embed(&reply)["title"], json!(choices[0].question));
    let edit = original_edit(&env, &click).await;
    assert!(content(&edit).contains("as a reply: https://discord.com/channels/"), "{}", content(&edit));
    assert_eq!(data(&edit)["components"], json!([]), "the choice buttons are gone");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_with_faq_without_an_answer_posts_nothing() {
    let env = Env::start().await;
    let question = env.question(ReplyKind::Fallback, FALLBACK);
    let target = MessageBuilder::guild(question);
    let cb =
        env.interact(&InteractionBuilder::message_command("Answer with FAQ", target.build(&env.fake.world()))).await;
    assert!(ephemeral(&cb));
    assert!(content(&cb).contains("didn't post anything"));
    assert!(!env.fake.requests().iter().any(|r| replied_to(r).is_some()));
    env.finish().await;
}
