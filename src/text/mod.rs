//! Text normalisation: the small, separately tested steps that turn what a
//! person typed into comparable tokens.
//!
//! The pipeline is `clean` (Discord markup, Unicode, case) → `tokenize`
//! (words, numbers, `3+`-style scores) → `stem` (a light English suffix
//! stripper). Typo correction and synonyms live in [`crate::lexicon`], because
//! they depend on the knowledge base's vocabulary.

mod clean;
mod stem;
mod tokenize;

pub use clean::clean;
pub use stem::{stem, stem_in_place};
pub use tokenize::tokenize;
