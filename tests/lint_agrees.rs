//! `collectguard lint` and `Engine::check_text` judge a message's words alike: over the
//! labelled corpus's messages to the borrower (the dev set and the challenge sets, about 600
//! in Chinese and English), a template holding the message gets findings from exactly the
//! text rules whose reasons `check_text` gives for it as an SMS to the borrower (the
//! linter's default). The linter finds every match by blanking what it found and asking
//! again; this test holds that loop to the engine's own answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use collectguard::lint::Linter;
use collectguard::{Channel, Engine, Party};

/// The messages to the borrower in a corpus file, without template placeholders.
fn messages(file: &str, lang: &str) -> Vec<(String, String)> {
    let path = format!("{}/tests/data/corpus/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["lang"] == lang && v["audience"] == "borrower")
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, text)| !text.contains('{'))
        .collect()
}

/// Text rules only: required-content rules (opt-out notice, collector identity) depend on the
/// template settings the linter infers, not on what the words say.
fn said(rule: &str) -> bool {
    rule.contains(".text.")
        && !rule.ends_with("opt-out-notice")
        && !rule.ends_with("debt-collector-identity")
}

#[test]
fn lint_findings_match_check_text_reasons() {
    let mut checked = 0;
    let mut differ = Vec::new();
    for (lang, pack, files) in [
        (
            "zh",
            "cn",
            [
                "dev.jsonl",
                "challenge/zh.jsonl",
                "challenge/zh_round2.jsonl",
            ],
        ),
        (
            "en",
            "us",
            [
                "dev.jsonl",
                "challenge/en.jsonl",
                "challenge/en_round2.jsonl",
            ],
        ),
    ] {
        let linter = Linter::new(Engine::from_pack(pack).unwrap());
        let engine = linter.engine();
        for file in files {
            for (id, text) in messages(file, lang) {
                checked += 1;
                let verdict = engine
                    .check_text(&text, Channel::Sms, Party::Borrower)
                    .unwrap();
                let by_check: BTreeSet<&str> = verdict
                    .reasons
                    .iter()
                    .map(|r| r.rule.as_str())
                    .filter(|r| said(r))
                    .collect();
                let report = linter.lint_source("message.txt", &text).unwrap();
                let by_lint: BTreeSet<&str> = report
                    .findings
                    .iter()
                    .map(|f| f.rule.as_str())
                    .filter(|r| said(r))
                    .collect();
                if by_check != by_lint {
                    differ.push(format!("{id}: check_text {by_check:?}, lint {by_lint:?}"));
                }
            }
        }
    }
    assert!(checked > 400, "only {checked} messages");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
