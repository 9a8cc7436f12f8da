//! Shared helpers for integration tests. `mod support;` in a test file, then
//! `use support::fake_discord::*;`.

pub mod fake_discord;
