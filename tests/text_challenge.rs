//! Hand-written challenge messages (`tests/data/text_challenge/`): threats, abuse and lawful
//! look-alikes in many phrasings and evasions, each line `C|`, `A|` or `N|` and the text.
//! A regression set for the phrase lists, separate from the labelled corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use collectguard::{Category, Channel, Engine, Party};

fn run(pack: &str, file: &str) -> Vec<String> {
    let engine = Engine::from_pack(pack).unwrap();
    let path = format!(
        "{}/tests/data/text_challenge/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (kind, message) = line
            .split_once('|')
            .unwrap_or_else(|| panic!("{path}:{}: no `|`", n + 1));
        count += 1;
        let v = engine
            .check_text(message, Channel::Im, Party::Borrower)
            .unwrap();
        let has = |c: Category| v.reasons.iter().any(|r| r.category == c);
        let ok = match kind {
            "C" => has(Category::Coercion),
            "A" => has(Category::Abuse),
            "N" => !has(Category::Coercion) && !has(Category::Abuse) && !has(Category::Privacy),
            other => panic!("{path}:{}: unknown kind `{other}`", n + 1),
        };
        if !ok {
            let why: Vec<String> = v
                .reasons
                .iter()
                .map(|r| format!("{} `{}`", r.rule, r.evidence.as_deref().unwrap_or("")))
                .collect();
            failures.push(format!(
                "{file}:{} {kind} {message} <- {}",
                n + 1,
                why.join(", ")
            ));
        }
    }
    assert!(count >= 50, "{path}: only {count} messages");
    failures
}

#[test]
fn english_challenge_messages() {
    let failures = run("us", "en.txt");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chinese_challenge_messages() {
    let failures = run("cn", "zh.txt");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
