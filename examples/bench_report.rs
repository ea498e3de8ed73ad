//! One process, one core, the same data for every contender: prints a table of text
//! screening (MB/s), contact checks (per second) and `collectguard check` end to end (MB/s of
//! JSON Lines), and with `--json` one JSON object on the last line.
//!
//! ```text
//! cargo run --release --example bench_report -- [--json] [--quick] [--write-jsonl PATH]
//! ```
//!
//! - `--quick`: a tenth of the data and of the time (a smoke test, not a measurement);
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

use collectguard::{Decision, Engine};
use common::{Lang, TextContenders};

const SEED: u64 = 2026;

/// Seconds per pass: one warm-up pass, then passes until `min` has elapsed.
fn time<F: FnMut() -> usize>(min: Duration, mut f: F) -> f64 {
    black_box(f());
    let start = Instant::now();
    let mut passes = 0u32;
    loop {
        black_box(f());
        passes += 1;
        let el = start.elapsed();
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let quick = args.iter().any(|a| a == "--quick");
    let write_jsonl = args
        .iter()
        .position(|a| a == "--write-jsonl")
        .and_then(|i| args.get(i + 1).cloned());
    let scale = if quick { 10 } else { 1 };
    let min = Duration::from_millis(if quick { 200 } else { 1500 });

    // ---- text
    let t = TextContenders::new();
    let corpus = common::corpus(512 * 1024 / scale, &t.phrases, SEED);
    let bytes = common::total_bytes(&corpus);
    let english: Vec<common::Message> = corpus
        .iter()
        .filter(|m| m.lang == Lang::En)
        .cloned()
        .collect();
    let en_bytes = common::total_bytes(&english);
    let normalized = common::normalized(&corpus);
    let flagged = t.collectguard(&corpus);
    let text_rows = vec![
        (
            "collectguard",
            mb_per_s(bytes, time(min, || t.collectguard(&corpus))),
        ),
        (
            "naive_regex",
            mb_per_s(bytes, time(min, || t.naive_regex(&normalized))),
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

    // ---- contacts
    let history_len = 50;
    let engine = Engine::from_pack("us").expect("the us pack builds");
    let cases = common::contact_cases(20_000 / scale, history_len, SEED);
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
    let ours_deny = ours.iter().filter(|d| **d != Decision::Allow).count();
    let theirs_deny = theirs.iter().filter(|d| **d != Decision::Allow).count();
    let n = cases.len() as f64;
    let contact_rows = vec![
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

    // ---- check, end to end
    let all = Engine::builder().build().expect("the embedded packs build");
    let log = common::jsonl(10_000 / scale, 7, 1.5, SEED);
    if let Some(path) = &write_jsonl {
        std::fs::write(path, &log).expect("the log file can be written");
    }
    let lines = log.lines().count();
    let mut out = Vec::with_capacity(log.len());
    let (verdicts, errors) = common::check_jsonl(&all, &log, &mut out);
    let check_one = mb_per_s(
        log.len(),
        time(min, || {
            out.clear();
            common::check_jsonl(&all, &log, &mut out).0
        }),
    );
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let check_par = mb_per_s(
        log.len(),
        time(min, || {
            out.clear();
            common::check_jsonl_parallel(&all, &log, jobs, &mut out).0
        }),
    );

    // ---- table
    let raw = text_rows[2].1;
    let naive = text_rows[1].1;
    let ours_text = text_rows[0].1;
    println!(
        "text screening: {} messages, {:.1} MB ({:.1} MB English), {} phrases, {} not allowed",
        corpus.len(),
        bytes as f64 / 1e6,
        en_bytes as f64 / 1e6,
        t.phrases.len(),
        flagged
    );
    println!("  {:<16} {:>10}  {:>8}", "contender", "MB/s", "ratio");
    for (name, v) in &text_rows {
        println!("  {name:<16} {v:>10.1}  {:>7.2}x", ours_text / v);
    }
    println!(
        "  targets: >= 0.5x raw_automaton ({:.2}x: {}), >= 10x naive_regex ({:.1}x: {})",
        ours_text / raw,
        if ours_text / raw >= 0.5 {
            "met"
        } else {
            "MISSED"
        },
        ours_text / naive,
        if ours_text / naive >= 10.0 {
            "met"
        } else {
            "MISSED"
        },
    );
    println!(
        "contact checks: {} attempts, {history_len}-event histories; deny: collectguard {ours_deny}, naive_scan {theirs_deny}; same allow/deny on {:.1}%",
        cases.len(),
        100.0 * agree as f64 / n
    );
    println!("  {:<16} {:>12}  {:>8}", "contender", "checks/s", "ratio");
    let ours_c = contact_rows[0].1;
    for (name, v) in &contact_rows {
        println!("  {name:<16} {v:>12.0}  {:>7.2}x", ours_c / v);
    }
    println!(
        "  targets: >= 5x naive_scan ({:.1}x: {}), >= 1M checks/s per core ({:.2}M: {})",
        ours_c / contact_rows[1].1,
        if ours_c / contact_rows[1].1 >= 5.0 {
            "met"
        } else {
            "MISSED"
        },
        ours_c / 1e6,
        if ours_c >= 1e6 { "met" } else { "MISSED" },
    );
    println!(
        "collectguard check: {lines} JSON lines, {:.1} MB, {verdicts} verdicts, {errors} errors",
        log.len() as f64 / 1e6
    );
    println!(
        "  one core          {check_one:>10.1} MB/s  (target >= 50: {})",
        if check_one >= 50.0 { "met" } else { "MISSED" }
    );
    println!("  {jobs} jobs            {check_par:>10.1} MB/s");

    if json {
        let text_json: Vec<String> = text_rows
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","mb_per_s":{}}}"#, round(*v)))
            .collect();
        let contact_json: Vec<String> = contact_rows
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","per_s":{}}}"#, v.round()))
            .collect();
        println!(
            r#"{{"text":{{"corpus_bytes":{bytes},"messages":{},"phrases":{},"contenders":[{}]}},"contacts":{{"history_len":{history_len},"contenders":[{}]}},"check":{{"jsonl_bytes":{},"lines":{lines},"mb_per_s":{},"jobs":{jobs},"mb_per_s_parallel":{}}}}}"#,
            corpus.len(),
            t.phrases.len(),
            text_json.join(","),
            contact_json.join(","),
            log.len(),
            round(check_one),
            round(check_par),
        );
    }
}
