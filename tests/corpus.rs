//! The labelled corpus (`tests/data/corpus/`): every message through the public API
//! (`Engine::check_text`, pack `cn` for Chinese, `us` for English, the record's channel and
//! audience), then recall and false-positive rate per language and category.
//!
//! - recall of category C: positive messages (`deny` or `review`) labelled C that get at
//!   least one reason of category C;
//! - false-positive rate of category C: `allow` messages that get a reason of category C.
//!
//! Sets (listed in `tests/data/corpus/sets.toml`, which the trainer reads too): the tuning
//! sets (`dev.jsonl`, `holdout.jsonl` — held out in session 1, tuned on since —,
//! `challenge/`, `tune/`, `fresh/`, `fresh3/` onwards),
//! which may be read while tuning and which the text models are trained on, and the sealed
//! sets (`blind/` onwards), written by people who never saw the
//! rules and read by no one who tunes (nor trained on). A table is printed per set; sealed
//! messages are never printed, only their aggregate numbers. The test fails when, over the
//! tuning sets, recall is under 0.95 or the false-positive rate over 0.03 for any language
//! and category, or when a sealed set falls below the floor it was measured at.
//! `CORPUS_SHOW=1` lists the tuning sets' misses and false positives.
//!
//! Run: `cargo test --test corpus -- --nocapture`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use collectguard::{Category, Channel, Engine, Party, Relation, Verdict};
use serde::Deserialize;

const CATEGORIES: [Category; 3] = [Category::Coercion, Category::Abuse, Category::Privacy];
const MIN_RECALL: f64 = 0.95;
const MAX_FPR: f64 = 0.03;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    id: String,
    lang: String,
    channel: Channel,
    audience: String,
    #[serde(default)]
    relation: Option<Relation>,
    text: String,
    expect: String,
    categories: Vec<Category>,
    hard_negative: bool,
    evasion: bool,
    #[allow(dead_code)]
    pattern: String,
}

fn load(name: &str) -> Vec<Record> {
    let path = format!("{}/tests/data/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1)))
        .collect()
}

/// Counts for one language and category.
#[derive(Debug, Default, Clone, Copy)]
struct Cell {
    positives: usize,
    caught: usize,
    negatives: usize,
    flagged: usize,
}

impl Cell {
    fn add(&mut self, o: Cell) {
        self.positives += o.positives;
        self.caught += o.caught;
        self.negatives += o.negatives;
        self.flagged += o.flagged;
    }

    fn recall(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.caught as f64 / self.positives as f64
        }
    }

    fn fpr(&self) -> f64 {
        if self.negatives == 0 {
            0.0
        } else {
            self.flagged as f64 / self.negatives as f64
        }
    }
}

type Table = BTreeMap<(String, Category), Cell>;

struct Engines {
    cn: Engine,
    us: Engine,
}

fn verdict(engines: &Engines, r: &Record) -> Verdict {
    let to = match r.audience.as_str() {
        "borrower" => Party::Borrower,
        "third_party" => Party::ThirdParty {
            relation: r.relation.unwrap_or(Relation::Other),
            designated: false,
        },
        other => panic!("{}: unknown audience `{other}`", r.id),
    };
    let engine = match r.lang.as_str() {
        "zh" => &engines.cn,
        "en" => &engines.us,
        other => panic!("{}: unknown language `{other}`", r.id),
    };
    engine.check_text(&r.text, r.channel, to).unwrap()
}

/// Scores one file; `show` prints its misses and false positives (dev only).
fn score(engines: &Engines, records: &[Record], show: bool) -> Table {
    let mut table = Table::new();
    for r in records {
        let v = verdict(engines, r);
        let has = |c: Category| v.reasons.iter().any(|x| x.category == c);
        let positive = r.expect != "allow";
        for c in CATEGORIES {
            let cell = table.entry((r.lang.clone(), c)).or_default();
            if positive && r.categories.contains(&c) {
                cell.positives += 1;
                if has(c) {
                    cell.caught += 1;
                } else if show {
                    println!(
                        "MISS {} {c} [{}{}] {}",
                        r.id,
                        r.expect,
                        if r.evasion { ", evasion" } else { "" },
                        r.text
                    );
                }
            }
            if !positive {
                cell.negatives += 1;
                if has(c) {
                    cell.flagged += 1;
                    if show {
                        let why: Vec<String> = v
                            .reasons
                            .iter()
                            .filter(|x| x.category == c)
                            .map(|x| {
                                format!("{} `{}`", x.rule, x.evidence.as_deref().unwrap_or(""))
                            })
                            .collect();
                        println!(
                            "FP   {} {c} [{}] {} <- {}",
                            r.id,
                            if r.hard_negative { "hard" } else { "plain" },
                            r.text,
                            why.join(", ")
                        );
                    }
                }
            }
        }
    }
    table
}

fn print(title: &str, table: &Table) {
    println!("\n{title}");
    println!("| lang | category | positives | caught | recall | allow | flagged | FPR |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for ((lang, c), cell) in table {
        println!(
            "| {lang} | {c} | {} | {} | {:.3} | {} | {} | {:.3} |",
            cell.positives,
            cell.caught,
            cell.recall(),
            cell.negatives,
            cell.flagged,
            cell.fpr()
        );
    }
}

/// Every `*.jsonl` file of `tests/data/corpus/{dir}/`, in name order.
fn load_dir(dir: &str) -> Vec<Record> {
    let path = format!("{}/tests/data/corpus/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names
        .iter()
        .flat_map(|n| load(&format!("{dir}/{n}")))
        .collect()
}

/// `sets.toml`: the sets of the corpus folder, which this test and the trainer share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sets {
    tuning: Vec<TuningSet>,
    sealed: SealedSets,
    other: OtherFolders,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TuningSet {
    path: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    held_out: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedSets {
    sets: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OtherFolders {
    folders: Vec<String>,
}

fn sets() -> Sets {
    let path = format!("{}/tests/data/corpus/sets.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The sets that may be read while tuning (`sets.toml`), each with its name for the report.
fn tuning_sets() -> Vec<(String, Vec<Record>)> {
    sets()
        .tuning
        .into_iter()
        .map(|t| {
            let records = if t.path.ends_with(".jsonl") {
                load(&t.path)
            } else {
                load_dir(&t.path)
            };
            (t.name.unwrap_or(t.path), records)
        })
        .collect()
}

/// Every file and folder of the corpus is listed once in `sets.toml`, and its sealed sets
/// are the ones this test holds to a floor: a set added to the folder but not to the list
/// would be neither scored nor trained on.
#[test]
fn every_set_is_listed_once() {
    let sets = sets();
    let listed: Vec<&str> = sets
        .tuning
        .iter()
        .map(|t| t.path.as_str())
        .chain(sets.sealed.sets.iter().map(String::as_str))
        .chain(sets.other.folders.iter().map(String::as_str))
        .collect();
    let dir = format!("{}/tests/data/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir() || e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, found, "sets.toml and the folder differ");
    let floors: Vec<&str> = SEALED.iter().map(|s| s.dir).collect();
    assert_eq!(sets.sealed.sets, floors, "sealed sets without a floor");
}

/// Every labelled message: the tuning sets and the sealed sets.
fn load_all() -> Vec<Record> {
    tuning_sets()
        .into_iter()
        .flat_map(|(_, records)| records)
        .chain(sets().sealed.sets.iter().flat_map(|s| load_dir(s)))
        .collect()
}

fn merge(into: &mut Table, from: &Table) {
    for (k, cell) in from {
        into.entry(k.clone()).or_default().add(*cell);
    }
}

/// Scores every labelled set. The tuning sets may be read and listed with `CORPUS_SHOW=1`;
/// the sealed sets never are: only their aggregate numbers are printed.
///
/// Asserted: the bars over the tuning sets (a regression guard: the rules keep what
/// they were tuned to), and each sealed set at or above the floor it was measured at (so a
/// change that loses ground on unseen messages fails, though nobody can see which ones).
/// The sealed sets are *below* the bars; see the README.
#[test]
fn corpus_recall_and_false_positive_rate() {
    let engines = Engines {
        cn: Engine::from_pack("cn").unwrap(),
        us: Engine::from_pack("us").unwrap(),
    };
    let show = std::env::var("CORPUS_SHOW").is_ok_and(|v| v == "1");
    let sets = tuning_sets();
    let mut tuning = Table::new();
    for (name, records) in &sets {
        let table = score(&engines, records, show);
        print(&format!("{name}: {} messages", records.len()), &table);
        merge(&mut tuning, &table);
    }
    print("all tuning sets", &tuning);
    let mut failures = failures(&tuning);
    for sealed in &SEALED {
        let records = load_dir(sealed.dir);
        let table = score(&engines, &records, false);
        print(
            &format!(
                "{}: {} messages never read by anyone tuning (aggregate only; {})",
                sealed.dir,
                records.len(),
                sealed.about
            ),
            &table,
        );
        failures.extend(below_floor(sealed, &table));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A sealed set: written by people who never saw the rules, read by no one who tunes, and
/// held to a floor per language and category: (recall at least, false-positive rate at
/// most), as measured when the set was last scored (see the CHANGELOG), less a margin of one
/// or two messages.
struct Sealed {
    dir: &'static str,
    about: &'static str,
    floor: [(&'static str, Category, f64, f64); 6],
}

const SEALED: [Sealed; 14] = [
    Sealed {
        dir: "blind",
        about: "four session-2 writers",
        floor: [
            // Measured at the end of session 6 (earlier scores: see the CHANGELOG): 54/55,
            // 0/91.
            ("en", Category::Coercion, 0.963, 0.011),
            // 36/36, 2/91.
            // Session 6: the English abuse model retrained with fresh13 flags a second
            // lawful message of this set (the floor test showed it, nobody read which).
            // Session 10: 36/36, 0/91 (the ceiling lowered to one message).
            ("en", Category::Abuse, 0.972, 0.011),
            // 32/32, 1/91.
            // Session 12: 32/32, 0/91 (the floor moved up to it, less one message).
            ("en", Category::Privacy, 0.968, 0.011),
            // 57/60, 1/93.
            // Session 12: 57/60, 0/93 (the floor moved up to it, less one message).
            // Session 13: 58/60, 0/93 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.95, 0.011),
            // 35/35, 0/93.
            ("zh", Category::Abuse, 0.971, 0.011),
            // 33/34, 0/93.
            ("zh", Category::Privacy, 0.941, 0.011),
        ],
    },
    Sealed {
        dir: "blind2",
        about: "two session-3 writers",
        floor: [
            // Measured at the end of session 6 (earlier scores: see the CHANGELOG): 35/35,
            // 1/55.
            ("en", Category::Coercion, 0.971, 0.037),
            // 19/20, 1/55; session 10: 20/20.
            ("en", Category::Abuse, 0.95, 0.037),
            // 19/20, 0/55.
            ("en", Category::Privacy, 0.9, 0.019),
            // 35/36, 1/57; session 10: 36/36.
            ("zh", Category::Coercion, 0.972, 0.036),
            // 20/21, 1/57.
            // Session 12: 21/21, 0/57 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.952, 0.018),
            // 19/19, 0/57.
            ("zh", Category::Privacy, 0.947, 0.018),
        ],
    },
    Sealed {
        dir: "blind3",
        about: "four session-3 writers",
        floor: [
            // Measured at the end of session 6 (earlier scores: see the CHANGELOG): 55/57,
            // 2/93.
            // Session 12: 55/57, 1/93 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.947, 0.022),
            // 32/33, 1/93; session 10: 33/33.
            ("en", Category::Abuse, 0.969, 0.022),
            // 29/29, 0/93.
            ("en", Category::Privacy, 0.965, 0.011),
            // 57/60, 0/94.
            // Session 13: 58/60, 0/94 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.95, 0.011),
            // 35/35, 0/94.
            ("zh", Category::Abuse, 0.971, 0.011),
            // 31/31, 0/94.
            ("zh", Category::Privacy, 0.967, 0.011),
        ],
    },
    Sealed {
        dir: "blind4",
        about: "four session-4 writers, scored once at the end of session 4",
        floor: [
            // Measured at the end of session 6 (earlier scores: see the CHANGELOG): 59/61,
            // 4/89; at the end of session 7, 59/61, 2/89.
            ("en", Category::Coercion, 0.95, 0.034),
            // 38/38, 1/89.
            ("en", Category::Abuse, 0.973, 0.023),
            // 28/28, 0/89.
            ("en", Category::Privacy, 0.964, 0.012),
            // 58/60, 0/92.
            // Session 11: 59/60.
            // Session 14: 60/60, 0/92 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.983, 0.011),
            // 33/35, 0/92.
            // Session 13: 34/35, 0/92 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.942, 0.011),
            // 35/35, 0/92.
            ("zh", Category::Privacy, 0.971, 0.011),
        ],
    },
    Sealed {
        dir: "blind5",
        about: "two session-5 writers, scored once at the end of session 5",
        floor: [
            // Measured at the end of session 6 (earlier scores: see the CHANGELOG): 57/57,
            // 0/94.
            ("en", Category::Coercion, 0.982, 0.011),
            // 31/31, 0/94.
            ("en", Category::Abuse, 0.967, 0.011),
            // 28/29, 1/94.
            // Session 12: 28/29, 0/94 (the floor moved up to it, less one message).
            ("en", Category::Privacy, 0.931, 0.011),
            // 59/60, 0/94.
            ("zh", Category::Coercion, 0.966, 0.011),
            // 32/33, 0/94.
            // Session 12: 33/33, 0/94 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.969, 0.011),
            // 28/29, 0/94.
            ("zh", Category::Privacy, 0.931, 0.011),
        ],
    },
    Sealed {
        dir: "blind6",
        about: "two session-6 writers, scored once at the end of session 6",
        floor: [
            // Measured at the end of session 6 (first and only scoring, commit d58916e): 57/58,
            // 3/93.
            // Session 11: 2/93.
            ("en", Category::Coercion, 0.965, 0.033),
            // 34/35, 0/93.
            // Session 12: 35/35, 1/93 (the floor moved up to it, less one message).
            ("en", Category::Abuse, 0.971, 0.011),
            // 28/29, 0/93.
            ("en", Category::Privacy, 0.931, 0.011),
            // 56/59, 0/93; at the end of session 7, 57/59.
            ("zh", Category::Coercion, 0.949, 0.011),
            // 36/37, 0/93.
            // Session 12: 37/37, 0/93 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.972, 0.011),
            // 30/32, 0/93.
            ("zh", Category::Privacy, 0.906, 0.011),
        ],
    },
    Sealed {
        dir: "blind7",
        about: "two session-7 writers, scored once at the end of session 7",
        floor: [
            // Measured at the end of session 7 (first and only scoring, commit 4ac3fdb):
            // 56/57, 0/94.
            // Session 14: 57/57, 0/94 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.982, 0.011),
            // 33/34, 1/94; session 10: 34/34, 0/94.
            ("en", Category::Abuse, 0.970, 0.011),
            // 29/29, 0/94.
            ("en", Category::Privacy, 0.965, 0.011),
            // 60/61, 0/94.
            ("zh", Category::Coercion, 0.967, 0.011),
            // 33/35, 0/94.
            // Session 11: 34/35.
            ("zh", Category::Abuse, 0.942, 0.011),
            // 30/30, 1/94.
            ("zh", Category::Privacy, 0.966, 0.022),
        ],
    },
    Sealed {
        dir: "blind8",
        about: "two session-8 writers, scored once at the end of session 8",
        floor: [
            // Measured at the end of session 8 (first and only scoring, commit 0113ac7):
            // 54/55, 2/94.
            // Session 12: 54/55, 1/94 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.963, 0.022),
            // 30/32, 1/94.
            // Session 14: 30/32, 0/94 (the floor moved up to it, less one message).
            ("en", Category::Abuse, 0.906, 0.011),
            // 27/28, 0/94.
            ("en", Category::Privacy, 0.928, 0.011),
            // 62/63, 0/94.
            ("zh", Category::Coercion, 0.968, 0.011),
            // 36/37, 0/94.
            // Session 13: 37/37, 0/94 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.972, 0.011),
            // 31/31, 1/94.
            ("zh", Category::Privacy, 0.967, 0.022),
        ],
    },
    Sealed {
        dir: "blind9",
        about: "two session-10 writers, scored once at the end of session 10",
        floor: [
            // Measured at the end of session 10 (first and only scoring, commit a7fa464):
            // 53/55, 6/91.
            // Session 11: 5/91.
            // Session 12: 53/55, 4/91 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.945, 0.055),
            // 39/40, 2/91.
            ("en", Category::Abuse, 0.950, 0.033),
            // 43/43, 0/91.
            ("en", Category::Privacy, 0.976, 0.011),
            // 55/60, 4/92.
            // Session 11: 57/60.
            // Session 12: 58/60, 4/92 (the floor moved up to it, less one message).
            // Session 14: 59/60, 4/92 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.966, 0.055),
            // 38/39, 2/92.
            ("zh", Category::Abuse, 0.948, 0.033),
            // 46/46, 0/92.
            ("zh", Category::Privacy, 0.978, 0.011),
        ],
    },
    Sealed {
        dir: "blind10",
        about: "two session-11 writers, scored once at the end of session 11",
        floor: [
            // Measured at the end of session 11 (first and only scoring, commit bcc4814):
            // 52/54, 4/93.
            // Session 12: 52/54, 3/93 (the floor moved up to it, less one message).
            // Session 13: 52/54, 2/93 (the floor moved up to it, less one message).
            // Session 14: 53/54, 1/93 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.962, 0.022),
            // 36/38, 2/93.
            // Session 13: 37/38, 2/93 (the floor moved up to it, less one message).
            ("en", Category::Abuse, 0.947, 0.033),
            // 44/44, 2/93.
            ("en", Category::Privacy, 0.977, 0.033),
            // 50/54, 0/95.
            // Session 12: 53/54, 0/95 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.962, 0.011),
            // 36/40, 1/95.
            // Session 12: 37/40, 1/95 (the floor moved up to it, less one message).
            // Session 13: 38/40, 1/95 (the floor moved up to it, less one message).
            // Session 14: 39/40, 1/95 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.95, 0.022),
            // 43/43, 1/95.
            ("zh", Category::Privacy, 0.976, 0.022),
        ],
    },
    Sealed {
        dir: "blind11",
        about: "two session-12 writers, scored once at the end of session 12",
        floor: [
            // Measured at the end of session 12 (first and only scoring, commit 66050d6):
            // 53/53, 0/91.
            ("en", Category::Coercion, 0.981, 0.011),
            // 39/39, 0/91.
            ("en", Category::Abuse, 0.974, 0.011),
            // 41/41, 1/91.
            ("en", Category::Privacy, 0.975, 0.022),
            // 56/57, 0/91.
            // Session 13: 57/57, 0/91 (the floor moved up to it, less one message).
            ("zh", Category::Coercion, 0.982, 0.011),
            // 37/39, 0/91.
            // Session 13: 39/39, 0/91 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.974, 0.011),
            // 41/41, 1/91.
            ("zh", Category::Privacy, 0.975, 0.022),
        ],
    },
    Sealed {
        dir: "blind12",
        about: "four session-13 writers, scored once at the end of session 13",
        floor: [
            // Measured at the end of session 13 (first and only scoring, commit 8706197):
            // 102/108, 1/173.
            // Session 14: 104/108, 1/173 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.953, 0.012),
            // 74/75, 2/173.
            // Session 14: 74/75, 0/173 (the floor moved up to it, less one message).
            ("en", Category::Abuse, 0.973, 0.006),
            // 85/86, 0/173.
            ("en", Category::Privacy, 0.976, 0.006),
            // 106/112, 2/173.
            ("zh", Category::Coercion, 0.937, 0.018),
            // 75/77, 1/173.
            // Session 14: 76/77, 1/173 (the floor moved up to it, less one message).
            ("zh", Category::Abuse, 0.974, 0.012),
            // 84/84, 1/173.
            // Session 14: 84/84, 0/173 (the floor moved up to it, less one message).
            ("zh", Category::Privacy, 0.988, 0.006),
        ],
    },
    Sealed {
        dir: "blind13",
        about: "four session-14 writers, scored once at the end of session 14",
        floor: [
            // Measured at the end of session 14 (first and only scoring, commit fa3ccf3),
            // each floor one message below: 97/100, 6/181.
            // Session 15: 97/100, 5/181 (the floor moved up to it, less one message).
            ("en", Category::Coercion, 0.96, 0.034),
            // 75/76, 0/181.
            ("en", Category::Abuse, 0.973, 0.006),
            // 89/90, 0/181.
            ("en", Category::Privacy, 0.977, 0.006),
            // 105/106, 1/184.
            ("zh", Category::Coercion, 0.981, 0.011),
            // 75/76, 0/184.
            ("zh", Category::Abuse, 0.973, 0.006),
            // 86/86, 1/184.
            ("zh", Category::Privacy, 0.988, 0.011),
        ],
    },
    Sealed {
        dir: "blind14",
        about: "four session-15 writers, scored once at the end of session 15",
        floor: [
            // Measured at the end of session 15 (first and only scoring, commit 5e2574f),
            // each floor one message below: 100/103, 3/179.
            ("en", Category::Coercion, 0.961, 0.023),
            // 77/77, 2/179.
            ("en", Category::Abuse, 0.987, 0.017),
            // 92/92, 1/179.
            ("en", Category::Privacy, 0.989, 0.012),
            // 96/101, 1/184.
            ("zh", Category::Coercion, 0.94, 0.011),
            // 78/78, 0/184.
            ("zh", Category::Abuse, 0.987, 0.006),
            // 90/90, 5/184.
            ("zh", Category::Privacy, 0.988, 0.033),
        ],
    },
];

fn below_floor(sealed: &Sealed, table: &Table) -> Vec<String> {
    let name = sealed.dir;
    let mut out = Vec::new();
    for (lang, c, min_recall, max_fpr) in sealed.floor {
        let Some(cell) = table.get(&(lang.to_string(), c)) else {
            out.push(format!("{name} {lang} {c}: no messages scored"));
            continue;
        };
        if cell.recall() < min_recall {
            out.push(format!(
                "{name} {lang} {c}: recall {:.3} fell below its floor {min_recall}",
                cell.recall()
            ));
        }
        if cell.fpr() > max_fpr {
            out.push(format!(
                "{name} {lang} {c}: false-positive rate {:.3} rose above its ceiling {max_fpr}",
                cell.fpr()
            ));
        }
    }
    out
}

/// Failures of a table against the bars.
fn failures(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for ((lang, c), cell) in table {
        if cell.recall() < MIN_RECALL {
            out.push(format!(
                "{lang} {c}: recall {:.3} < {MIN_RECALL}",
                cell.recall()
            ));
        }
        if cell.fpr() > MAX_FPR {
            out.push(format!(
                "{lang} {c}: false-positive rate {:.3} > {MAX_FPR}",
                cell.fpr()
            ));
        }
    }
    out
}

/// Schema checks every set must pass (the scoring reads `expect` and `categories`).
#[test]
fn corpus_records_are_consistent() {
    let all: Vec<Record> = load_all();
    let mut ids = std::collections::BTreeSet::new();
    for r in &all {
        assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        assert!(
            matches!(r.expect.as_str(), "deny" | "review" | "allow"),
            "{}: expect `{}`",
            r.id,
            r.expect
        );
        assert_eq!(
            r.expect == "allow",
            r.categories.is_empty(),
            "{}: categories",
            r.id
        );
        assert!(
            !r.hard_negative || r.expect == "allow",
            "{}: hard_negative",
            r.id
        );
        assert!(!r.evasion || r.expect == "deny", "{}: evasion", r.id);
    }
}

#[test]
fn corpus_is_large_and_mixed_enough() {
    let all: Vec<Record> = load_all();
    assert!(all.len() >= 400, "{} messages", all.len());
    let negatives = all.iter().filter(|r| r.expect == "allow").count();
    let hard = all.iter().filter(|r| r.hard_negative).count();
    assert!(
        hard * 3 >= all.len(),
        "hard negatives {hard} of {} messages",
        all.len()
    );
    assert!(
        negatives * 4 >= all.len(),
        "only {negatives} allow messages"
    );
    for lang in ["zh", "en"] {
        for c in CATEGORIES {
            let n = all
                .iter()
                .filter(|r| r.lang == lang && r.expect != "allow" && r.categories.contains(&c))
                .count();
            assert!(n >= 20, "{lang} {c}: only {n} positive messages");
        }
    }
}

/// A second person's labels for `fresh6/` (`agreement/fresh6_<lang>.jsonl`: id, expect,
/// categories), made without seeing the writers' labels, scored against the writers' labels
/// as the rules are: how far two careful people agree sets the ceiling a screener can be held
/// to. Printed; asserted only where the files stand (every message labelled, and the two
/// agreeing on allow versus not for at least 95 % of them).
#[test]
fn a_second_annotator_agrees_with_the_writers() {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Label {
        id: String,
        expect: String,
        categories: Vec<Category>,
    }
    let writers = load_dir("fresh6");
    let mut table = Table::new();
    let mut same = 0;
    for lang in ["zh", "en"] {
        let path = format!(
            "{}/tests/data/corpus/agreement/fresh6_{lang}.jsonl",
            env!("CARGO_MANIFEST_DIR")
        );
        let labels: BTreeMap<String, Label> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Label>(l).unwrap())
            .map(|l| (l.id.clone(), l))
            .collect();
        let mine: Vec<&Record> = writers.iter().filter(|r| r.lang == lang).collect();
        assert_eq!(labels.len(), mine.len(), "{path}: one label per message");
        for r in mine {
            let second = labels
                .get(&r.id)
                .unwrap_or_else(|| panic!("{path}: no `{}`", r.id));
            let flagged = second.expect != "allow";
            same += usize::from(flagged == (r.expect != "allow"));
            for c in CATEGORIES {
                let cell = table.entry((lang.to_string(), c)).or_default();
                let has = flagged && second.categories.contains(&c);
                if r.expect != "allow" && r.categories.contains(&c) {
                    cell.positives += 1;
                    cell.caught += usize::from(has);
                }
                if r.expect == "allow" {
                    cell.negatives += 1;
                    cell.flagged += usize::from(has);
                }
            }
        }
    }
    print(
        &format!(
            "fresh6: a second annotator against the writers (agree on allow or not: {same}/{})",
            writers.len()
        ),
        &table,
    );
    assert!(same * 100 >= writers.len() * 95, "{same}/{}", writers.len());
}
