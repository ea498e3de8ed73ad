//! Criterion benchmarks. Every group holds collectguard and its baselines on the same data,
//! so each figure is a ratio from one run:
//!
//! - `text/<lang>_<size>`: full text screening against `raw_automaton` (aho-corasick on the
//!   raw text), `naive_regex` (one regex per phrase over the normalised text) and, for
//!   English, `rustrict`; throughput in bytes.
//! - `contacts`: contact checks with 50-event histories against `naive_scan`.
//! - `check`: a JSON Lines log screened end to end (parse, ledgers, verdicts, JSON out), on
//!   one thread and on two.
//! - `engine_build`: compiling the packs.
//!
//! `cargo bench` runs them all in a few minutes on two cores; `cargo bench -- text/` runs one
//! group.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use collectguard::{Engine, EngineBuilder, Scratch};
use common::{Lang, Size, TextContenders};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SEED: u64 = 2026;

fn text(c: &mut Criterion) {
    let t = TextContenders::new();
    let phrases = t.all_phrases();
    let mut scratch = Scratch::default();
    for (lang, size, count, name) in [
        (Lang::Zh, Size::Sms, 300, "zh_sms"),
        (Lang::Zh, Size::Email, 12, "zh_email"),
        (Lang::En, Size::Sms, 400, "en_sms"),
        (Lang::En, Size::Email, 24, "en_email"),
    ] {
        let msgs = common::messages(lang, size, count, &phrases, SEED);
        let normalized = common::normalized(&msgs);
        let mut g = c.benchmark_group(format!("text/{name}"));
        g.throughput(Throughput::Bytes(common::total_bytes(&msgs) as u64));
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(2));
        g.sample_size(20);
        g.bench_function("collectguard", |b| {
            b.iter(|| t.collectguard(black_box(&msgs), &mut scratch))
        });
        g.bench_function("raw_automaton", |b| {
            b.iter(|| t.raw_automaton(black_box(&msgs)))
        });
        g.bench_function("naive_regex", |b| {
            b.iter(|| t.naive_regex(&msgs, black_box(&normalized)))
        });
        if lang == Lang::En {
            g.bench_function("rustrict", |b| {
                b.iter(|| common::rustrict(black_box(&msgs)))
            });
        }
        g.finish();
    }
}

fn contacts(c: &mut Criterion) {
    let engine = Engine::from_pack("us").unwrap();
    let cases = common::contact_cases(1000, 50, SEED);
    let mut g = c.benchmark_group("contacts");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("collectguard", |b| {
        b.iter(|| {
            cases
                .iter()
                .filter(|k| {
                    !engine
                        .check_contact(&k.borrower, &k.history, &k.attempt)
                        .unwrap()
                        .is_allowed()
                })
                .count()
        })
    });
    g.bench_function("naive_scan", |b| {
        b.iter(|| {
            cases
                .iter()
                .filter(|k| {
                    common::naive_scan(&k.borrower, &k.events, &k.attempt)
                        != collectguard::Decision::Allow
                })
                .count()
        })
    });
    g.finish();
}

fn check(c: &mut Criterion) {
    let engine = Engine::builder().build().unwrap();
    let input = common::jsonl(2000, 7, 1.5, SEED);
    let mut out = Vec::with_capacity(input.len());
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("one_thread", |b| {
        b.iter(|| {
            out.clear();
            common::check_jsonl(&engine, black_box(&input), 1, &mut out)
        })
    });
    let jobs = 2;
    g.bench_with_input(BenchmarkId::new("parallel", jobs), &jobs, |b, &jobs| {
        b.iter(|| {
            out.clear();
            common::check_jsonl(&engine, black_box(&input), jobs, &mut out)
        })
    });
    g.finish();
}

fn engine_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine_build");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("us", |b| b.iter(|| Engine::from_pack("us").unwrap()));
    g.bench_function("all_packs", |b| {
        b.iter(|| EngineBuilder::new().build().unwrap())
    });
    for lang in [Lang::Zh, Lang::En] {
        let sources = common::pack_with_generated(
            lang,
            &common::generated_phrases(lang, common::GENERATED_PHRASES),
        );
        let name = format!("{}_with_generated_phrases", common::pack_of(lang));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut builder = EngineBuilder::new();
                for (path, text) in &sources {
                    builder.rule_source(path.clone(), text.clone());
                }
                builder.pack(common::pack_of(lang)).build().unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, text, contacts, check, engine_build);
criterion_main!(benches);
