//! The command line: `ask`, `classify`, `chat`, `check`, `topics`, `review`,
//! `run`.
//! Each subcommand is one function; `main` maps results to exit codes.

mod chat;
mod check;
mod classify;
mod review;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::Engine;
use crate::knowledge::Problems;

/// Answers questions about HER2 breast cancer from a reviewed FAQ.
#[derive(Debug, Parser)]
#[command(name = "her2bot", version, about, long_about = None)]
pub struct Cli {
    /// Knowledge directory (default: the knowledge built into the binary).
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// Config file (default: the config/bot.toml built into the binary).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question, as a person would read it.
    Ask {
        /// The question.
        question: String,
        /// Print the whole response as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Classify one question per stdin line; one JSON object per stdout line.
    Classify,
    /// An interactive session in the terminal (no token, no config needed).
    Chat,
    /// Show how a question is understood: its tokens and the full response.
    Explain {
        /// The question.
        question: String,
    },
    /// Validate knowledge and config and run the self-test.
    Check,
    /// List every topic the bot can answer.
    Topics,
    /// Report from the store, offline: asks per topic, helpful share,
    /// decision mix, unanswered questions grouped (as /faq-stats shows).
    Review(review::ReviewArgs),
    /// Run the Discord bot (token from DISCORD_TOKEN or .env).
    Run(crate::discord::RunArgs),
}

/// Runs the CLI with the process arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(problems) => {
            eprintln!("her2bot: {problems}");
            ExitCode::from(1)
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Problems> {
    if let Command::Check = cli.command {
        return Ok(check::run(cli.knowledge.as_deref(), cli.config.as_deref()));
    }
    let engine = Engine::load(cli.knowledge.as_deref(), cli.config.as_deref())?;
    let io = |r: std::io::Result<()>| match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("her2bot: {e}");
            ExitCode::from(1)
        }
    };
    Ok(match cli.command {
        Command::Ask { question, json } => {
            let response = engine.respond(&question);
            let mut out = std::io::stdout().lock();
            io(if json {
                serde_json::to_writer_pretty(&mut out, &response)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out))
            } else {
                write!(out, "{}", response.reply)
            })
        }
        Command::Explain { question } => {
            let mut out = std::io::stdout().lock();
            let response = engine.respond(&question);
            io(writeln!(out, "tokens: {}", engine.analyze(&question).join(" "))
                .and_then(|()| serde_json::to_writer_pretty(&mut out, &response).map_err(std::io::Error::from))
                .and_then(|()| writeln!(out)))
        }
        Command::Classify => io(classify::run(&engine, std::io::stdin().lock(), std::io::stdout().lock())),
        Command::Chat => io(chat::run(&engine, std::io::stdin().lock(), std::io::stdout().lock())),
        Command::Topics => {
            let mut out = std::io::stdout().lock();
            io(engine.knowledge().entries.iter().try_for_each(|e| writeln!(out, "{:<26} {}", e.id, e.question)))
        }
        Command::Review(args) => review::run(&engine, &args),
        Command::Run(args) => {
            let sources = crate::reload::Sources::new(cli.knowledge.clone(), cli.config.clone());
            crate::discord::run(engine, args, sources)
        }
        Command::Check => unreachable!("handled above"),
    })
}
