//! her2bot: answers patients' and relatives' questions about HER2 breast
//! cancer from a reviewed FAQ, or says honestly that it cannot.
//!
//! The core ([`knowledge`], [`text`], [`lexicon`], [`matcher`], [`safety`],
//! [`reply`], [`engine`]) is platform-neutral, and so is the [`store`] of
//! what moderators see; the Discord adapter is a thin layer over
//! [`engine::Engine`] and the store.

pub mod cli;
pub mod clock;
pub mod config;
pub mod date;
pub mod discord;
pub mod engine;
pub mod knowledge;
pub mod lexicon;
pub mod matcher;
mod par;
pub mod phrases;
pub mod reload;
pub mod reply;
pub mod safety;
pub mod secrets;
pub mod smalltalk;
pub mod store;
pub mod text;
pub mod typo;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use engine::{Engine, Response};
