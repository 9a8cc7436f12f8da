//! `her2bot chat`: an interactive session in the terminal.

use std::io::{BufRead, IsTerminal, Write};

use crate::engine::Engine;

const HELP: &str =
    "Type a question and press Enter. Commands: /topics lists every topic, /faq ID shows one, /quit ends.";

/// Reads questions line by line until end of input or `/quit`.
pub fn run(engine: &Engine, input: impl BufRead, mut out: impl Write) -> std::io::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    writeln!(out, "her2bot: HER2 breast cancer FAQ ({} topics). {HELP}\n", engine.knowledge().entries.len())?;
    if interactive {
        write!(out, "> ")?;
        out.flush()?;
    }
    for line in input.lines() {
        let line = line.unwrap_or_default();
        let line = line.trim();
        match line.split_once(' ').map_or((line, ""), |(a, b)| (a, b.trim())) {
            ("/quit" | "/exit", _) => break,
            ("/help", _) => writeln!(out, "{HELP}")?,
            ("/topics", _) => {
                for e in &engine.knowledge().entries {
                    writeln!(out, "  {:<26} {}", e.id, e.question)?;
                }
            }
            ("/faq", id) => match engine.entry_reply(id) {
                Some(reply) => write!(out, "{reply}")?,
                None => writeln!(out, "There is no topic `{id}`. /topics lists them.")?,
            },
            _ => write!(out, "{}", engine.respond(line).reply)?,
        }
        writeln!(out)?;
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
    }
    Ok(())
}
