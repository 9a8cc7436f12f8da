//! `/post`: allowed for moderators (permission or configured role), refused
//! to others, and when the bot may not post the moderator is told which
//! permission is missing.

use serde_json::json;

use crate::env::*;

fn post(topic: &str) -> InteractionBuilder {
    InteractionBuilder::slash("post").string("topic", topic).in_guild(ids::GENERAL_CHANNEL_ID, ids::MODERATOR_USER_ID)
}

/// The text of the deferred response's edit.
async fn confirmation(env: &Env, i: &InteractionBuilder) -> String {
    let cb = env.interact(i).await;
    assert_eq!(cb_type(&cb), cb::DEFER);
    assert!(ephemeral(&cb), "the moderator's confirmation is private");
    let edit = env.request("confirmation edit", |r| r.is("PATCH", "/webhooks/") && r.path.contains(i.token())).await;
    content(&edit).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_by_a_moderator_lands_in_the_channel_with_a_link_back() {
    let env = Env::start().await;
    let entry = env.engine.knowledge().entries[0].clone();
    let i =
        post(&entry.id).string("note", "From the nurses' Q&A @everyone").channel("channel", ids::GENERAL_CHANNEL_ID);
    let text = confirmation(&env, &i).await;
    let path = format!("/channels/{}/messages", ids::GENERAL_CHANNEL_ID);
    let posted = env.request("posted topic", |r| r.is("POST", &path)).await;
    let e = embed(&posted);
    assert_eq!(e["title"], json!(entry.question));
    assert_eq!(e["description"], json!(entry.answer));
    assert!(field(e, "Sources").is_some() && field(e, "Please note").is_some());
    assert!(content(&posted).starts_with("From the nurses' Q&A @\u{200B}everyone"), "note escaped");
    let message_id = posted.response.as_ref().unwrap()["id"].as_str().unwrap().to_string();
    let link = format!("https://discord.com/channels/{}/{}/{message_id}", ids::GUILD_ID, ids::GENERAL_CHANNEL_ID);
    assert!(text.contains(&link), "{text}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_by_a_member_without_permission_is_refused() {
    let env = Env::start().await;
    let entry = env.engine.knowledge().entries[0].id.clone();
    let i = InteractionBuilder::slash("post")
        .string("topic", &entry)
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MEMBER_USER_ID);
    let cb = env.interact(&i).await;
    assert!(ephemeral(&cb));
    assert!(content(&cb).contains("Manage Messages"), "{}", content(&cb));
    let posts = format!("/channels/{}/messages", ids::GENERAL_CHANNEL_ID);
    assert!(!env.fake.requests().iter().any(|r| r.is("POST", &posts)));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_allowed_by_the_configured_moderator_role() {
    const HELPERS: u64 = 1_100_000_000_000_000_150;
    let mut world = World::default();
    world.roles.push(RoleSpec {
        id: HELPERS,
        name: "Helpers".into(),
        permissions: 0,
        position: 1,
        color: 0,
        managed: false,
    });
    if let Some(alice) = world.members.iter_mut().find(|m| m.user_id == ids::MEMBER_USER_ID) {
        alice.roles.push(HELPERS);
    }
    let env = Env::start_with(|c| c.discord.moderator_role_id = Some(HELPERS), world).await;
    let entry = env.engine.knowledge().entries[0].id.clone();
    let i = InteractionBuilder::slash("post")
        .string("topic", &entry)
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::MEMBER_USER_ID);
    let text = confirmation(&env, &i).await;
    assert!(text.starts_with("Posted "), "{text}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_where_the_bot_lacks_permissions_names_them() {
    let env = Env::start().await;
    let entry = env.engine.knowledge().entries[0].id.clone();

    // Another channel: computed from the channel, roles and the bot's member.
    let text = confirmation(&env, &post(&entry).channel("channel", ids::RESTRICTED_CHANNEL_ID)).await;
    assert!(text.contains("**Send Messages** and **Embed Links** permissions"), "{text}");
    let text = confirmation(&env, &post(&entry).channel("channel", ids::NO_EMBEDS_CHANNEL_ID)).await;
    assert!(text.contains("the **Embed Links** permission"), "{text}");

    // This channel: from the interaction's app_permissions.
    let here = InteractionBuilder::slash("post")
        .string("topic", &entry)
        .in_guild(ids::RESTRICTED_CHANNEL_ID, ids::MODERATOR_USER_ID);
    let text = confirmation(&env, &here).await;
    assert!(text.contains("**Send Messages** and **Embed Links**"), "{text}");

    // A channel the bot cannot even see.
    env.fake.update_world(|w| w.deny_bot(ids::NO_EMBEDS_CHANNEL_ID, perm::VIEW_CHANNEL));
    let text = confirmation(&env, &post(&entry).channel("channel", ids::NO_EMBEDS_CHANNEL_ID)).await;
    assert!(text.contains("**View Channel**"), "{text}");

    for channel in [ids::RESTRICTED_CHANNEL_ID, ids::NO_EMBEDS_CHANNEL_ID] {
        let path = format!("/channels/{channel}/messages");
        assert!(!env.fake.requests().iter().any(|r| r.is("POST", &path)), "nothing posted in {channel}");
    }
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_refused_by_discord_is_explained() {
    let env = Env::start().await;
    let entry = env.engine.knowledge().entries[0].id.clone();
    let body = json!({ "message": "Missing Permissions", "code": 50013 });
    env.fake.fail_next_with("POST", "/channels/", 403, body, 1);
    let text = confirmation(&env, &post(&entry)).await;
    assert!(text.contains("Discord refused my post"), "{text}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_unknown_topic_is_refused_politely() {
    let env = Env::start().await;
    let cb = env.interact(&post("no-such-topic")).await;
    assert!(ephemeral(&cb));
    assert!(content(&cb).starts_with("I don't know the topic"));
    env.finish().await;
}
