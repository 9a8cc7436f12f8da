//! Matcher benchmarks: one question against the real knowledge base, one
//! against a generated 10,000-entry knowledge base, and load + index.

use criterion::{Criterion, criterion_group, criterion_main};
use her2bot::Engine;
use her2bot::config::Config;
use her2bot::knowledge::{Entry, Knowledge};
use std::hint::black_box;

const QUESTIONS: &[&str] = &[
    "is her2 low positive or negative?",
    "my mum was told her tumour is ihc 3+, what does that mean for her treatment",
    "how long is chemo for her2+",
    "does herceptn cause heart problems",
    "what foods should i avoid on nerlynx",
    "how do i center a div in css",
    "i have a fever of 38.5 after chemo yesterday",
    "hello!",
];

fn real(c: &mut Criterion) {
    let engine = Engine::load(None, None).expect("shipped knowledge");
    let mut i = 0;
    c.bench_function("respond/real_kb", |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            black_box(engine.respond(black_box(QUESTIONS[i])))
        })
    });
    // Freeing the engine is not part of loading it: a bot drops an engine
    // only when a reload replaces it, off the answering path.
    c.bench_function("load_and_index/real_kb", |b| {
        b.iter_with_large_drop(|| black_box(Engine::load(None, None).expect("load")))
    });
}

/// A deterministic knowledge base of `n` entries built from a word list,
/// with the shipped lexicon, safety rules and small talk.
fn generated(n: usize) -> Knowledge {
    let base = Knowledge::embedded().expect("shipped knowledge");
    let words: Vec<String> = base
        .entries
        .iter()
        .flat_map(|e| e.examples.iter().flat_map(|x| x.split_whitespace()))
        .map(|w| w.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| w.len() > 2)
        .collect();
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let template = &base.entries[0];
    let mut entries: Vec<Entry> = (0..n)
        .map(|i| {
            let mut sentence =
                |len: usize| (0..len).map(|_| words[next() % words.len()].clone()).collect::<Vec<_>>().join(" ");
            Entry {
                id: format!("topic-{i:05}"),
                question: sentence(7),
                examples: (0..16).map(|_| sentence(9)).collect(),
                ..template.clone()
            }
        })
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Knowledge { entries, ..base }
}

fn large(c: &mut Criterion) {
    let engine = Engine::build(generated(10_000), Config::default());
    let mut i = 0;
    c.bench_function("respond/10k_entries", |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            black_box(engine.respond(black_box(QUESTIONS[i])))
        })
    });
}

criterion_group!(benches, real, large);
criterion_main!(benches);
