//! Slash commands: /ask (answer, private, clarify, fallback, emergency, too
//! long, cooldown), /faq with autocomplete, /topics, /about, registration.

use her2bot::discord::render::colors;
use her2bot::reply::ReplyKind;
use serde_json::json;

use crate::env::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_registered_per_guild_with_safe_intents() {
    let env = Env::start().await;
    let names: Vec<String> = env
        .fake
        .registered_commands(Some(ids::GUILD_ID))
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "ask",
            "faq",
            "topics",
            "about",
            "post",
            "faq-reload",
            "Answer with FAQ",
            "forget-me",
            "faq-stats",
            "schedule"
        ]
    );
    assert!(env.fake.registered_commands(None).is_empty(), "no global commands");
    let post = env.fake.registered_commands(Some(ids::GUILD_ID)).into_iter().find(|c| c["name"] == "post").unwrap();
    assert_eq!(post["default_member_permissions"], json!(perm::MANAGE_MESSAGES.to_string()));
    let menu = env.fake.registered_commands(Some(ids::GUILD_ID)).into_iter().find(|c| c["type"] == 3).unwrap();
    assert_eq!(menu["name"], "Answer with FAQ");
    let intents = env.fake.gateway_stats().intents.expect("IDENTIFY intents");
    assert_eq!(intents, 1 | (1 << 9) | (1 << 12), "GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES only");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_registered_globally_without_guild_ids() {
    let env = Env::start_with(|c| c.discord.guild_ids.clear(), World::default()).await;
    assert_eq!(env.fake.registered_commands(None).len(), 10);
    assert!(env.fake.registered_commands(Some(ids::GUILD_ID)).is_empty());
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_answers_with_embed_related_menu_and_feedback() {
    let env = Env::start().await;
    let (question, intent) = env.answerable();
    let expected = env.engine.respond(&question).reply;
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", &question)).await;
    assert_eq!(cb_type(&cb), cb::MESSAGE);
    assert!(!ephemeral(&cb), "public by default");
    let e = embed(&cb);
    assert_eq!(e["title"], json!(expected.title), "titled with what was understood");
    assert_eq!(e["description"], json!(expected.body));
    assert_eq!(field(e, "Please note"), expected.notice.as_deref());
    assert!(field(e, "Sources").is_some_and(|s| s.contains("](http")), "{e}");
    let reviewed = expected.reviewed.expect("reviewed date");
    assert!(e["footer"]["text"].as_str().unwrap().contains(&reviewed));
    assert_eq!(e["color"], json!(colors::ANSWER));
    let ids = custom_ids(&cb);
    assert!(ids.contains(&"faq:v1:menu:related".to_string()), "{ids:?}");
    assert!(ids.contains(&format!("faq:v1:fb:{intent}:up")) && ids.contains(&format!("faq:v1:fb:{intent}:down")));

    let private =
        env.interact(&InteractionBuilder::slash("ask").string("question", &question).boolean("private", true)).await;
    assert!(ephemeral(&private));
    assert_eq!(embed(&private)["title"], json!(expected.title));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_clarify_then_a_click_answers_in_place() {
    let env = Env::start().await;
    let question = env.question(ReplyKind::Clarify, CLARIFY);
    let choices = env.engine.respond(question).reply.choices;
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", question)).await;
    assert_eq!(embed(&cb)["color"], json!(colors::CLARIFY));
    let buttons = components(&cb);
    assert_eq!(buttons.len(), choices.len().min(3) + 1, "{buttons:?}");
    assert_eq!(buttons.last().unwrap()["label"], "None of these");
    assert_eq!(buttons[0]["label"], json!(choices[0].question));

    let click = InteractionBuilder::button(&format!("faq:v1:topic:{}", choices[0].id));
    let answered = env.interact(&click).await;
    assert_eq!(cb_type(&answered), cb::UPDATE, "the choice is replaced by the answer");
    assert_eq!(embed(&answered)["title"], json!(choices[0].question));
    assert!(custom_ids(&answered).contains(&format!("faq:v1:fb:{}:up", choices[0].id)));

    let none = env.interact(&InteractionBuilder::button("faq:v1:none")).await;
    assert_eq!(cb_type(&none), cb::UPDATE);
    assert!(embed(&none)["description"].as_str().unwrap().contains("/topics"));
    assert_eq!(data(&none)["components"], json!([]));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_fallback_says_so_and_points_to_topics() {
    let env = Env::start().await;
    let question = env.question(ReplyKind::Fallback, FALLBACK);
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", question)).await;
    let e = embed(&cb);
    assert_eq!(e["title"], "I don't have an answer for that");
    assert!(e["description"].as_str().unwrap().contains("`/topics`"));
    assert_eq!(field(e, "Please note"), Some(env.engine.config().reply.notice.as_str()));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_emergency_gives_urgent_care_in_red_and_no_answer() {
    let env = Env::start().await;
    let question = env.question(ReplyKind::Emergency, EMERGENCY);
    let urgent = &env.engine.knowledge().safety.emergency;
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", question)).await;
    let e = embed(&cb);
    assert_eq!(e["color"], json!(colors::URGENT));
    assert!(e["title"].as_str().unwrap().contains(&urgent.title));
    assert_eq!(e["description"], json!(urgent.body));
    assert!(components(&cb).is_empty(), "no FAQ answer, nothing to click");
    assert_eq!(data(&cb)["embeds"].as_array().unwrap().len(), 1);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_too_long_gets_a_polite_note() {
    let env = Env::start().await;
    let max = env.engine.config().matcher.max_question_chars;
    let at_limit = "é".repeat(max);
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", &at_limit)).await;
    assert!(!content(&cb).contains("characters long"), "exactly at the limit is read");
    let over = "é".repeat(max + 1);
    let cb = env.interact(&InteractionBuilder::slash("ask").string("question", &over)).await;
    assert!(ephemeral(&cb));
    assert!(content(&cb).contains(&format!("{} characters long", max + 1)), "{}", content(&cb));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_cooldown_tells_seconds_left() {
    let env = Env::start_with(|c| c.discord.cooldown_seconds = 60, World::default()).await;
    let (question, _) = env.answerable();
    let first = env.interact(&InteractionBuilder::slash("ask").string("question", &question)).await;
    assert!(embed(&first).is_object());
    let second = env.interact(&InteractionBuilder::slash("ask").string("question", &question)).await;
    assert!(ephemeral(&second));
    let note = content(&second);
    assert!(note.starts_with("Please wait ") && note.contains(" more second"), "{note}");
    let seconds: u64 = note.split_whitespace().nth(2).and_then(|s| s.parse().ok()).expect("seconds in the note");
    assert!((1..=60).contains(&seconds), "{note}");
    // Another person is not held up.
    let other = InteractionBuilder::slash("ask")
        .string("question", &question)
        .in_guild(ids::GENERAL_CHANNEL_ID, ids::OWNER_USER_ID);
    assert!(embed(&env.interact(&other).await).is_object());
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_autocomplete_ranks_and_lists_topics() {
    let env = Env::start().await;
    let all = env.interact(&InteractionBuilder::autocomplete("faq").focused("topic", "")).await;
    assert_eq!(cb_type(&all), cb::AUTOCOMPLETE);
    let choices = data(&all)["choices"].as_array().unwrap().clone();
    let entries = env.engine.knowledge().entries.len();
    assert_eq!(choices.len(), entries.min(25));
    let names: Vec<String> = choices.iter().map(|c| c["name"].as_str().unwrap().to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "alphabetical: {names:?}");
    assert!(choices.iter().all(|c| c["name"].as_str().unwrap().chars().count() <= 100));

    let partial = "her2 score";
    let ranked = env.engine.rank_topics(partial);
    let typed = env.interact(&InteractionBuilder::autocomplete("faq").focused("topic", partial)).await;
    let first = &data(&typed)["choices"][0];
    assert_eq!(first["value"], json!(ranked[0].intent), "best match first");

    let post = env.interact(&InteractionBuilder::autocomplete("post").focused("topic", partial)).await;
    assert_eq!(data(&post)["choices"][0]["value"], json!(ranked[0].intent), "shared with /post");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_shows_one_entry_and_refuses_unknown_topics() {
    let env = Env::start().await;
    let entry = &env.engine.knowledge().entries[0];
    let cb = env.interact(&InteractionBuilder::slash("faq").string("topic", &entry.id)).await;
    assert_eq!(embed(&cb)["title"], json!(entry.question));
    assert_eq!(embed(&cb)["description"], json!(entry.answer));

    let cb = env.interact(&InteractionBuilder::slash("faq").string("topic", "@everyone no such topic <@&1>")).await;
    assert!(ephemeral(&cb));
    let note = content(&cb);
    assert!(note.starts_with("I don't know the topic"), "{note}");
    assert!(!note.contains("@everyone") && !note.contains("<@&"), "user text escaped: {note}");
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topics_lists_everything_and_a_menu_opens_one() {
    let env = Env::start().await;
    let cb = env.interact(&InteractionBuilder::slash("topics")).await;
    assert!(ephemeral(&cb));
    let menus = components(&cb);
    let entries = env.engine.knowledge().entries.len();
    assert_eq!(menus.len(), entries.div_ceil(25), "menus of at most 25");
    let options: usize = menus.iter().map(|m| m["options"].as_array().unwrap().len()).sum();
    assert_eq!(options, entries);
    let menu_id = menus.last().unwrap()["custom_id"].as_str().unwrap().to_string();
    let value = menus.last().unwrap()["options"][0]["value"].as_str().unwrap().to_string();

    let pick = env.interact(&InteractionBuilder::string_select(&menu_id, &[&value])).await;
    assert_eq!(cb_type(&pick), cb::MESSAGE);
    assert!(ephemeral(&pick));
    let entry = env.engine.knowledge().entry(&value).unwrap();
    assert_eq!(embed(&pick)["title"], json!(entry.question));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn about_says_what_the_bot_is_and_is_not() {
    let env = Env::start().await;
    let cb = env.interact(&InteractionBuilder::slash("about")).await;
    assert!(ephemeral(&cb));
    let e = embed(&cb);
    assert_eq!(e["title"], "About her2bot");
    assert!(field(e, "What it is not").unwrap().contains("not medical advice"));
    assert!(field(e, "Where answers come from").is_some());
    assert!(field(e, "How to use it").unwrap().contains("/ask"));
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_in_a_dm_works() {
    let env = Env::start().await;
    let (question, _) = env.answerable();
    let cb =
        env.interact(&InteractionBuilder::slash("ask").string("question", &question).in_dm(ids::MEMBER_USER_ID)).await;
    assert_eq!(embed(&cb)["title"], json!(env.engine.respond(&question).reply.title));
    env.finish().await;
}
