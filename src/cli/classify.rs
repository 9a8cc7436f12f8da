//! `her2bot classify`: the contract of the evaluation script. One question
//! per input line; one JSON object per output line, in the same order:
//! `{"decision", "intent", "score", "candidates": [{"intent", "score"}]}`.

use std::io::{BufRead, BufWriter, Write};

use serde::Serialize;

use crate::engine::{Candidate, DecisionKind, Engine};

#[derive(Serialize)]
struct Line<'a> {
    decision: DecisionKind,
    intent: Option<&'a str>,
    score: f32,
    candidates: &'a [Candidate],
}

/// Classifies every line of `input` (lines that are not valid UTF-8 are
/// read lossily, never skipped, so output stays in step with input).
pub fn run(engine: &Engine, mut input: impl BufRead, output: impl Write) -> std::io::Result<()> {
    let mut out = BufWriter::new(output);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let r = engine.respond(line.trim_end_matches(['\n', '\r']));
        let line = Line {
            decision: r.decision,
            intent: r.intent.as_deref(),
            score: (r.score * 10_000.0).round() / 10_000.0,
            candidates: &r.candidates,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
