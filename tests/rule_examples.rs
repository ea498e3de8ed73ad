//! Every rule of every embedded pack carries its own examples; this runs them all, and checks
//! the metadata every rule must have (citation, explain texts, review for unverified rules).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use collectguard::{Confidence, Engine, Expect, Severity};

const PACKS: [&str; 6] = ["cn", "us", "us-ma", "us-wa", "au", "uk"];

fn engine() -> Engine {
    Engine::builder()
        .build()
        .expect("the embedded packs compile")
}

#[test]
fn every_embedded_pack_is_present_and_described() {
    let engine = engine();
    for id in PACKS {
        let pack = engine
            .packs()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("pack `{id}` is not embedded"));
        assert!(
            !pack.description.trim().is_empty(),
            "pack `{id}` has no description"
        );
        assert!(
            engine.pack_rules(id).unwrap().count() > 0,
            "pack `{id}` has no rules"
        );
    }
}

#[test]
fn every_rule_example_passes() {
    let engine = engine();
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in engine.rules() {
        ran += rule.examples.len();
        failures.extend(engine.run_examples(&rule.id));
    }
    assert!(ran > 0, "no examples ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_deny_or_review_example_and_an_allow_example() {
    for rule in engine().rules() {
        let fires = match rule.severity {
            Severity::Deny => Expect::Deny,
            Severity::Review => Expect::Review,
        };
        assert!(
            rule.examples.iter().any(|e| e.expect == fires),
            "{}: no example where it fires",
            rule.id
        );
        assert!(
            rule.examples.iter().any(|e| e.expect == Expect::Allow),
            "{}: no example where it stays silent",
            rule.id
        );
    }
}

#[test]
fn every_rule_cites_its_source_and_explains_itself() {
    for rule in engine().rules() {
        assert!(
            !rule.citation.trim().is_empty(),
            "{}: empty citation",
            rule.id
        );
        assert!(
            !rule.message.trim().is_empty(),
            "{}: empty message",
            rule.id
        );
        assert!(
            !rule.what.trim().is_empty(),
            "{}: empty explain.what",
            rule.id
        );
        assert!(
            !rule.why.trim().is_empty(),
            "{}: empty explain.why",
            rule.id
        );
        assert!(
            !rule.instead.trim().is_empty(),
            "{}: empty explain.instead",
            rule.id
        );
        assert!(
            !rule.message.ends_with('.'),
            "{}: messages have no trailing period",
            rule.id
        );
        assert!(
            rule.message
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase()),
            "{}: messages start in lower case",
            rule.id
        );
        let explained = rule.explain();
        for heading in [
            "## What it checks",
            "## Why",
            "## Example",
            "## Allowed instead",
            "## Citation",
        ] {
            assert!(
                explained.contains(heading),
                "{}: explain lacks {heading}",
                rule.id
            );
        }
    }
}

#[test]
fn unverified_rules_are_review_and_say_so() {
    let mut unverified = 0;
    for rule in engine().rules() {
        if rule.confidence == Confidence::U {
            unverified += 1;
            assert_eq!(
                rule.severity,
                Severity::Review,
                "{}: unverified but not review",
                rule.id
            );
            let notes = rule.notes.as_deref().unwrap_or("");
            assert!(
                notes.to_lowercase().contains("unverified"),
                "{}: unverified, and its notes must say so",
                rule.id
            );
        }
    }
    assert!(
        unverified > 0,
        "uk.unreasonable-hours at least is unverified"
    );
}

#[test]
fn chinese_rules_have_chinese_messages() {
    let engine = engine();
    for rule in engine.pack_rules("cn").unwrap() {
        let zh = rule.message_zh.as_deref().unwrap_or("");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: no Chinese message",
            rule.id
        );
    }
}

#[test]
fn rule_ids_are_prefixed_by_their_pack() {
    for rule in engine().rules() {
        assert!(
            rule.id.starts_with(&format!("{}.", rule.pack)),
            "{}",
            rule.id
        );
    }
}

#[test]
fn the_2018_convention_is_not_cited_for_hours() {
    // The 2018 self-regulatory convention sets no numeric hours (REGULATIONS.md).
    let rule = engine().rule("cn.quiet-hours").cloned().unwrap();
    assert!(!rule.citation.contains("2018"), "{}", rule.citation);
    assert!(!rule.citation.contains("自律公约"), "{}", rule.citation);
}

#[test]
fn the_rule_ids_the_brief_names_exist() {
    let engine = engine();
    for id in [
        "cn.quiet-hours",
        "cn.unanswered-attempts",
        "cn.conversations-per-day",
        "cn.third-party-contacts",
        "us.regf.inconvenient-time",
        "us.regf.designated-time",
        "us.regf.call-frequency",
        "us.regf.call-cooloff",
        "us.regf.rapid-redial",
        "us.fdcpa.cease",
        "us.fdcpa.attorney",
        "us.regf.opt-out-medium",
        "us.regf.work-email",
        "us.regf.third-party",
        "us.regf.social-media",
        "us-ma.call-cap-personal",
        "us-ma.call-cap-other",
        "us-ma.visits",
        "us-wa.communications-per-week",
        "us-wa.workplace",
        "us-wa.hours",
        "au.phone-hours",
        "au.visit-hours",
        "au.workplace-hours",
        "au.holidays",
        "au.contacts-per-week",
        "au.contacts-per-month",
        "uk.unreasonable-hours",
        "uk.customer-requested-times",
    ] {
        assert!(engine.rule(id).is_some(), "missing rule `{id}`");
    }
    assert_eq!(
        engine.rule("us.regf.rapid-redial").unwrap().severity,
        Severity::Review
    );
    assert_eq!(
        engine.rule("uk.unreasonable-hours").unwrap().severity,
        Severity::Review
    );
    assert_eq!(
        engine.rule("uk.customer-requested-times").unwrap().severity,
        Severity::Deny
    );
}
