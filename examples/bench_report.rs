//! One process, one core, the same data for every contender: prints a table of text
//! screening (MB/s), contact checks (per second) and `collectguard check` end to end (MB/s of
//! JSON Lines), and with `--json` one JSON object on the last line.
//!
//! ```text
//! cargo run --release --example bench_report -- [--json] [--quick] [--write-jsonl PATH]
//! ```
//!
//! - `--quick`: a tenth of the data and of the time (a smoke test, not a measurement);
//! - `--only text|contacts|check`: run one part (for profiling; the table shows zeros for
//!   the others);
//! - `--write-jsonl PATH`: also writes the generated contact log, to time the binary:
//!   `time target/release/collectguard check --jobs 1 PATH > /dev/null`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use collectguard::{Decision, Engine, Scratch};
use common::{Lang, TextContenders};

const SEED: u64 = 2026;

/// CPU time this thread has run, from `/proc/thread-self/schedstat` (Linux).
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Seconds per pass on one core: one warm-up pass, then passes until `min` has elapsed.
/// Counted in CPU time of this thread where the system reports it (on a shared machine, wall
/// time also counts the time other processes had the core), else in wall time.
fn time<F: FnMut() -> usize>(min: Duration, mut f: F) -> f64 {
    black_box(f());
    let wall = Instant::now();
    let cpu = thread_cpu();
    let mut passes = 0u32;
    loop {
        black_box(f());
        passes += 1;
        let el = match (cpu, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall.elapsed(),
        };
        if el >= min {
            return el.as_secs_f64() / f64::from(passes);
        }
    }
}

/// Seconds per pass in wall time (for runs on several threads).
fn time_wall<F: FnMut() -> usize>(min: Duration, mut f: F) -> f64 {
    black_box(f());
    let wall = Instant::now();
    let mut passes = 0u32;
    loop {
        black_box(f());
        passes += 1;
        let el = wall.elapsed();
        if el >= min {
            return el.as_secs_f64() / f64::from(passes);
        }
    }
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / secs / 1e6
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

struct Text {
    messages: usize,
    bytes: usize,
    en_bytes: usize,
    /// Phrases applied to Chinese and to English messages.
    phrases: (usize, usize),
    /// How many of them are the packs' own (the rest are generated variants).
    own: (usize, usize),
    flagged: usize,
    rows: Vec<(&'static str, f64)>,
}

fn text(scale: usize, min: Duration) -> Text {
    let t = TextContenders::new();
    let corpus = common::corpus(512 * 1024 / scale, &t.all_phrases(), SEED);
    let bytes = common::total_bytes(&corpus);
    let english: Vec<common::Message> = corpus
        .iter()
        .filter(|m| m.lang == Lang::En)
        .cloned()
        .collect();
    let en_bytes = common::total_bytes(&english);
    let normalized = common::normalized(&corpus);
    let mut scratch = Scratch::default();
    let flagged = t.collectguard(&corpus, &mut scratch);
    let rows = vec![
        (
            "collectguard",
            mb_per_s(bytes, time(min, || t.collectguard(&corpus, &mut scratch))),
        ),
        (
            "naive_regex",
            mb_per_s(bytes, time(min, || t.naive_regex(&corpus, &normalized))),
        ),
        (
            "raw_automaton",
            mb_per_s(bytes, time(min, || t.raw_automaton(&corpus))),
        ),
        (
            "rustrict",
            mb_per_s(en_bytes, time(min, || common::rustrict(&english))),
        ),
    ];
    Text {
        messages: corpus.len(),
        bytes,
        en_bytes,
        phrases: (t.zh.phrases.len(), t.en.phrases.len()),
        own: (t.zh.own, t.en.own),
        flagged,
        rows,
    }
}

struct Contacts {
    /// Checks per second of the attempts allowed, and of those not allowed.
    by_outcome: (f64, f64),
    cases: usize,
    agree: usize,
    ours_deny: usize,
    theirs_deny: usize,
    rows: Vec<(&'static str, f64)>,
}

const HISTORY_LEN: usize = 50;

fn contacts(scale: usize, min: Duration) -> Contacts {
    let engine = Engine::from_pack("us").expect("the us pack builds");
    let cases = common::contact_cases(20_000 / scale, HISTORY_LEN, SEED);
    let ours: Vec<Decision> = cases
        .iter()
        .map(|k| {
            engine
                .check_contact(&k.borrower, &k.history, &k.attempt)
                .expect("a valid case")
                .decision
        })
        .collect();
    let theirs: Vec<Decision> = cases
        .iter()
        .map(|k| common::naive_scan(&k.borrower, &k.events, &k.attempt))
        .collect();
    let agree = ours
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| (**a == Decision::Allow) == (**b == Decision::Allow))
        .count();
    let n = cases.len() as f64;
    let rows = vec![
        (
            "collectguard",
            n / time(min, || {
                cases
                    .iter()
                    .filter(|k| {
                        !engine
                            .check_contact(&k.borrower, &k.history, &k.attempt)
                            .expect("a valid case")
                            .is_allowed()
                    })
                    .count()
            }),
        ),
        (
            "naive_scan",
            n / time(min, || {
                cases
                    .iter()
                    .filter(|k| {
                        common::naive_scan(&k.borrower, &k.events, &k.attempt) != Decision::Allow
                    })
                    .count()
            }),
        ),
    ];
    // Where the time goes: attempts the engine allows against those it does not (reasons,
    // messages and `next_allowed_at` are only built for the latter).
    let split = |allowed: bool| -> f64 {
        let part: Vec<&common::Case> = cases
            .iter()
            .zip(&ours)
            .filter(|(_, d)| (**d == Decision::Allow) == allowed)
            .map(|(k, _)| k)
            .collect();
        part.len() as f64
            / time(min / 2, || {
                part.iter()
                    .filter(|k| {
                        !engine
                            .check_contact(&k.borrower, &k.history, &k.attempt)
                            .expect("a valid case")
                            .is_allowed()
                    })
                    .count()
            })
    };
    let by_outcome = (split(true), split(false));
    Contacts {
        by_outcome,
        cases: cases.len(),
        agree,
        ours_deny: ours.iter().filter(|d| **d != Decision::Allow).count(),
        theirs_deny: theirs.iter().filter(|d| **d != Decision::Allow).count(),
        rows,
    }
}

struct Check {
    bytes: usize,
    lines: usize,
    verdicts: usize,
    errors: usize,
    one: f64,
    jobs: usize,
    parallel: f64,
}

fn check(scale: usize, min: Duration, write_jsonl: Option<&str>) -> Check {
    let all = Engine::builder().build().expect("the embedded packs build");
    let log = common::jsonl(10_000 / scale, 7, 1.5, SEED);
    if let Some(path) = write_jsonl {
        std::fs::write(path, &log).expect("the log file can be written");
    }
    let mut out = Vec::with_capacity(log.len());
    let (verdicts, errors) = common::check_jsonl(&all, &log, 1, &mut out);
    let one = mb_per_s(
        log.len(),
        time(min, || {
            out.clear();
            common::check_jsonl(&all, &log, 1, &mut out).0
        }),
    );
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let parallel = mb_per_s(
        log.len(),
        time_wall(min, || {
            out.clear();
            common::check_jsonl(&all, &log, jobs, &mut out).0
        }),
    );
    Check {
        bytes: log.len(),
        lines: log.lines().count(),
        verdicts,
        errors,
        one,
        jobs,
        parallel,
    }
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let quick = args.iter().any(|a| a == "--quick");
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let only = value("--only");
    let run = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let scale = if quick { 10 } else { 1 };
    let min = Duration::from_millis(if quick { 200 } else { 1500 });

    println!(
        "single-core figures are per second of CPU time of the measuring thread{}",
        if thread_cpu().is_some() {
            ""
        } else {
            " (not available here: wall clock)"
        }
    );
    let mut json_parts = Vec::new();
    if run("text") {
        let t = text(scale, min);
        let ours = t.rows[0].1;
        let naive = t.rows[1].1;
        let raw = t.rows[2].1;
        println!(
            "text screening: {} messages, {:.2} MB ({:.2} MB English), {} not allowed; phrases: {} for Chinese (`cn`: {} own + generated), {} for English (`us`: {} own + generated)",
            t.messages,
            t.bytes as f64 / 1e6,
            t.en_bytes as f64 / 1e6,
            t.flagged,
            t.phrases.0,
            t.own.0,
            t.phrases.1,
            t.own.1,
        );
        println!(
            "  {:<16} {:>10}  {:>16}",
            "contender", "MB/s", "collectguard is"
        );
        for (name, v) in &t.rows {
            println!("  {name:<16} {v:>10.1}  {:>15.2}x", ours / v);
        }
        println!(
            "  targets: >= 0.5x raw_automaton ({:.2}x: {}), >= 10x naive_regex ({:.1}x: {})",
            ours / raw,
            met(ours / raw >= 0.5),
            ours / naive,
            met(ours / naive >= 10.0),
        );
        let rows: Vec<String> = t
            .rows
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","mb_per_s":{}}}"#, round(*v)))
            .collect();
        json_parts.push(format!(
            r#""text":{{"corpus_bytes":{},"messages":{},"phrases":{},"contenders":[{}]}}"#,
            t.bytes,
            t.messages,
            t.phrases.0 + t.phrases.1,
            rows.join(",")
        ));
    }
    if run("contacts") {
        let c = contacts(scale, min);
        let ours = c.rows[0].1;
        let naive = c.rows[1].1;
        println!(
            "contact checks: {} attempts, {HISTORY_LEN}-event histories; not allowed: collectguard {}, naive_scan {}; same allow/deny on {:.1}%",
            c.cases,
            c.ours_deny,
            c.theirs_deny,
            100.0 * c.agree as f64 / c.cases as f64
        );
        println!(
            "  {:<16} {:>12}  {:>16}",
            "contender", "checks/s", "collectguard is"
        );
        for (name, v) in &c.rows {
            println!("  {name:<16} {v:>12.0}  {:>15.2}x", ours / v);
        }
        println!(
            "  collectguard on the attempts it allows: {:.0}/s; on those it does not: {:.0}/s",
            c.by_outcome.0, c.by_outcome.1
        );
        println!(
            "  targets: >= 5x naive_scan ({:.1}x: {}), >= 1M checks/s per core ({:.2}M: {})",
            ours / naive,
            met(ours / naive >= 5.0),
            ours / 1e6,
            met(ours >= 1e6),
        );
        let rows: Vec<String> = c
            .rows
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","per_s":{}}}"#, v.round()))
            .collect();
        json_parts.push(format!(
            r#""contacts":{{"history_len":{HISTORY_LEN},"contenders":[{}]}}"#,
            rows.join(",")
        ));
    }
    if run("check") {
        let c = check(scale, min, value("--write-jsonl").as_deref());
        println!(
            "collectguard check: {} JSON lines, {:.1} MB, {} verdicts, {} errors",
            c.lines,
            c.bytes as f64 / 1e6,
            c.verdicts,
            c.errors
        );
        println!(
            "  1 job   {:>10.1} MB/s  (target >= 50 on one core: {})",
            c.one,
            met(c.one >= 50.0)
        );
        println!("  {} jobs  {:>10.1} MB/s (wall clock)", c.jobs, c.parallel);
        json_parts.push(format!(
            r#""check":{{"jsonl_bytes":{},"lines":{},"mb_per_s":{},"jobs":{},"mb_per_s_parallel":{}}}"#,
            c.bytes,
            c.lines,
            round(c.one),
            c.jobs,
            round(c.parallel)
        ));
    }
    if json {
        println!("{{{}}}", json_parts.join(","));
    }
}
