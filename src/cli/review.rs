//! `her2bot review [--days N] [--format md|json] [--store PATH] [--guild ID]`:
//! the moderators' report, offline, from the store file.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::clock::{Clock, SystemClock};
use crate::engine::Engine;
use crate::store::{StatsQuery, Store};

/// Most unanswered groups listed.
const GROUPS: usize = 20;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown, for people.
    Md,
    /// JSON, for tools.
    Json,
}

/// Options of `her2bot review`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReviewArgs {
    /// Days to report on, ending today (UTC).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// The store file (default: store.path from the config).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Only this server (default: all).
    #[arg(long, value_name = "ID")]
    pub guild: Option<u64>,
}

/// Prints the report; exit 1 with a message if the store cannot be read.
pub fn run(engine: &Engine, args: &ReviewArgs) -> ExitCode {
    let config = &engine.config().store;
    let path = args.store.clone().unwrap_or_else(|| PathBuf::from(&config.path));
    let query = StatsQuery {
        today: SystemClock.today(),
        days: args.days,
        guild: args.guild,
        max_groups: GROUPS,
        text_kept: config.keep_unanswered_text,
    };
    let stats = match Store::open_existing(&path).and_then(|store| store.stats(&query)) {
        Ok(stats) => stats,
        Err(e) => {
            eprintln!("her2bot: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Md => write!(out, "{}", stats.to_markdown()),
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &stats).map_err(std::io::Error::from).and_then(|()| writeln!(out))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("her2bot: {e}");
            ExitCode::from(1)
        }
    }
}
