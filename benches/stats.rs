//! `/faq-stats` over 1,000,000 recorded decisions: the store is seeded once
//! (cached under the target directory) with a million decisions over 90
//! days and three servers, the question text of the clarified and
//! unanswered ones in the last 30 days kept, then the report is timed for
//! one server over 30 days (what `/faq-stats` does) and for all servers
//! over 90 days (`her2bot review --days 90`). The bar is 200 ms.
//!
//! Also timed: what recording adds to answering one interaction, i.e.
//! building the record and a round trip through the store thread that
//! commits it (the bar is 1 ms median).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use her2bot::Engine;
use her2bot::engine::DecisionKind;
use her2bot::store::{DecisionRecord, Handle, Policy, StatsQuery, Store, StoreKey, UnansweredText, Worker};

const DECISIONS: usize = 1_000_000;
const DAYS: i64 = 90;
const GUILDS: [u64; 3] = [1_100_000_000_000_000_100, 1_100_000_000_000_000_900, 0];
const TODAY: i64 = 20_500;
/// Bump when the seeding changes, so a stale cache is not reused.
const SEED_VERSION: u32 = 1;

fn seeded() -> Store {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-stats");
    let path = dir.join(format!("stats-{DECISIONS}-v{SEED_VERSION}.sqlite3"));
    if path.is_file() {
        let store = Store::open(&path).expect("cached bench store");
        if store.decision_total().expect("count") == DECISIONS as u64 {
            return store;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let engine = Engine::load(None, None).expect("shipped knowledge");
    let intents: Vec<String> = engine.knowledge().entries.iter().map(|e| e.id.clone()).collect();
    // A pool of distinct phrasings: knowledge examples with one word
    // dropped, and their analysed terms.
    let mut pool: Vec<UnansweredText> = Vec::new();
    for e in &engine.knowledge().entries {
        for x in &e.examples {
            let words: Vec<&str> = x.split_whitespace().collect();
            for skip in 0..words.len().min(4) {
                let text: String =
                    words.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
                let mut tokens = engine.analyze(&text);
                tokens.sort();
                tokens.dedup();
                pool.push(UnansweredText { text, tokens: tokens.join(" ") });
            }
        }
    }
    let store = Store::open(&path).expect("bench store");
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..DECISIONS {
        let day = TODAY - (next() % DAYS as usize) as i64;
        let guild = GUILDS[next() % GUILDS.len()];
        let roll = next() % 100;
        let decision = match roll {
            0..65 => DecisionKind::Answer,
            65..80 => DecisionKind::Clarify,
            80..92 => DecisionKind::Fallback,
            92..94 => DecisionKind::Emergency,
            _ => DecisionKind::Smalltalk,
        };
        let intent = match decision {
            DecisionKind::Answer | DecisionKind::Clarify => intents[next() % intents.len()].clone(),
            DecisionKind::Fallback if next() % 2 == 0 => intents[next() % intents.len()].clone(),
            _ => String::new(),
        };
        let unanswered = (matches!(decision, DecisionKind::Clarify | DecisionKind::Fallback) && day > TODAY - 30)
            .then(|| pool[next() % pool.len()].clone());
        batch.push(DecisionRecord { day, guild, decision, intent, score: (next() % 1000) as f32 / 1000.0, unanswered });
        if batch.len() == batch.capacity() || i + 1 == DECISIONS {
            store.record_all(&batch).expect("seed");
            batch.clear();
        }
    }
    store.checkpoint().expect("checkpoint");
    store
}

fn stats(c: &mut Criterion) {
    let store = seeded();
    let mut g = c.benchmark_group("faq_stats");
    g.sample_size(20);
    let one = StatsQuery { today: TODAY, days: 30, guild: Some(GUILDS[0]), max_groups: 10, text_kept: true };
    g.bench_function("1M_decisions/one_server_30_days", |b| b.iter(|| black_box(store.stats(black_box(&one)))));
    let all = StatsQuery { today: TODAY, days: 90, guild: None, max_groups: 20, text_kept: true };
    g.bench_function("1M_decisions/all_servers_90_days", |b| b.iter(|| black_box(store.stats(black_box(&all)))));
    g.finish();
}

fn record(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = std::sync::Arc::new(Store::open(&dir.path().join("record.sqlite3")).expect("store"));
    let key = StoreKey::parse("bench-secret-bench-secret-bench-secret").expect("key");
    let engine = Engine::load(None, None).expect("shipped knowledge");
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut g = c.benchmark_group("record_decision");
    for keep in [false, true] {
        let handle = Handle::new(store.clone(), key.clone(), Policy { keep_unanswered_text: keep, retention_days: 30 });
        let worker = Worker::spawn(handle).expect("store thread");
        let question = "how do I fix my car";
        let response = engine.respond(question);
        let name = if keep { "through_store_thread/keeping_text" } else { "through_store_thread" };
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = DecisionRecord::new(&engine, &response, question, GUILDS[0], TODAY, keep);
                runtime.block_on(worker.call(move |h| h.store().record(&r))).expect("recorded")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stats, record);
criterion_main!(benches);
