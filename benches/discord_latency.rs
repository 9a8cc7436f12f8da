//! End-to-end latency of the Discord adapter, black box: the release binary
//! `her2bot run` runs as a subprocess, pointed at the fake Discord of
//! `tests/support/fake_discord` by environment variables only, the way an
//! operator points it at a REST proxy. Per mode it measures:
//!
//! 1. sequential: `/ask` INTERACTION_CREATE events sent one at a time on the
//!    fake gateway (after a warm-up), each timed from the frame being queued
//!    on the gateway connection to its callback POST reaching the fake REST
//!    (both instants taken inside the fake);
//! 2. burst: interactions sent all at once, without waiting; each must be
//!    answered exactly once;
//! 3. the bot's memory (`/proc/<pid>/status` VmRSS and VmHWM) after it.
//!
//! A benchmark, not a test: timings are reported, never asserted. It exits
//! non-zero only if an interaction is lost or answered twice, or the bot
//! dies (or does not stop cleanly on SIGTERM).
//!
//! `cargo bench --bench discord_latency`. `BENCH_MODES` runs the whole
//! measurement once per mode, each with its own extra environment for the
//! bot: `;`-separated `name[: VAR=value VAR=value ...]` (values without
//! spaces), e.g. `BENCH_MODES='default; nocooldown: HER2BOT_DISCORD__COOLDOWN_SECONDS=0'`.
//! Without `--bench` (`cargo test --benches`) it makes a small smoke run.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::process::{ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use her2bot::Engine;
use her2bot::engine::DecisionKind;
use serde_json::Value;
use support::fake_discord::{FakeDiscord, InteractionBuilder, Recorded, TEST_TOKEN, ids};
use tokio::process::{Child, Command};

/// The binary under test, built by cargo with the bench profile (release).
const BIN: &str = env!("CARGO_BIN_EXE_her2bot");

/// Bound on the bot starting: loading the knowledge, connecting, registering.
const STARTUP: Duration = Duration::from_secs(60);
/// Bound on one sequential interaction being answered before it counts as lost.
const ANSWER: Duration = Duration::from_secs(10);
/// Bound on a whole burst being answered.
const BURST: Duration = Duration::from_secs(60);
/// Wait after a burst completes, for duplicate callbacks to show up.
const SETTLE: Duration = Duration::from_millis(200);
/// Bound on a clean shutdown after SIGTERM.
const SHUTDOWN: Duration = Duration::from_secs(10);

/// How many interactions each phase sends.
struct Plan {
    warmup: usize,
    sequential: usize,
    burst: usize,
}

const FULL: Plan = Plan { warmup: 100, sequential: 1_000, burst: 1_000 };
const SMOKE: Plan = Plan { warmup: 5, sequential: 50, burst: 100 };

/// Our own phrasings of what people ask, sent in this order, round and
/// round: mostly answerable questions, then "did you mean", small talk,
/// off-topic and emergencies. The kind each gets is asked of the engine at
/// start-up, not assumed, and every kind must occur.
const QUESTIONS: &[&str] = &[
    "is her2-low the same thing as her2 negative",
    "hi there",
    "how long will i be on herceptin",
    "my biopsy came back ihc 2+, what happens next",
    "what is enhertu and who gets it",
    "which phone should i buy this year",
    "what does her2 3+ mean on my report",
    "thank you so much",
    "why did they test my tumour for her2",
    "I've got a temperature of 38.7 and I'm on chemo",
    "is kadcyla a kind of chemo",
    "does her2 positive cancer come back more often",
    "are there foods i should stay away from with her2",
    "who won the football last night",
    "can radiotherapy be used for her2 cancer",
    "good morning bot",
    "what's the outlook for her2 negative breast cancer",
    "what side effects does tucatinib have",
    "how common is her2 low",
    "my chest hurts and I'm struggling to breathe",
    "can eating certain foods shrink a tumour",
    "how do i reset my router password",
    "my mum was told she is her2 positive, will she need chemo",
    "what does my her2 result mean",
];

const KINDS: [DecisionKind; 5] = [
    DecisionKind::Answer,
    DecisionKind::Clarify,
    DecisionKind::Fallback,
    DecisionKind::Emergency,
    DecisionKind::Smalltalk,
];

/// Every interaction comes from its own user: the bot's per-user cooldown
/// (`discord.cooldown_seconds`, 5 s by default) stays as shipped and is
/// exercised, yet never answers in place of the engine, as in a real burst
/// of many people. Setting the cooldown to 0 instead would benchmark a
/// config nobody runs. These ids are in no fake world, which serves them as
/// plain members.
const FIRST_USER_ID: u64 = 1_250_000_000_000_000_000;

fn main() -> ExitCode {
    let plan = if std::env::args().any(|a| a == "--bench") { FULL } else { SMOKE };
    let result = modes().and_then(|modes| {
        let questions = label_questions()?;
        // The fake on one thread: no hand-offs between its own threads in
        // the measured window (they doubled its CPU time per interaction and
        // added to the tail), and the bot's threads get the other core.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let mut reports = Vec::new();
        for mode in &modes {
            match runtime.block_on(measure(mode, &plan, &questions)) {
                Ok(report) => reports.push(report),
                Err(e) => {
                    print_table(&plan, &reports);
                    return Err(format!("mode `{}`: {e}", mode.name));
                }
            }
        }
        print_table(&plan, &reports);
        let failures: Vec<String> = reports.iter().flat_map(Report::failures).collect();
        if failures.is_empty() { Ok(()) } else { Err(failures.join("\n")) }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("discord_latency: FAILED\n{e}");
            ExitCode::FAILURE
        }
    }
}

// ----- modes and questions -----------------------------------------------

/// A named set of extra environment variables for the bot.
struct Mode {
    name: String,
    env: Vec<(String, String)>,
}

/// The modes of `BENCH_MODES`, or by default the shipped config (store on)
/// and the same with the store off, to see what recording adds.
fn modes() -> Result<Vec<Mode>, String> {
    let Ok(spec) = std::env::var("BENCH_MODES") else {
        return Ok(vec![
            Mode { name: "store on (default)".to_owned(), env: Vec::new() },
            Mode { name: "store off".to_owned(), env: vec![("HER2BOT_STORE__ENABLED".to_owned(), "false".to_owned())] },
        ]);
    };
    let modes = spec
        .split(';')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| {
            let (name, vars) = m.split_once(':').unwrap_or((m, ""));
            let env = vars
                .split_whitespace()
                .map(|kv| {
                    let (k, v) = kv.split_once('=').ok_or_else(|| format!("BENCH_MODES: `{kv}` is not VAR=value"))?;
                    Ok((k.to_owned(), v.to_owned()))
                })
                .collect::<Result<_, String>>()?;
            Ok(Mode { name: name.trim().to_owned(), env })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if modes.is_empty() {
        return Err("BENCH_MODES names no mode".to_owned());
    }
    Ok(modes)
}

/// Each question with the decision the shipped engine makes on it.
fn label_questions() -> Result<Vec<(&'static str, DecisionKind)>, String> {
    let engine = Engine::load(None, None).map_err(|e| format!("cannot load the built-in knowledge: {e}"))?;
    let labelled: Vec<_> = QUESTIONS.iter().map(|q| (*q, engine.respond(q).decision)).collect();
    match KINDS.iter().find(|k| !labelled.iter().any(|(_, d)| d == *k)) {
        Some(missing) => Err(format!("no question in QUESTIONS gives {missing:?} any more; update them")),
        None => Ok(labelled),
    }
}

// ----- the bot process -----------------------------------------------------

/// `her2bot run` as a child process; stderr (its log) goes to a file.
struct Bot {
    child: Child,
    pid: u32,
    log: std::path::PathBuf,
}

impl Bot {
    /// Starts the bot in `dir` (so no `.env` of the developer is read),
    /// configured by environment only: the fake's REST base, a fake token,
    /// then the mode's variables. Inherited `HER2BOT_*` and `RUST_LOG` are
    /// dropped, so runs compare like with like (default log level `info`).
    fn spawn(fake: &FakeDiscord, mode: &Mode, dir: &Path) -> Result<Self, String> {
        let log = dir.join("her2bot.log");
        let file = std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut cmd = Command::new(BIN);
        cmd.arg("run").current_dir(dir);
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(|n| n.starts_with("HER2BOT_") || n == "RUST_LOG") {
                cmd.env_remove(name);
            }
        }
        // The store's file goes to `data/` in `dir`; its key is a bench key.
        cmd.env("DISCORD_TOKEN", TEST_TOKEN)
            .env("HER2BOT_STORE_KEY", "bench-store-key-bench-store-key-bench")
            .env("HER2BOT_DISCORD__API_BASE", fake.rest_base())
            .envs(mode.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .kill_on_drop(true);
        let child = cmd.spawn().map_err(|e| format!("cannot start {BIN}: {e}"))?;
        let pid = child.id().ok_or("the bot exited at once")?;
        Ok(Self { child, pid, log })
    }

    /// Runs `fut`, failing if the bot exits first.
    async fn alive<T>(&mut self, fut: impl Future<Output = T>) -> Result<T, String> {
        let status = tokio::select! {
            out = fut => return Ok(out),
            status = self.child.wait() => status,
        };
        Err(self.died(status.ok()))
    }

    fn died(&self, status: Option<ExitStatus>) -> String {
        let status = status.map_or_else(|| "unknown status".to_owned(), |s| s.to_string());
        format!("the bot exited ({status}); last lines of its log:\n{}", self.log_tail())
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// VmRSS and VmHWM from `/proc/<pid>/status`, and the open files.
    fn usage(&self) -> Result<Usage, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map_err(|e| format!("cannot read /proc/{}/status: {e}", self.pid))?;
        let kib = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .ok_or_else(|| format!("no {key} in /proc/{}/status", self.pid))
        };
        let fds = std::fs::read_dir(format!("/proc/{}/fd", self.pid)).map_or(0, Iterator::count);
        Ok(Usage { rss_kib: kib("VmRSS:")?, anon_kib: kib("RssAnon:")?, hwm_kib: kib("VmHWM:")?, fds })
    }

    /// SIGTERM, then waits for a clean exit (killed after [`SHUTDOWN`]).
    async fn stop(mut self) -> Result<(), String> {
        let signalled = std::process::Command::new("kill").args(["-TERM", &self.pid.to_string()]).status();
        if !signalled.is_ok_and(|s| s.success()) {
            return Err("cannot send SIGTERM to the bot".to_owned());
        }
        match tokio::time::timeout(SHUTDOWN, self.child.wait()).await {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(status) => Err(format!("unclean shutdown: {}", self.died(status.ok()))),
            Err(_) => {
                let _ = self.child.kill().await;
                Err(format!("no exit within {SHUTDOWN:?} of SIGTERM; killed. Log:\n{}", self.log_tail()))
            }
        }
    }
}

/// What the bot process holds.
#[derive(Clone, Copy, Default)]
struct Usage {
    rss_kib: u64,
    /// The part of VmRSS that is not mapped files (the binary): heap, stacks.
    anon_kib: u64,
    hwm_kib: u64,
    /// Open file descriptors: mostly sockets to the fake REST.
    fds: usize,
}

/// Time the threads of a process spent on a CPU and waiting for one.
#[derive(Clone, Copy, Default)]
struct Sched {
    run: Duration,
    wait: Duration,
}

impl Sched {
    /// Summed over `/proc/<pid>/task/*/schedstat` (threads that exited are
    /// missing; the bot's and the fake's threads live throughout).
    fn of(pid: u32) -> Self {
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten();
        tasks.fold(Self::default(), |sum, task| {
            let text = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            let mut ns = text.split_whitespace().map(|n| Duration::from_nanos(n.parse().unwrap_or(0)));
            Self { run: sum.run + ns.next().unwrap_or_default(), wait: sum.wait + ns.next().unwrap_or_default() }
        })
    }

    /// Both, for the bot and for this process (the fake), now.
    fn now(bot: u32) -> [Self; 2] {
        [Self::of(bot), Self::of(std::process::id())]
    }

    /// `later - earlier` per interaction, for both processes.
    fn per(earlier: [Self; 2], later: [Self; 2], n: usize) -> [Self; 2] {
        let n = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        let per =
            |a: Self, b: Self| Self { run: b.run.saturating_sub(a.run) / n, wait: b.wait.saturating_sub(a.wait) / n };
        [per(earlier[0], later[0]), per(earlier[1], later[1])]
    }
}

// ----- measuring -----------------------------------------------------------

/// An interaction sent: when, and what it asked.
struct Sent {
    at: Instant,
    kind: DecisionKind,
    /// `false` for warm-up: checked for loss, not timed.
    counted: bool,
}

/// What came back for a set of sent interactions.
#[derive(Default)]
struct Tally {
    sent: usize,
    answered: usize,
    lost: usize,
    duplicated: usize,
    /// Send to first successful callback, counted interactions only.
    latencies: Vec<(DecisionKind, Duration)>,
    last_answer: Option<Instant>,
}

/// The interaction id of an interaction callback request.
fn callback_id(r: &Recorded) -> Option<u64> {
    let rest = r.api_path().strip_prefix("/interactions/")?;
    let (id, rest) = rest.split_once('/')?;
    (r.method == "POST" && rest.ends_with("/callback")).then(|| id.parse().ok())?
}

/// Counts the callbacks in `log` for the interactions in `sent`: answered
/// (at least one callback the fake accepted), lost (none) and duplicated
/// (more than one callback request).
fn account(log: &[Recorded], sent: &HashMap<u64, Sent>) -> Tally {
    let mut callbacks: HashMap<u64, (usize, Option<Instant>)> = HashMap::new();
    for r in log {
        let Some(id) = callback_id(r).filter(|id| sent.contains_key(id)) else { continue };
        let entry = callbacks.entry(id).or_default();
        entry.0 += 1;
        if r.status < 300 && entry.1.is_none() {
            entry.1 = Some(r.received_at);
        }
    }
    let mut tally = Tally { sent: sent.len(), ..Tally::default() };
    for (id, s) in sent {
        let (count, answered_at) = callbacks.get(id).copied().unwrap_or_default();
        tally.duplicated += usize::from(count > 1);
        let Some(at) = answered_at else {
            tally.lost += 1;
            continue;
        };
        tally.answered += 1;
        tally.last_answer = tally.last_answer.max(Some(at));
        if s.counted {
            tally.latencies.push((s.kind, at.saturating_duration_since(s.at)));
        }
    }
    tally
}

/// The `/ask` interaction number `n` of a run, from its own user.
fn ask(n: usize, question: &str) -> InteractionBuilder {
    InteractionBuilder::slash("ask")
        .string("question", question)
        .in_guild(ids::GENERAL_CHANNEL_ID, FIRST_USER_ID + n as u64)
}

/// Sends one INTERACTION_CREATE; returns when the frame was queued on the
/// gateway connection. The fake's own checks of the payload (a serenity
/// parse, ~60 µs) come before that instant and are not counted.
fn dispatch(fake: &FakeDiscord, data: Value) -> Instant {
    fake.send_dispatch_timed("INTERACTION_CREATE", data).1
}

/// One mode's results.
struct Report {
    mode: String,
    startup: Duration,
    sequential: Tally,
    burst: Tally,
    /// From the first burst frame queued to the last.
    burst_sent_in: Duration,
    /// From the first burst frame queued to the last callback.
    burst_answered_in: Option<Duration>,
    idle: Usage,
    after_burst: Usage,
    /// CPU and run-queue wait per interaction of `[bot, fake]`, sequential
    /// (timed part) and burst.
    sequential_sched: [Sched; 2],
    burst_sched: [Sched; 2],
    dispatch_warnings: Vec<String>,
    shutdown: Result<(), String>,
}

impl Report {
    fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (phase, t) in [("sequential (with warm-up)", &self.sequential), ("burst", &self.burst)] {
            if t.lost > 0 || t.duplicated > 0 {
                out.push(format!(
                    "mode `{}`, {phase}: {} of {} interactions lost, {} answered more than once",
                    self.mode, t.lost, t.sent, t.duplicated
                ));
            }
        }
        if !self.dispatch_warnings.is_empty() && !out.is_empty() {
            out.push(format!("payloads serenity cannot parse: {:?}", &self.dispatch_warnings[..1]));
        }
        if let Err(e) = &self.shutdown {
            out.push(format!("mode `{}`: {e}", self.mode));
        }
        out
    }
}

async fn measure(mode: &Mode, plan: &Plan, questions: &[(&'static str, DecisionKind)]) -> Result<Report, String> {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let started = Instant::now();
    let mut bot = Bot::spawn(&fake, mode, dir.path())?;

    // Ready: connected (READY received) and the commands registered.
    let registered = bot.alive(fake.wait_for_request(|r| r.is("PUT", "/applications/"), STARTUP)).await?;
    let connected = bot.alive(fake.wait_until_ready(STARTUP)).await?;
    if registered.is_none() || !connected {
        return Err(format!("the bot was not ready within {STARTUP:?}; log:\n{}", bot.log_tail()));
    }
    let startup = started.elapsed();
    let idle = bot.usage()?;

    // Sequential: one at a time, each waited for; one lost ends the run.
    let mut sent = HashMap::new();
    let mark = fake.request_count();
    let mut timed_from = Sched::now(bot.pid);
    for n in 0..plan.warmup + plan.sequential {
        if n == plan.warmup {
            timed_from = Sched::now(bot.pid);
        }
        let (question, kind) = questions[n % questions.len()];
        let interaction = ask(n, question);
        let data = interaction.build(&fake.world());
        let before = fake.request_count();
        let at = dispatch(&fake, data);
        sent.insert(interaction.id(), Sent { at, kind, counted: n >= plan.warmup });
        let path = interaction.callback_path();
        let answered = bot.alive(fake.wait_for_request_after(before, |r| r.is("POST", &path), ANSWER)).await?;
        if answered.is_none() {
            let warnings = fake.dispatch_warnings();
            return Err(format!(
                "sequential interaction {n} ({question:?}) lost: no callback within {ANSWER:?}; \
dispatch warnings: {warnings:?}; bot log:\n{}",
                bot.log_tail()
            ));
        }
    }
    let sequential_sched = Sched::per(timed_from, Sched::now(bot.pid), plan.sequential);
    let sequential = account(&fake.requests()[mark..], &sent);

    // Burst: every payload built first, then all queued without waiting.
    let offset = plan.warmup + plan.sequential;
    let world = fake.world();
    let burst: Vec<(u64, DecisionKind, Value)> = (0..plan.burst)
        .map(|n| {
            let (question, kind) = questions[n % questions.len()];
            let interaction = ask(offset + n, question);
            (interaction.id(), kind, interaction.build(&world))
        })
        .collect();
    let mut sent = HashMap::with_capacity(plan.burst);
    let mark = fake.request_count();
    let burst_from = Sched::now(bot.pid);
    let first = Instant::now();
    for (id, kind, data) in burst {
        sent.insert(id, Sent { at: dispatch(&fake, data), kind, counted: true });
    }
    let burst_sent_in = first.elapsed();
    let (mut cursor, mut answered) = (mark, 0);
    let count_answers = |log: &[Recorded]| {
        for r in &log[cursor..] {
            answered += usize::from(r.status < 300 && callback_id(r).is_some_and(|id| sent.contains_key(&id)));
        }
        cursor = log.len();
        answered >= plan.burst
    };
    let complete = bot.alive(fake.wait_for_log(count_answers, BURST)).await?;
    let burst_sched = Sched::per(burst_from, Sched::now(bot.pid), plan.burst);
    if complete {
        bot.alive(tokio::time::sleep(SETTLE)).await?;
    }
    let after_burst = bot.usage()?;
    let burst = account(&fake.requests()[mark..], &sent);
    let burst_answered_in = burst.last_answer.map(|last| last.saturating_duration_since(first));

    let shutdown = bot.stop().await;
    Ok(Report {
        mode: mode.name.clone(),
        startup,
        sequential,
        burst,
        burst_sent_in,
        burst_answered_in,
        idle,
        after_burst,
        sequential_sched,
        burst_sched,
        dispatch_warnings: fake.dispatch_warnings(),
        shutdown,
    })
}

// ----- reporting -----------------------------------------------------------

/// The `p`-quantile (0-1) of sorted samples, nearest rank.
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

fn sorted(latencies: &[(DecisionKind, Duration)], kind: Option<DecisionKind>) -> Vec<Duration> {
    let mut v: Vec<Duration> =
        latencies.iter().filter(|(k, _)| kind.is_none_or(|want| *k == want)).map(|(_, d)| *d).collect();
    v.sort_unstable();
    v
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".to_owned(), |d| format!("{:.3} ms", d.as_secs_f64() * 1e3))
}

fn sched(s: Sched) -> String {
    format!("{:.3} / {:.3} ms", s.run.as_secs_f64() * 1e3, s.wait.as_secs_f64() * 1e3)
}

fn met(yes: bool) -> String {
    (if yes { "met" } else { "MISSED" }).to_owned()
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

type Row = (String, Box<dyn Fn(&Report) -> String>);

fn row(label: impl Into<String>, cell: impl Fn(&Report) -> String + 'static) -> Row {
    (label.into(), Box::new(cell))
}

fn print_table(plan: &Plan, reports: &[Report]) {
    if reports.is_empty() {
        return;
    }
    let seq = |p: f64| move |r: &Report| ms(percentile(&sorted(&r.sequential.latencies, None), p));
    let mut rows: Vec<Row> = vec![
        row("ready (connected, commands registered)", |r| ms(Some(r.startup))),
        row(format!("sequential /ask: {} timed after {} warm-up", plan.sequential, plan.warmup), |_| String::new()),
        row("  min", seq(0.0)),
        row("  median", seq(0.5)),
        row("  p90", seq(0.9)),
        row("  p99", seq(0.99)),
        row("  max", seq(1.0)),
    ];
    for kind in KINDS {
        rows.push(row(format!("  median, {kind:?}"), move |r| {
            let v = sorted(&r.sequential.latencies, Some(kind));
            format!("{} (n={})", ms(percentile(&v, 0.5)), v.len())
        }));
    }
    rows.extend([
        row("  bot CPU / wait for a CPU, per interaction", |r| sched(r.sequential_sched[0])),
        row("  fake CPU / wait for a CPU, per interaction", |r| sched(r.sequential_sched[1])),
        row("  lost / answered twice", |r| format!("{} / {}", r.sequential.lost, r.sequential.duplicated)),
        row(format!("burst: {} sent at once", plan.burst), |_| String::new()),
        row("  answered", |r| format!("{} of {}", r.burst.answered, r.burst.sent)),
        row("  lost / answered twice", |r| format!("{} / {}", r.burst.lost, r.burst.duplicated)),
        row("  all sent after", |r| ms(Some(r.burst_sent_in))),
        row("  all answered after", |r| ms(r.burst_answered_in)),
        row("  latency median", |r| ms(percentile(&sorted(&r.burst.latencies, None), 0.5))),
        row("  latency p99", |r| ms(percentile(&sorted(&r.burst.latencies, None), 0.99))),
        row("  bot CPU / wait for a CPU, per interaction", |r| sched(r.burst_sched[0])),
        row("bot memory", |_| String::new()),
        row("  VmRSS when ready", |r| mib(r.idle.rss_kib)),
        row("  VmRSS after the burst", |r| mib(r.after_burst.rss_kib)),
        row("    of which anonymous (heap, stacks)", |r| mib(r.after_burst.anon_kib)),
        row("  VmHWM (peak) after the burst", |r| mib(r.after_burst.hwm_kib)),
        row("  open files when ready / after the burst", |r| format!("{} / {}", r.idle.fds, r.after_burst.fds)),
        row("bar (reported, not asserted): median <= 1 ms", |r| {
            met(percentile(&sorted(&r.sequential.latencies, None), 0.5).is_some_and(|d| d <= Duration::from_millis(1)))
        }),
        row("  p99 <= 5 ms", |r| {
            met(percentile(&sorted(&r.sequential.latencies, None), 0.99).is_some_and(|d| d <= Duration::from_millis(5)))
        }),
        row("  VmRSS after the burst <= 30 MB (28.6 MiB)", |r| met(r.after_burst.rss_kib * 1024 <= 30_000_000)),
    ]);

    let label_width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let cells: Vec<Vec<String>> = rows.iter().map(|(_, f)| reports.iter().map(f).collect()).collect();
    let widths: Vec<usize> = (0..reports.len())
        .map(|i| cells.iter().map(|c| c[i].len()).chain([reports[i].mode.len()]).max().unwrap_or(0))
        .collect();
    println!();
    println!("discord_latency: {BIN} run, against the fake Discord on loopback");
    print!("{:label_width$}", "mode");
    for (r, w) in reports.iter().zip(&widths) {
        print!("  {:>w$}", r.mode);
    }
    println!();
    for ((label, _), cells) in rows.iter().zip(&cells) {
        print!("{label:label_width$}");
        for (c, w) in cells.iter().zip(&widths) {
            print!("  {c:>w$}");
        }
        println!();
    }
}
