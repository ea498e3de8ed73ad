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

    println!("allocations per check (after a warm-up pass):");
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
        let msgs: Vec<&common::Message> = corpus
            .iter()
            .filter(|m| m.lang == lang && m.size == size)
            .collect();
        let mut run = || {
            for m in &msgs {
                let v = t
                    .set(m.lang)
                    .engine
                    .check_text_with(&m.text, Channel::Sms, Party::Borrower, &mut scratch)
                    .unwrap();
                std::hint::black_box(v);
            }
        };
        run();
        let region = Region::new(GLOBAL);
        run();
        let c = region.change();
        println!(
            "  {name:<24} {:>8.1} allocations, {:>9.0} bytes per message ({} messages)",
            c.allocations as f64 / msgs.len() as f64,
            c.bytes_allocated as f64 / msgs.len() as f64,
            msgs.len()
        );
    }
    let us = Engine::from_pack("us").unwrap();
    let cases = common::contact_cases(2000, 50, 2026);
    let run = || {
        for k in &cases {
            std::hint::black_box(
                us.check_contact(&k.borrower, &k.history, &k.attempt)
                    .unwrap(),
            );
        }
    };
    run();
    let region = Region::new(GLOBAL);
    run();
    let c = region.change();
    println!(
        "  {:<24} {:>8.1} allocations, {:>9.0} bytes per check ({} checks, 50-event histories)",
        "contact",
        c.allocations as f64 / cases.len() as f64,
        c.bytes_allocated as f64 / cases.len() as f64,
        cases.len()
    );

    if args.iter().any(|a| a == "--skip-ledgers") {
        return;
    }
    println!(
        "ledgers: {borrowers} borrowers, {days} days, {per_day} contacts per borrower per day (engine `us`, horizon {} days + 2, keep last {})",
        us.horizon_days(),
        us.keep_last()
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
