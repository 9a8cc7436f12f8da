//! The matcher: scores a question against every FAQ entry through an
//! inverted index, then decides whether to answer, ask or decline.
//!
//! Pure and deterministic: no I/O, no randomness, ties broken by entry order.

mod decide;
mod index;
mod model;

pub use decide::{Decision, Thresholds, decide};
pub use index::{Index, Scored};
