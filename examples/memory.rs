//! Memory: the compiled engine's heap, allocations per check, and the ledgers of a large
//! contact log (1M borrowers by default) under pruning.
//!
//! ```text
//! cargo run --release --example memory -- [--borrowers N] [--days D] [--per-day X] [--skip-ledgers]
//! ```
//!
//! Heap figures come from a counting global allocator (`stats_alloc`): bytes allocated and not
//! yet freed. Resident set sizes come from `/proc/self/status`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::alloc::System;
use std::time::Instant;

use chrono::Duration;
use collectguard::{
    Borrower, Channel, ContactAttempt, Engine, EngineBuilder, Event, Outcome, Party, Screener,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Heap bytes in use now.
fn heap() -> i64 {
    let s = GLOBAL.stats();
    s.bytes_allocated as i64 - s.bytes_deallocated as i64 + s.bytes_reallocated as i64
}

fn mib(b: i64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// Allocations and bytes allocated per item by `run` (over `items` items), measured on a
/// second run after a warm-up.
fn allocations_per_item(items: usize, mut run: impl FnMut()) -> (f64, f64) {
    run();
    let region = Region::new(GLOBAL);
    run();
    let c = region.change();
    let n = items.max(1) as f64;
    (c.allocations as f64 / n, c.bytes_allocated as f64 / n)
}

fn engine_heap(name: &str, build: impl FnOnce() -> Engine) -> Engine {
    let before = heap();
    let engine = build();
    println!("  {name:<44} {:>9.2} MiB", mib(heap() - before));
    engine
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str, default: f64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let borrowers = value("--borrowers", 1_000_000.0) as usize;
    let days = value("--days", 30.0) as usize;
    let per_day = value("--per-day", 0.5);

    println!("compiled engine (heap, counted by the allocator):");
    // The first build also fills tables that live for the whole process (e.g. the
    // traditional-to-simplified map): counted apart.
    let before = heap();
    let warm = EngineBuilder::new().build().unwrap();
    drop(warm);
    println!(
        "  {:<44} {:>9.2} MiB",
        "one-time tables (first build, engine dropped)",
        mib(heap() - before)
    );
    let _us = engine_heap("us", || Engine::from_pack("us").unwrap());
    let _cn = engine_heap("cn", || Engine::from_pack("cn").unwrap());
    let _all = engine_heap("every embedded pack", || {
        EngineBuilder::new().build().unwrap()
    });
    let _zh = engine_heap("cn + 1,000 generated phrases", || {
        common::lang_engine(
            common::Lang::Zh,
            &common::generated_phrases(common::Lang::Zh, common::GENERATED_PHRASES),
        )
    });
    let _en = engine_heap("us + 1,000 generated phrases", || {
        common::lang_engine(
            common::Lang::En,
            &common::generated_phrases(common::Lang::En, common::GENERATED_PHRASES),
        )
    });

    println!("  each pack alone (with the phrase lists and models it reads):");
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut lexicons = Vec::new();
    collect_toml(&rules.join("lexicons"), &rules, &mut lexicons);
    collect_toml(&rules.join("models"), &rules, &mut lexicons);
    let mut packs: Vec<String> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "lexicons" && rules.join(n).join("pack.toml").is_file())
        .collect();
    packs.sort();
    for pack in &packs {
        let mut files = lexicons.clone();
        collect_toml(&rules.join(pack), &rules, &mut files);
        if let Some(base) = pack.split_once('-').map(|(b, _)| b) {
            // An overlay (`us-ma`) brings the pack it extends.
            collect_toml(&rules.join(base), &rules, &mut files);
        }
        engine_heap(&format!("  {pack}"), || {
            let mut b = EngineBuilder::new();
            b.embedded(false);
            for (path, text) in &files {
                b.rule_source(path.clone(), text.clone());
            }
            b.build().unwrap()
        });
    }

    println!("allocations per check (after a warm-up pass; messages the engine allows / flags):");
    let t = common::TextContenders::new();
    let corpus = common::corpus(64 * 1024, &t.all_phrases(), 2026);
    let mut scratch = collectguard::Scratch::default();
    for (lang, size, name) in [
        (common::Lang::Zh, common::Size::Sms, "text, Chinese SMS"),
        (common::Lang::En, common::Size::Sms, "text, English SMS"),
        (
            common::Lang::Zh,
            common::Size::Email,
            "text, Chinese e-mail",
        ),
        (
            common::Lang::En,
            common::Size::Email,
            "text, English e-mail",
        ),
    ] {
        let engine = &t.set(lang).engine;
        let check = |m: &common::Message, scratch: &mut collectguard::Scratch| {
            engine
                .check_text_with(&m.text, Channel::Sms, Party::Borrower, scratch)
                .unwrap()
        };
        let msgs: Vec<&common::Message> = corpus
            .iter()
            .filter(|m| m.lang == lang && m.size == size)
            .collect();
        let (allowed, flagged): (Vec<&common::Message>, Vec<&common::Message>) = msgs
            .iter()
            .partition(|m| check(m, &mut scratch).is_allowed());
        let mut per = |part: &[&common::Message]| {
            allocations_per_item(part.len(), || {
                for m in part {
                    std::hint::black_box(check(m, &mut scratch));
                }
            })
        };
        let (a, b) = (per(&allowed), per(&flagged));
        println!(
            "  {name:<22} {:>6.1} / {:>5.1} allocations, {:>6.0} / {:>6.0} bytes per message ({} / {} messages)",
            a.0,
            b.0,
            a.1,
            b.1,
            allowed.len(),
            flagged.len()
        );
    }
    let us = Engine::from_pack("us").unwrap();
    let cases = common::contact_cases(2000, 50, 2026);
    let mut scratch = collectguard::Scratch::default();
    let (allowed, flagged): (Vec<&common::Case>, Vec<&common::Case>) =
        cases.iter().partition(|k| {
            us.check_contact(&k.borrower, &k.history, &k.attempt)
                .unwrap()
                .is_allowed()
        });
    let mut per = |part: &[&common::Case]| {
        allocations_per_item(part.len(), || {
            for k in part {
                std::hint::black_box(
                    us.check_contact_with(&k.borrower, &k.history, &k.attempt, &mut scratch)
                        .unwrap(),
                );
            }
        })
    };
    let (a, b) = (per(&allowed), per(&flagged));
    println!(
        "  {:<22} {:>6.1} / {:>5.1} allocations, {:>6.0} / {:>6.0} bytes per check ({} / {} attempts, 50-event histories)",
        "contact",
        a.0,
        b.0,
        a.1,
        b.1,
        allowed.len(),
        flagged.len()
    );

    if args.iter().any(|a| a == "--skip-ledgers") {
        return;
    }
    println!(
        "ledgers: {borrowers} borrowers, {days} days, {per_day} contacts per borrower per day (pack `us`; each ledger pruned to the longest window of its borrower's rules, plus 2 days)"
    );
    let start = Instant::now();
    let base_heap = heap();
    let mut screener = Screener::new(us.clone());
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::America::Chicago,
        chrono_tz::America::Denver,
        chrono_tz::America::Los_Angeles,
    ];
    for i in 0..borrowers {
        let b = Borrower::new(format!("b{i:07}"), zones[i % zones.len()]);
        screener.push(&Event::Borrower(b)).unwrap();
    }
    let declared = heap() - base_heap;
    let (rss, _) = common::rss();
    println!(
        "  declared: heap {:>8.1} MiB ({:.0} bytes per borrower), resident {:.1} MiB",
        mib(declared),
        declared as f64 / borrowers as f64,
        mib(rss as i64)
    );
    let mut rng = common::Rng::new(7);
    let mut recorded = 0usize;
    let mut verdicts = 0usize;
    let mut peak_heap = 0i64;
    let per_day_events = (borrowers as f64 * per_day) as usize;
    for day in 0..days {
        let mut todays: Vec<(u32, u32)> = (0..per_day_events)
            .map(|_| (rng.below(86_400) as u32, rng.below(borrowers) as u32))
            .collect();
        todays.sort_unstable();
        let midnight = common::epoch() + Duration::days(day as i64);
        for (k, (sec, who)) in todays.into_iter().enumerate() {
            let at = midnight + Duration::seconds(i64::from(sec));
            let channel = if k % 3 == 0 {
                Channel::Sms
            } else {
                Channel::Call
            };
            let outcome = match (channel, k % 5) {
                (Channel::Sms, _) => Outcome::Delivered,
                (_, 0) => Outcome::Conversation,
                (_, 1 | 2) => Outcome::NoAnswer,
                _ => Outcome::Voicemail,
            };
            let c = ContactAttempt::new(
                format!("c{day:03}-{k:07}"),
                format!("b{who:07}"),
                at,
                channel,
            )
            .with_debts(["d1"])
            .with_outcome(outcome);
            if screener.push(&Event::Contact(c)).unwrap().is_some() {
                verdicts += 1;
            }
            recorded += 1;
        }
        peak_heap = peak_heap.max(heap() - base_heap);
        if day + 1 == days || (day + 1) % 10 == 0 {
            let (rss, hwm) = common::rss();
            println!(
                "  day {:>3}: {} contacts kept of {recorded} recorded; heap {:>8.1} MiB ({:.0} bytes per borrower); resident {:.1} MiB, peak {:.1} MiB",
                day + 1,
                screener.ledger_contacts(),
                mib(heap() - base_heap),
                (heap() - base_heap) as f64 / borrowers as f64,
                mib(rss as i64),
                mib(hwm as i64)
            );
        }
    }
    println!(
        "  {verdicts} verdicts in {:.1} s; peak ledger heap {:.1} MiB",
        start.elapsed().as_secs_f64(),
        mib(peak_heap)
    );
}

/// Every `.toml` file under `dir`, as `(path under root, text)`.
fn collect_toml(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_toml(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}
