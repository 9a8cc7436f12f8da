//! Self-test of the fake Discord harness (`tests/support/fake_discord`).
//!
//! Proves, against a minimal serenity 0.12.5 client defined here, that the
//! fake speaks enough real gateway and REST protocol for end-to-end tests:
//! payload builders parse with serenity's models, REST answers parse, the
//! client connects (gateway URL from REST), gets READY, answers injected
//! interactions and messages with requests that validate against the OpenAPI
//! spec, resumes after a dropped connection without losing events, survives
//! injected REST failures, malformed frames and unknown events.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::{
    ApplicationId, ChannelId, Client, ClientBuilder, Command, CommandInteraction, ComponentInteraction, Context,
    CreateAllowedMentions, CreateAutocompleteResponse, CreateCommand, CreateEmbed, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EventHandler, GatewayIntents, GuildId, HttpError, Interaction,
    Message, Ready, ShardManager, UserId,
};
use support::fake_discord::*;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Upper bound for every wait, so a failure never hangs the suite.
const WAIT: Duration = Duration::from_secs(10);

// ----- a minimal bot ----------------------------------------------------------

/// What the test bot reports back to the test.
#[derive(Debug)]
enum Seen {
    Ready,
    /// An interaction was answered; `Err` holds `"STATUS CODE"` of a failed REST call.
    Interaction {
        id: u64,
        result: Result<(), String>,
    },
    /// A message was replied to.
    Message {
        id: u64,
        result: Result<(), String>,
    },
}

/// `"403 50013"` for a Discord error, the error text otherwise.
fn outcome<T>(result: serenity::Result<T>) -> Result<(), String> {
    result.map(drop).map_err(|e| match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            format!("{} {}", r.status_code.as_u16(), r.error.code)
        }
        other => other.to_string(),
    })
}

/// Answers every command with "pong", autocompletes with one choice,
/// component presses by updating the message, and human messages with a
/// "pong" reply.
struct PongBot {
    seen: mpsc::UnboundedSender<Seen>,
}

impl PongBot {
    async fn command(&self, ctx: &Context, cmd: &CommandInteraction) -> Seen {
        let message = CreateInteractionResponseMessage::new().content("pong");
        let result = cmd.create_response(&ctx.http, CreateInteractionResponse::Message(message)).await;
        Seen::Interaction { id: cmd.id.get(), result: outcome(result) }
    }

    async fn component(&self, ctx: &Context, press: &ComponentInteraction) -> Seen {
        let update = CreateInteractionResponseMessage::new().content("pong").components(vec![]);
        let result = press.create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update)).await;
        Seen::Interaction { id: press.id.get(), result: outcome(result) }
    }
}

#[serenity::async_trait]
impl EventHandler for PongBot {
    async fn ready(&self, _: Context, _: Ready) {
        let _ = self.seen.send(Seen::Ready);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let seen = match &interaction {
            Interaction::Command(cmd) => self.command(&ctx, cmd).await,
            Interaction::Autocomplete(ac) => {
                let choices = CreateAutocompleteResponse::new().add_string_choice("pong", "pong");
                let result = ac.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(choices)).await;
                Seen::Interaction { id: ac.id.get(), result: outcome(result) }
            }
            Interaction::Component(press) => self.component(&ctx, press).await,
            _ => return,
        };
        let _ = self.seen.send(seen);
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        // Not `msg.reply(..)`: serenity's reply re-enables @everyone/user/role
        // pings, overriding the Http's default allowed mentions.
        let reply =
            CreateMessage::new().content("pong").reference_message(&msg).allowed_mentions(CreateAllowedMentions::new());
        let result = msg.channel_id.send_message(&ctx.http, reply).await;
        let _ = self.seen.send(Seen::Message { id: msg.id.get(), result: outcome(result) });
    }
}

/// The intents the test bot asks for.
fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

/// A running serenity client connected to a fake.
struct TestBot {
    seen: mpsc::UnboundedReceiver<Seen>,
    shards: Arc<ShardManager>,
    task: JoinHandle<serenity::Result<()>>,
}

impl TestBot {
    /// Starts the client against `fake` and waits for its READY.
    async fn start(fake: &FakeDiscord) -> Self {
        let http = fake.http_builder().default_allowed_mentions(CreateAllowedMentions::new()).build();
        let (tx, seen) = mpsc::unbounded_channel();
        let mut client: Client = ClientBuilder::new_with_http(http, intents())
            .event_handler(PongBot { seen: tx })
            .await
            .expect("build serenity client");
        let shards = Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move { client.start().await });
        let mut bot = Self { seen, shards, task };
        bot.expect(|s| matches!(s, Seen::Ready)).await;
        bot
    }

    /// The next report matching `pred` (others are skipped); panics after [`WAIT`].
    async fn expect(&mut self, pred: impl Fn(&Seen) -> bool) -> Seen {
        let wait = async {
            while let Some(seen) = self.seen.recv().await {
                if pred(&seen) {
                    return Some(seen);
                }
            }
            None
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .expect("timed out waiting for the bot")
            .expect("bot handler channel closed")
    }

    /// The outcome of handling the interaction with this id.
    async fn interaction_result(&mut self, id: u64) -> Result<(), String> {
        match self.expect(|s| matches!(s, Seen::Interaction { id: i, .. } if *i == id)).await {
            Seen::Interaction { result, .. } => result,
            other => panic!("unexpected report {other:?}"),
        }
    }

    /// The outcome of replying to the message with this id.
    async fn message_result(&mut self, id: u64) -> Result<(), String> {
        match self.expect(|s| matches!(s, Seen::Message { id: i, .. } if *i == id)).await {
            Seen::Message { result, .. } => result,
            other => panic!("unexpected report {other:?}"),
        }
    }

    /// Shuts every shard down and waits for the client to return.
    async fn stop(self) {
        self.shards.shutdown_all().await;
        let _ = tokio::time::timeout(WAIT, self.task).await.expect("client did not stop");
    }
}

/// A fake with a 1 s heartbeat (heartbeats get exercised, yet a busy
/// machine does not miss an ACK window) and a client connected to it.
async fn fake_and_bot() -> (FakeDiscord, TestBot) {
    let config = FakeConfig { heartbeat_interval_ms: 1_000, ..FakeConfig::default() };
    let fake = FakeDiscord::start_with(config).await;
    let bot = TestBot::start(&fake).await;
    (fake, bot)
}

/// Waits for the request matching `pred`, panicking with the log on timeout.
async fn request(fake: &FakeDiscord, what: &str, pred: impl Fn(&Recorded) -> bool) -> Recorded {
    match fake.wait_for_request(pred, WAIT).await {
        Some(r) => r,
        None => panic!("no {what} request; log: {:#?}", fake.requests()),
    }
}

fn id_of(payload: &Value) -> u64 {
    payload["id"].as_str().and_then(|s| s.parse().ok()).expect("payload id")
}

// ----- payload builders --------------------------------------------------------

#[test]
fn interaction_builders_parse_with_serenity() {
    use serenity::all::{CommandDataOptionValue, CommandType, ComponentInteractionDataKind};
    let world = World::default();
    let parse = |b: &InteractionBuilder| -> Interaction {
        let data = b.build(&world);
        check_dispatch("INTERACTION_CREATE", &data).expect("serenity knows the event");
        serde_json::from_value(data).expect("serenity parses the interaction")
    };

    let slash = InteractionBuilder::slash("ask")
        .string("question", "what is HER2?")
        .boolean("private", true)
        .integer("count", 3)
        .channel("where", ids::GENERAL_CHANNEL_ID)
        .user("who", ids::MODERATOR_USER_ID);
    let Interaction::Command(cmd) = parse(&slash) else { panic!("not a command") };
    assert_eq!(cmd.data.name, "ask");
    assert_eq!(cmd.data.id.get(), command_id_for("ask"));
    assert_eq!(cmd.guild_id, Some(GuildId::new(ids::GUILD_ID)));
    let member = cmd.member.as_ref().expect("guild interaction has a member");
    assert_eq!(member.user.id.get(), ids::MEMBER_USER_ID);
    let app_perms = cmd.app_permissions.expect("app_permissions");
    assert!(app_perms.send_messages() && app_perms.embed_links());
    let opts = cmd.data.options();
    assert_eq!(opts.len(), 5);
    let question = cmd.data.options.iter().find(|o| o.name == "question").expect("question");
    assert_eq!(question.value.as_str(), Some("what is HER2?"));
    assert!(cmd.data.resolved.channels.contains_key(&ChannelId::new(ids::GENERAL_CHANNEL_ID)));
    assert!(cmd.data.resolved.members.contains_key(&UserId::new(ids::MODERATOR_USER_ID)));
    let channel = cmd.data.options.iter().find(|o| o.name == "where").expect("where");
    assert!(matches!(channel.value, CommandDataOptionValue::Channel(c) if c.get() == ids::GENERAL_CHANNEL_ID));

    let restricted = InteractionBuilder::slash("ask").in_guild(ids::RESTRICTED_CHANNEL_ID, ids::MEMBER_USER_ID);
    let Interaction::Command(cmd) = parse(&restricted) else { panic!("not a command") };
    let app_perms = cmd.app_permissions.expect("app_permissions");
    assert!(!app_perms.send_messages() && !app_perms.embed_links());

    let dm = InteractionBuilder::slash("ask").string("question", "hi").in_dm(ids::MEMBER_USER_ID);
    let Interaction::Command(cmd) = parse(&dm) else { panic!("not a command") };
    assert_eq!(cmd.guild_id, None);
    assert!(cmd.member.is_none());
    assert_eq!(cmd.user.id.get(), ids::MEMBER_USER_ID);
    assert_eq!(cmd.channel_id.get(), ids::DM_CHANNEL_ID);

    let target = MessageBuilder::guild("HER2 is a receptor").build(&world);
    let menu = InteractionBuilder::message_command("Explain", target.clone());
    let Interaction::Command(cmd) = parse(&menu) else { panic!("not a command") };
    assert_eq!(cmd.data.kind, CommandType::Message);
    let target_id = id_of(&target);
    assert_eq!(cmd.data.target_id.map(|t| t.get()), Some(target_id));
    let resolved = cmd.data.resolved.messages.values().next().expect("resolved message");
    assert_eq!(resolved.content, "HER2 is a receptor");

    let Interaction::Component(press) = parse(&InteractionBuilder::button("more:1")) else { panic!("not a component") };
    assert_eq!(press.data.custom_id, "more:1");
    assert!(matches!(press.data.kind, ComponentInteractionDataKind::Button));
    assert_eq!(press.message.components.len(), 1);

    let select = InteractionBuilder::string_select("topic", &["dosing"]).in_dm(ids::MEMBER_USER_ID);
    let Interaction::Component(press) = parse(&select) else { panic!("not a component") };
    assert!(matches!(&press.data.kind,
        ComponentInteractionDataKind::StringSelect { values } if values == &["dosing".to_owned()]));

    for origin in
        [InteractionBuilder::autocomplete("ask"), InteractionBuilder::autocomplete("ask").in_dm(ids::MEMBER_USER_ID)]
    {
        let Interaction::Autocomplete(ac) = parse(&origin.focused("question", "her")) else {
            panic!("not an autocomplete")
        };
        let focused = ac.data.autocomplete().expect("focused option");
        assert_eq!((focused.name, focused.value), ("question", "her"));
    }
}

#[test]
fn message_and_guild_builders_parse_with_serenity() {
    use serenity::all::{Guild, GuildChannel, Member, Role, User};
    let world = World::default();

    let guild_msg = MessageBuilder::guild(&mention_bot("what is trastuzumab?")).build(&world);
    check_dispatch("MESSAGE_CREATE", &guild_msg).expect("serenity knows MESSAGE_CREATE");
    let msg: Message = serde_json::from_value(guild_msg).expect("guild message parses");
    assert_eq!(msg.guild_id, Some(GuildId::new(ids::GUILD_ID)));
    assert!(msg.mentions.iter().any(|u| u.id.get() == ids::BOT_USER_ID && u.bot));
    assert!(msg.member.is_some());

    let dm_msg = MessageBuilder::dm("hello").build(&world);
    check_dispatch("MESSAGE_CREATE", &dm_msg).expect("serenity knows MESSAGE_CREATE");
    let msg: Message = serde_json::from_value(dm_msg).expect("DM message parses");
    assert_eq!((msg.guild_id, msg.channel_id.get()), (None, ids::DM_CHANNEL_ID));
    assert!(msg.mentions.is_empty());

    let reply: Message =
        serde_json::from_value(MessageBuilder::guild("re").reply_to(42).build(&world)).expect("reply parses");
    assert_eq!(reply.message_reference.and_then(|r| r.message_id).map(|m| m.get()), Some(42));

    let guild_create = guild_create_json(&world);
    check_dispatch("GUILD_CREATE", &guild_create).expect("serenity knows GUILD_CREATE");
    let guild: Guild = serde_json::from_value(guild_create).expect("guild parses");
    assert_eq!((guild.roles.len(), guild.channels.len(), guild.members.len()), (3, 4, 4));
    let restricted = &guild.channels[&ChannelId::new(ids::RESTRICTED_CHANNEL_ID)];
    assert!(restricted.permission_overwrites[0].deny.send_messages());

    let ready = ready_json(&world, "s1", &json!([0, 1]), "ws://127.0.0.1:1");
    check_dispatch("READY", &ready).expect("serenity parses READY");

    let _: Member =
        serde_json::from_value(world_member_json(&world, ids::MODERATOR_USER_ID, Some(8))).expect("member parses");
    let _: Role = serde_json::from_value(role_json(&world.roles[2], &world)).expect("role parses");
    let bot: User = serde_json::from_value(world_user(&world, ids::BOT_USER_ID)).expect("user parses");
    assert!(bot.bot && bot.discriminator.is_none());
    let _: GuildChannel = serde_json::from_value(channel_json(&world.channels[1], &world)).expect("channel parses");
    let sent: Message = serde_json::from_value(bot_message_from_body(
        &world,
        ids::GENERAL_CHANNEL_ID,
        next_snowflake(),
        &json!({ "content": "hi", "embeds": [{ "title": "t", "description": "d" }] }),
    ))
    .expect("bot message parses");
    assert_eq!(sent.embeds.len(), 1);

    let broken = json!({ "id": "1", "type": 2, "token": "t" });
    assert!(check_dispatch("INTERACTION_CREATE", &broken).is_err(), "broken payload is flagged");
}

#[test]
fn world_permissions_follow_discords_algorithm() {
    let w = World::default();
    let bot = w.bot_user_id;
    let has = |user, channel, bit| w.channel_permissions(user, channel) & bit != 0;
    assert!(has(bot, ids::GENERAL_CHANNEL_ID, perm::SEND_MESSAGES));
    assert!(has(bot, ids::GENERAL_CHANNEL_ID, perm::EMBED_LINKS));
    assert!(!has(bot, ids::RESTRICTED_CHANNEL_ID, perm::SEND_MESSAGES));
    assert!(!has(bot, ids::RESTRICTED_CHANNEL_ID, perm::EMBED_LINKS));
    assert!(has(bot, ids::NO_EMBEDS_CHANNEL_ID, perm::SEND_MESSAGES));
    assert!(!has(bot, ids::NO_EMBEDS_CHANNEL_ID, perm::EMBED_LINKS));
    assert!(has(ids::MEMBER_USER_ID, ids::RESTRICTED_CHANNEL_ID, perm::SEND_MESSAGES));
    assert!(has(ids::MODERATOR_USER_ID, ids::GENERAL_CHANNEL_ID, perm::MANAGE_MESSAGES));
    assert!(!has(ids::MEMBER_USER_ID, ids::GENERAL_CHANNEL_ID, perm::MANAGE_MESSAGES));
    assert_eq!(w.channel_permissions(ids::OWNER_USER_ID, ids::GENERAL_CHANNEL_ID), perm::ALL);
}

// ----- OpenAPI and mention rules ---------------------------------------------

#[test]
fn openapi_matching_validation_and_mention_rule() {
    let spec = openapi().expect("spec loads");
    let template = |m, p| spec.find_operation(m, p).map(|(t, _)| t.to_owned());
    assert_eq!(
        template("PATCH", "/api/v10/webhooks/1/tok/messages/@original").as_deref(),
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    );
    assert_eq!(template("GET", "/api/v10/users/@me").as_deref(), Some("/users/@me"));
    assert_eq!(template("GET", "/api/v10/no/such/route"), None);

    let callback = "/api/v10/interactions/1/tok/callback";
    let good = json!({ "type": 4, "data": { "content": "x", "allowed_mentions": { "parse": [] } } });
    spec.validate("POST", callback, &good).expect("good callback validates");
    assert!(spec.validate("POST", callback, &json!({ "type": 4, "data": { "content": 5 } })).is_err());
    let too_long = json!({ "content": "x".repeat(4001) }); // the spec's (Nitro) limit
    assert!(spec.validate("POST", "/api/v10/channels/1/messages", &too_long).is_err());
    let commands = json!([{ "name": "ask", "description": "Ask", "default_member_permissions": "8" }]);
    spec.validate("PUT", "/api/v10/applications/1/commands", &commands)
        .expect("permission strings are accepted (spec quirk)");

    let ok = json!({ "allowed_mentions": { "parse": [], "users": [], "roles": [] } });
    allowed_mentions_parse_nothing(&ok).expect("nothing parsed");
    for bad in [
        json!({ "content": "x" }),
        json!({ "allowed_mentions": { "parse": ["users"] } }),
        json!({ "allowed_mentions": { "parse": [], "users": ["1"] } }),
        json!({ "allowed_mentions": { "replied_user": true } }),
    ] {
        assert!(allowed_mentions_parse_nothing(&bad).is_err(), "{bad} must be rejected");
    }
    let deferred = json!({ "type": 5 });
    assert!(message_payload("POST", callback, &deferred).is_none());
    assert!(message_payload("POST", callback, &good).is_some());
}

// ----- REST, without a gateway --------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_routes_answer_what_serenity_expects() {
    use serenity::all::{Channel, Permissions};
    let fake = FakeDiscord::start().await;
    let http = fake
        .http_builder()
        .default_allowed_mentions(CreateAllowedMentions::new())
        .application_id(ApplicationId::new(ids::APPLICATION_ID)) // a client learns it from READY
        .build();
    let guild = GuildId::new(ids::GUILD_ID);

    assert_eq!(http.get_gateway().await.expect("gateway").url, fake.ws_url());
    assert_eq!(http.get_bot_gateway().await.expect("bot gateway").shards, 1);
    assert_eq!(http.get_current_user().await.expect("current user").id.get(), ids::BOT_USER_ID);
    let app = http.get_current_application_info().await.expect("application info");
    assert_eq!(app.id.get(), ids::APPLICATION_ID);

    let ask = CreateCommand::new("ask").description("Ask a question");
    let modc = CreateCommand::new("purge")
        .description("Moderators only")
        .default_member_permissions(Permissions::MANAGE_MESSAGES);
    let global = Command::set_global_commands(&http, vec![ask, modc]).await.expect("global commands");
    assert_eq!(global[0].id.get(), command_id_for("ask"));
    assert_eq!(global[1].default_member_permissions, Some(Permissions::MANAGE_MESSAGES));
    let local = guild.set_commands(&http, vec![CreateCommand::new("ping").description("p")]).await;
    assert_eq!(local.expect("guild commands")[0].guild_id, Some(guild));
    assert_eq!((fake.registered_commands(None).len(), fake.registered_commands(Some(ids::GUILD_ID)).len()), (2, 1));

    assert_eq!(http.get_guild(guild).await.expect("guild").name, "Her2 Test Guild");
    assert_eq!(http.get_guild_roles(guild).await.expect("roles").len(), 3);
    let member = http.get_member(guild, UserId::new(ids::MODERATOR_USER_ID)).await.expect("member");
    assert_eq!(member.roles[0].get(), ids::MODERATOR_ROLE_ID);
    assert_eq!(outcome(http.get_member(guild, UserId::new(7)).await), Err("404 10007".to_owned()));
    assert!(matches!(http.get_channel(ChannelId::new(ids::GENERAL_CHANNEL_ID)).await, Ok(Channel::Guild(_))));
    assert!(matches!(http.get_channel(ChannelId::new(ids::DM_CHANNEL_ID)).await, Ok(Channel::Private(_))));
    let dm = UserId::new(ids::MEMBER_USER_ID).create_dm_channel(&http).await.expect("create DM");
    assert_eq!(dm.id.get(), ids::DM_CHANNEL_ID);
    assert_eq!(outcome(http.get_emojis(guild).await), Err("404 0".to_owned()), "unknown route");

    let general = ChannelId::new(ids::GENERAL_CHANNEL_ID);
    let sent = general.say(&http, "hello").await.expect("post in #general");
    assert_eq!((sent.content.as_str(), sent.author.id.get()), ("hello", ids::BOT_USER_ID));
    general.broadcast_typing(&http).await.expect("typing");
    let restricted = ChannelId::new(ids::RESTRICTED_CHANNEL_ID);
    assert_eq!(outcome(restricted.say(&http, "hi").await), Err("403 50013".to_owned()));
    let no_embeds = ChannelId::new(ids::NO_EMBEDS_CHANNEL_ID);
    let embed = CreateMessage::new().embed(CreateEmbed::new().title("t").description("d"));
    assert_eq!(outcome(no_embeds.send_message(&http, embed).await), Err("403 50013".to_owned()));
    no_embeds.say(&http, "plain text works").await.expect("text without embed");
    // serenity's builders refuse >2000 chars client-side; the raw call shows the fake's limit.
    let too_long = json!({ "content": "x".repeat(2001), "allowed_mentions": { "parse": [] } });
    assert_eq!(outcome(http.send_message(general, vec![], &too_long).await), Err("400 50035".to_owned()));

    fake.fail_next("GET", "/users/@me", 503, 1);
    assert_eq!(outcome(http.get_current_user().await), Err("503 0".to_owned()));
    http.get_current_user().await.expect("fault used up");

    // serenity's `Message::reply` overrides the default allowed mentions
    // with "ping everyone, all users, all roles": the mention check catches it.
    let incoming: Message =
        serde_json::from_value(MessageBuilder::guild("hi").build(&fake.world())).expect("message parses");
    incoming.reply(&http, "pong").await.expect("reply posts");

    // A body that breaks the spec (embeds must be an array) is reported.
    let invalid_body = json!({ "content": "x", "embeds": "oops", "allowed_mentions": { "parse": [] } });
    http.send_message(general, vec![], &invalid_body).await.expect("the fake still answers");

    let log = fake.requests();
    assert_eq!(log[0].authorization.as_deref(), Some(format!("Bot {TEST_TOKEN}").as_str()));
    assert!(log.iter().any(|r| r.status == 404 && r.api_path().ends_with("/emojis")));
    let violations = fake.mention_violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert!(violations[0].error.contains("parse"), "{}", violations[0]);
    let invalid = fake.validation_errors();
    assert_eq!(invalid.len(), 1, "{invalid:#?}");
    assert!(invalid[0].error.contains("/embeds"), "{}", invalid[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_callbacks_and_webhooks_follow_discords_rules() {
    use serenity::all::{CreateInteractionResponseFollowup, EditInteractionResponse, InteractionId};
    use serenity::http::{LightMethod, Request, Route};
    let fake = FakeDiscord::start().await;
    let http = fake
        .http_builder()
        .default_allowed_mentions(CreateAllowedMentions::new())
        .application_id(ApplicationId::new(ids::APPLICATION_ID))
        .build();
    let command = |data: Value| match serde_json::from_value(data).expect("interaction parses") {
        Interaction::Command(cmd) => cmd,
        other => panic!("not a command: {other:?}"),
    };

    let cmd = command(fake.interaction_create(&InteractionBuilder::slash("ask")));
    assert_eq!(outcome(cmd.get_response(&http).await), Err("404 10015".to_owned()), "before ack");
    cmd.defer(&http).await.expect("deferred");
    assert_eq!(outcome(cmd.defer(&http).await), Err("400 40060".to_owned()), "second ack");
    // `EditInteractionResponse` ignores the Http's default allowed mentions:
    // set them explicitly (the naked edit below is caught by the fake).
    let edit = EditInteractionResponse::new().content("done").allowed_mentions(CreateAllowedMentions::new());
    assert_eq!(cmd.edit_response(&http, edit).await.expect("edit original").content, "done");
    assert_eq!(cmd.get_response(&http).await.expect("get original").content, "done");
    let more = CreateInteractionResponseFollowup::new().content("more");
    assert_eq!(cmd.create_followup(&http, more).await.expect("followup").content, "more");
    let naked = EditInteractionResponse::new().content("done!");
    cmd.edit_response(&http, naked).await.expect("edit without allowed_mentions");
    cmd.delete_response(&http).await.expect("delete original");
    assert_eq!(outcome(cmd.get_response(&http).await), Err("404 10008".to_owned()), "deleted");

    let ghost = command(InteractionBuilder::slash("ask").build(&fake.world())); // never dispatched
    assert_eq!(outcome(ghost.defer(&http).await), Err("404 10062".to_owned()));
    let auto = InteractionBuilder::autocomplete("ask").focused("question", "h");
    let Interaction::Autocomplete(ac) =
        serde_json::from_value(fake.interaction_create(&auto)).expect("autocomplete parses")
    else {
        panic!("not an autocomplete")
    };
    let wrong = CreateInteractionResponse::Message(CreateInteractionResponseMessage::new().content("x"));
    assert_eq!(outcome(ac.create_response(&http, wrong).await), Err("400 50035".to_owned()));

    // `?with_response=true` answers 200 with the callback resource.
    let with = InteractionBuilder::slash("ask");
    fake.interaction_create(&with);
    let body = json!({ "type": 4, "data": { "content": "hi", "allowed_mentions": { "parse": [] } } });
    let route = Route::InteractionResponse { interaction_id: InteractionId::new(with.id()), token: with.token() };
    let request = Request::new(route, LightMethod::Post)
        .body(Some(serde_json::to_vec(&body).expect("serialize")))
        .params(Some(vec![("with_response", "true".to_owned())]));
    let response = http.request(request).await.expect("callback with response");
    let bytes = response.bytes().await.expect("answer body");
    let answer: Value = serde_json::from_slice(&bytes).expect("JSON answer");
    assert_eq!(answer["resource"]["message"]["content"], json!("hi"));
    let last = fake.requests().pop().expect("recorded");
    assert_eq!(last.query_param("with_response"), Some("true"));

    let violations = fake.mention_violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert!(violations[0].path.ends_with("/messages/@original") && violations[0].method == "PATCH");
    let invalid = fake.validation_errors();
    assert!(invalid.is_empty(), "{invalid:#?}");
    assert!(fake.dispatch_warnings().is_empty());
}

// ----- end to end through the gateway ---------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_connects_and_answers_interactions_and_messages() {
    let (fake, mut bot) = fake_and_bot().await;

    let first = &fake.requests()[0];
    assert_eq!((first.method.as_str(), first.path.as_str()), ("GET", "/api/v10/gateway"));
    let stats = fake.gateway_stats();
    assert_eq!(stats.connect_queries, vec!["v=10".to_owned()]);
    assert_eq!(stats.intents, Some(intents().bits()));
    let identify = stats.last_identify.expect("identify payload");
    assert_eq!(identify["compress"], json!(true));
    assert_eq!(identify["shard"], json!([0, 1]));

    // Slash command in a guild.
    let ask = InteractionBuilder::slash("ask").string("question", "hi").boolean("private", false);
    fake.interaction_create(&ask);
    assert_eq!(bot.interaction_result(ask.id()).await, Ok(()));
    let cb = request(&fake, "callback", |r| r.is("POST", &ask.callback_path())).await;
    assert_eq!(cb.status, 204);
    let body = cb.body.expect("callback body");
    assert_eq!((body["type"].clone(), body["data"]["content"].clone()), (json!(4), json!("pong")));
    assert_eq!(body["data"]["allowed_mentions"]["parse"], json!([]));

    // Slash command in a DM, autocomplete, button press.
    let dm = InteractionBuilder::slash("ask").in_dm(ids::MEMBER_USER_ID);
    let auto = InteractionBuilder::autocomplete("ask").focused("question", "he");
    let button = InteractionBuilder::button("again");
    for i in [&dm, &auto, &button] {
        fake.interaction_create(i);
        assert_eq!(bot.interaction_result(i.id()).await, Ok(()));
    }
    let cb_type = |i: &InteractionBuilder| {
        let r = fake.requests().into_iter().find(|r| r.is("POST", &i.callback_path()));
        r.and_then(|r| r.body).map(|b| b["type"].clone())
    };
    assert_eq!((cb_type(&auto), cb_type(&button)), (Some(json!(8)), Some(json!(7))));

    // Messages: a mention in #general and a DM get replies.
    for msg in [MessageBuilder::guild(&mention_bot("question")), MessageBuilder::dm("question")] {
        let mark = fake.request_count();
        fake.message_create(&msg);
        assert_eq!(bot.message_result(msg.id).await, Ok(()));
        let path = format!("/channels/{}/messages", msg.channel_id);
        let reply = fake.wait_for_request_after(mark, |r| r.is("POST", &path), WAIT).await.expect("reply");
        let body = reply.body.expect("reply body");
        assert_eq!(body["content"], json!("pong"));
        assert_eq!(body["message_reference"]["message_id"], json!(msg.id.to_string()));
    }

    assert!(fake.wait_for_gateway(|s| s.heartbeats >= 1, WAIT).await.is_some(), "heartbeats acked");
    fake.assert_requests_clean();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connection_resumes_and_replays_missed_events() {
    let (fake, mut bot) = fake_and_bot().await;

    // Hold the reconnect so the interaction is surely sent while disconnected.
    fake.hold_connections();
    fake.drop_connections();
    let missed = InteractionBuilder::slash("ask");
    fake.interaction_create(&missed);
    fake.release_connections();
    assert_eq!(bot.interaction_result(missed.id()).await, Ok(()));
    let stats = fake.wait_for_gateway(|s| s.successful_resumes == 1, WAIT).await.expect("resumed");
    assert_eq!((stats.identifies, stats.resumes, stats.connections), (1, 1, 2));
    assert!(stats.replayed >= 1, "the missed interaction was replayed");

    // A close frame (4000) and RECONNECT (op 7) also lead to RESUME.
    fake.close_connections(4000, "Unknown error");
    fake.wait_for_gateway(|s| s.successful_resumes == 2, WAIT).await.expect("resumed after close");
    fake.request_reconnect();
    fake.wait_for_gateway(|s| s.successful_resumes == 3, WAIT).await.expect("resumed after op 7");
    let after = InteractionBuilder::slash("ask");
    fake.interaction_create(&after);
    assert_eq!(bot.interaction_result(after.id()).await, Ok(()));
    assert_eq!(fake.gateway_stats().identifies, 1, "never re-identified");

    fake.assert_requests_clean();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_session_makes_the_client_resume_or_identify_anew() {
    let (fake, mut bot) = fake_and_bot().await;

    fake.invalidate_session(true); // resumable: RESUME
    fake.wait_for_gateway(|s| s.successful_resumes == 1, WAIT).await.expect("resumed");

    // Not resumable: serenity restarts the shard (its queuer waits up to 5 s
    // between IDENTIFYs) and the fake starts a new session with READY.
    fake.invalidate_session(false);
    bot.expect(|s| matches!(s, Seen::Ready)).await;
    let stats = fake.gateway_stats();
    assert_eq!((stats.identifies, stats.readies), (2, 2));
    let after = InteractionBuilder::slash("ask");
    assert_eq!(fake.interaction_create(&after)["id"], json!(after.id().to_string()));
    assert_eq!(bot.interaction_result(after.id()).await, Ok(()));

    fake.assert_requests_clean();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_rest_failure_reaches_the_handler_and_the_client_keeps_serving() {
    let (fake, mut bot) = fake_and_bot().await;

    fake.fail_next("POST", "/interactions/", 500, 1);
    let failing = InteractionBuilder::slash("ask");
    fake.interaction_create(&failing);
    assert_eq!(bot.interaction_result(failing.id()).await, Err("500 0".to_owned()));
    let recorded = request(&fake, "failed callback", |r| r.is("POST", &failing.callback_path())).await;
    assert_eq!(recorded.status, 500);

    let next = InteractionBuilder::slash("ask");
    fake.interaction_create(&next);
    assert_eq!(bot.interaction_result(next.id()).await, Ok(()));

    // Denied channel: the reply fails with Discord's 403 / 50013.
    let msg = MessageBuilder::guild(&mention_bot("hi")).channel(ids::RESTRICTED_CHANNEL_ID);
    fake.message_create(&msg);
    assert_eq!(bot.message_result(msg.id).await, Err("403 50013".to_owned()));

    assert_eq!(fake.gateway_stats().identifies, 1);
    fake.assert_requests_clean();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_frames_and_unknown_events_do_not_kill_the_session() {
    let (fake, mut bot) = fake_and_bot().await;

    fake.send_raw("{this is not json");
    fake.send_raw(r#"{"op":0,"t":"MESSAGE_CREATE","s":null,"d":{}}"#);
    fake.send_dispatch("SOME_FUTURE_EVENT", json!({ "anything": [1, 2, 3] }));
    // serenity silently drops an interaction it cannot parse ...
    let mut broken = InteractionBuilder::slash("ask").build(&fake.world());
    broken.as_object_mut().expect("object").remove("attachment_size_limit");
    fake.send_dispatch("INTERACTION_CREATE", broken.clone());
    // ... and keeps handling the next one.
    let good = InteractionBuilder::slash("ask");
    fake.interaction_create(&good);
    assert_eq!(bot.interaction_result(good.id()).await, Ok(()));

    let broken_cb = format!("/interactions/{}/", id_of(&broken));
    assert!(!fake.requests().iter().any(|r| r.api_path().starts_with(&broken_cb)), "dropped");
    let warnings = fake.dispatch_warnings();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[1].contains("attachment_size_limit"), "{}", warnings[1]);
    let stats = fake.gateway_stats();
    assert_eq!((stats.identifies, stats.resumes, stats.connections), (1, 0, 1));

    assert!(fake.validation_errors().is_empty());
    assert!(fake.mention_violations().is_empty());
    bot.stop().await;
}
