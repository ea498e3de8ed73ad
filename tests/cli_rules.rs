//! `collectguard rules validate|test|list` and `collectguard explain` for pack rules and the
//! linter's own rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_collectguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn validate_a_good_pack() {
    let o = run(&["rules", "validate", "tests/data/lint-pack"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "ok: pack `lint-pack`: 7 rules\n");
}

#[test]
fn validate_a_broken_pack_points_at_the_mistake() {
    let o = run(&["rules", "validate", "tests/data/rules-broken"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    // `params.phrasess` is on line 12 of the rules file
    assert!(
        e.starts_with("error: tests/data/rules-broken/text.toml:12:1: "),
        "{e}"
    );
    assert!(e.contains("`phrasess`"), "{e}");
    let o = run(&["rules", "validate", "tests/data/no-such-pack"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn test_runs_every_example() {
    let o = run(&["rules", "test", "tests/data/lint-pack"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("ok    lint-pack."))
            .count(),
        7,
        "{text}"
    );
    assert!(
        text.ends_with("7 rules, 14 examples, 0 failures\n"),
        "{text}"
    );
}

#[test]
fn test_reports_failing_examples() {
    let o = run(&["rules", "test", "tests/data/rules-failing"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(
        text.contains("FAIL  rules-failing.abuse example 2 \"does not hold: the phrase list lacks this insult\": expected the rule to fire, but it did not fire"),
        "{text}"
    );
    assert!(text.ends_with("1 rule, 3 examples, 1 failure\n"), "{text}");
    let o = run(&["rules", "test", "tests/data/rules-broken"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_covers_lint_rules() {
    for rule in [
        "lint.placeholder-pii",
        "lint.placeholder-debt-to-third-party",
        "lint.unknown-placeholder",
        "lint.invalid-suppression",
        "lint.unused-suppression",
    ] {
        let o = run(&["explain", rule]);
        assert_eq!(o.status.code(), Some(0), "{rule}");
        let text = out(&o);
        assert!(text.starts_with(rule), "{text}");
        let mut at = 0;
        for heading in [
            "## What it checks",
            "## Why",
            "## Example",
            "## Allowed instead",
            "## Citation",
        ] {
            let i = text
                .find(heading)
                .unwrap_or_else(|| panic!("{rule}: {heading}"));
            assert!(i > at, "{rule}: headings in order");
            at = i;
        }
    }
    let text = out(&run(&["explain", "lint.placeholder-debt-to-third-party"]));
    assert!(text.contains("15 USC 1692b(2)"), "{text}");
    assert!(
        text.contains("    请转告{{name}}尽快归还{{amount}}元。"),
        "{text}"
    );
}

#[test]
fn explain_pack_rules_and_unknown_ids() {
    let o = run(&[
        "explain",
        "--rules",
        "tests/data/lint-pack",
        "lint-pack.abuse",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("## Citation\nTest Act s. 1"),
        "{}",
        out(&o)
    );
    let o = run(&["explain", "lint.placeholder-pi"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("did you mean `lint.placeholder-pii`?"),
        "{}",
        err(&o)
    );
}

#[test]
fn rules_list_includes_the_linter() {
    let o = run(&["rules", "list", "--pack", "lint"]);
    assert_eq!(o.status.code(), Some(0));
    let ids: Vec<String> = out(&o)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "lint.placeholder-pii",
            "lint.placeholder-debt-to-third-party",
            "lint.unknown-placeholder",
            "lint.invalid-suppression",
            "lint.unused-suppression"
        ]
    );
    let o = run(&[
        "rules",
        "list",
        "--rules",
        "tests/data/lint-pack",
        "--pack",
        "lint-pack",
    ]);
    let text = out(&o);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(text.lines().all(|l| l.starts_with("lint-pack.")), "{text}");
    assert!(
        text.contains("lint-pack.abuse\tabuse\tdeny\tTest Act s. 1"),
        "{text}"
    );
    let all = out(&run(&["rules", "list"]));
    assert!(
        all.lines()
            .any(|l| l.starts_with("lint.placeholder-pii\tprivacy\tdeny\t")),
        "{all}"
    );
}
