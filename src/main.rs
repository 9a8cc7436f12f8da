//! The `her2bot` command line. Parses arguments and calls the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    her2bot::cli::main()
}
