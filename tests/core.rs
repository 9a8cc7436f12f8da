//! Black-box and property tests of the answering core and the CLI.

mod core {
    pub mod cli;
    pub mod knowledge_errors;
    pub mod properties;
    pub mod responses;
    pub mod safety;
    pub mod testing;
}
