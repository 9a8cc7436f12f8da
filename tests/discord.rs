//! End-to-end tests of the Discord adapter: the real `her2bot::discord::start`
//! code path runs in-process against the fake Discord in
//! `tests/support/fake_discord` (REST + gateway). Every test checks what the
//! bot actually sent (the recorded REST requests), and ends by asserting
//! that every request body validates against Discord's OpenAPI spec and
//! that no message could ping anyone.

mod support;

#[path = "discord/env.rs"]
mod env;

#[path = "discord/cli.rs"]
mod cli;
#[path = "discord/commands.rs"]
mod commands;
#[path = "discord/components.rs"]
mod components;
#[path = "discord/durability.rs"]
mod durability;
#[path = "discord/messages.rs"]
mod messages;
#[path = "discord/post.rs"]
mod post;
#[path = "discord/privacy.rs"]
mod privacy;
#[path = "discord/reload.rs"]
mod reload;
#[path = "discord/resilience.rs"]
mod resilience;
#[path = "discord/schedule.rs"]
mod schedule;
#[path = "discord/store.rs"]
mod store;
