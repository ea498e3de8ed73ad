//! Scenarios for the `cn` pack, built from the 2026 China Banking Association guideline and
//! GB/T 45251—2025, run through the public API.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use collectguard::Decision::Deny;
use common::*;
use serde_json::json;

const SH: &str = "Asia/Shanghai";
const MOBILE: &str = "+8613800138000";
const OFFICE: &str = "+8601088886666";

fn cn() -> collectguard::Engine {
    engine(&["cn"])
}

/// A collection call to the borrower's mobile at a Beijing-time instant.
fn call(id: &str, at: &str) -> Contact {
    contact(id, "b1", at, "call").address(MOBILE, "personal")
}

/// A call to a contact person of the borrower.
fn call_contact(id: &str, at: &str, relation: &str, designated: bool, number: &str) -> Contact {
    contact(id, "b1", at, "call")
        .third_party(relation, designated)
        .address(number, "personal")
}

#[test]
fn no_collection_between_2200_and_0800() {
    let lines = vec![
        borrower("b1", &[SH]),
        call("0759", "2026-03-03T07:59:00+08:00").line(),
        call("0800", "2026-03-03T08:00:00+08:00").line(),
        call("2159", "2026-03-03T21:59:00+08:00").line(),
        call("2200", "2026-03-03T22:00:00+08:00").line(),
        contact("sms-2330", "b1", "2026-03-03T23:30:00+08:00", "sms")
            .address(MOBILE, "personal")
            .line(),
        contact("visit-0700", "b1", "2026-03-04T07:00:00+08:00", "visit")
            .address("北京市朝阳区", "personal")
            .line(),
        contact("letter-2300", "b1", "2026-03-03T23:00:00+08:00", "letter").line(),
    ];
    let vs = screen(&cn(), &lines);
    expect(
        verdict(&vs, "0759"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-03T08:00:00+08:00"),
    );
    all_allowed(&vs, &["0800", "2159", "letter-2300"]);
    expect(
        verdict(&vs, "2200"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-04T08:00:00+08:00"),
    );
    expect(
        verdict(&vs, "sms-2330"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-04T08:00:00+08:00"),
    );
    expect(
        verdict(&vs, "visit-0700"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-04T08:00:00+08:00"),
    );
}

#[test]
fn quiet_hours_reason_carries_the_chinese_message_and_source() {
    let lines = vec![
        borrower("b1", &[SH]),
        call("late", "2026-03-03T23:00:00+08:00").line(),
    ];
    let v = check_last(&cn(), &lines);
    expect(
        &v,
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-04T08:00:00+08:00"),
    );
    let r = &v.reasons[0];
    assert_eq!(
        r.message_zh.as_deref(),
        Some("23:00 Tue 2026-03-03（Asia/Shanghai）处于22:00至次日08:00之间，不得催收")
    );
    assert_eq!(
        r.message,
        "collection at 23:00 Tue 2026-03-03 (`Asia/Shanghai`), between 22:00 and 08:00"
    );
    assert!(r.citation.contains("GB/T 45251"), "{r:?}");
    assert!(
        !r.citation.contains("2018"),
        "the 2018 convention sets no hours: {r:?}"
    );
}

#[test]
fn consent_to_night_calls() {
    let lines = vec![
        borrower("b1", &[SH]),
        consent("b1", "2026-03-02T10:00:00+08:00", "call_outside_hours"),
        call("2300", "2026-03-03T23:00:00+08:00").line(),
        call("0630", "2026-03-04T06:30:00+08:00").line(),
    ];
    all_allowed(&screen(&cn(), &lines), &["2300", "0630"]);
}

#[test]
fn consent_to_night_calls_can_end() {
    let lines = vec![
        borrower("b1", &[SH]),
        event(
            "consent",
            "b1",
            "2026-03-02T10:00:00+08:00",
            json!({"scope": "call_outside_hours", "until": "2026-03-04T00:00:00+08:00"}),
        ),
        call("in-force", "2026-03-03T23:00:00+08:00").line(),
        call("ended", "2026-03-04T23:00:00+08:00").line(),
    ];
    let vs = screen(&cn(), &lines);
    all_allowed(&vs, &["in-force"]);
    expect(
        verdict(&vs, "ended"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-05T08:00:00+08:00"),
    );
}

fn six_unanswered() -> Vec<String> {
    let mut lines = vec![borrower("b1", &[SH])];
    for (i, t) in ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00"]
        .iter()
        .enumerate()
    {
        let outcome = if i == 2 { "not_connected" } else { "no_answer" };
        lines.push(
            call(&format!("u{}", i + 1), &format!("2026-03-03T{t}:00+08:00"))
                .outcome(outcome)
                .line(),
        );
    }
    lines
}

#[test]
fn six_unanswered_attempts_per_number_per_day() {
    let mut lines = six_unanswered();
    lines.push(call("7th", "2026-03-03T16:00:00+08:00").line());
    lines.push(
        contact("office", "b1", "2026-03-03T16:00:00+08:00", "call")
            .address(OFFICE, "work")
            .line(),
    );
    lines.push(call("tomorrow", "2026-03-04T09:00:00+08:00").line());
    let vs = screen(&cn(), &lines);
    all_allowed(
        &vs,
        &["u1", "u2", "u3", "u4", "u5", "u6", "office", "tomorrow"],
    );
    // Midnight is in quiet hours: the next allowed call is at 08:00.
    expect(
        verdict(&vs, "7th"),
        Deny,
        &["cn.unanswered-attempts"],
        Some("2026-03-04T08:00:00+08:00"),
    );
}

#[test]
fn an_answered_seventh_call_is_not_an_unanswered_attempt() {
    let mut lines = six_unanswered();
    lines.push(
        call("answered", "2026-03-03T16:00:00+08:00")
            .outcome("conversation")
            .line(),
    );
    all_allowed(&screen(&cn(), &lines), &["answered"]);
}

#[test]
fn the_seventh_attempt_at_night_waits_for_the_morning() {
    let mut lines = six_unanswered();
    lines.push(call("night", "2026-03-03T22:30:00+08:00").line());
    let vs = screen(&cn(), &lines);
    expect(
        verdict(&vs, "night"),
        Deny,
        &["cn.quiet-hours", "cn.unanswered-attempts"],
        Some("2026-03-04T08:00:00+08:00"),
    );
}

#[test]
fn three_effective_conversations_per_day() {
    let lines = vec![
        borrower("b1", &[SH]),
        call("t1", "2026-03-03T09:00:00+08:00")
            .outcome("conversation")
            .line(),
        // The borrower calls back: not an active collection call.
        call("in", "2026-03-03T10:00:00+08:00")
            .inbound()
            .outcome("conversation")
            .line(),
        contact("t2", "b1", "2026-03-03T11:00:00+08:00", "call")
            .address(OFFICE, "work")
            .outcome("conversation")
            .line(),
        call("t3", "2026-03-03T13:00:00+08:00")
            .outcome("conversation")
            .line(),
        call("4th", "2026-03-03T15:00:00+08:00").line(),
        call("tomorrow", "2026-03-04T08:00:00+08:00").line(),
    ];
    let vs = screen(&cn(), &lines);
    all_allowed(&vs, &["t1", "in", "t2", "t3", "tomorrow"]);
    expect(
        verdict(&vs, "4th"),
        Deny,
        &["cn.conversations-per-day"],
        Some("2026-03-04T08:00:00+08:00"),
    );
}

#[test]
fn contacts_only_when_the_borrower_is_unreachable_and_only_designated_ones() {
    let sister = "+8613700137000";
    let colleague = "+8613600136000";
    let lines = vec![
        borrower("b1", &[SH]),
        // Before any attempt to reach the borrower: no.
        call_contact(
            "too-early",
            "2026-03-03T09:00:00+08:00",
            "family",
            true,
            sister,
        )
        .line(),
        call("f1", "2026-03-03T09:30:00+08:00")
            .outcome("no_answer")
            .line(),
        call("f2", "2026-03-03T10:30:00+08:00")
            .outcome("no_answer")
            .line(),
        // Two failures are not enough.
        call_contact(
            "after-two",
            "2026-03-03T11:00:00+08:00",
            "family",
            true,
            sister,
        )
        .line(),
        contact("f3", "b1", "2026-03-03T11:30:00+08:00", "sms")
            .address(MOBILE, "personal")
            .outcome("failed")
            .line(),
        // Three consecutive failures: the designated contact may be called ...
        call_contact(
            "designated",
            "2026-03-03T12:00:00+08:00",
            "family",
            true,
            sister,
        )
        .outcome("no_answer")
        .line(),
        // ... but never a colleague the borrower did not designate ("爆通讯录").
        call_contact(
            "colleague",
            "2026-03-03T12:30:00+08:00",
            "colleague",
            false,
            colleague,
        )
        .line(),
    ];
    let vs = screen(&cn(), &lines);
    expect(
        verdict(&vs, "too-early"),
        Deny,
        &["cn.third-party-contacts"],
        None,
    );
    expect(
        verdict(&vs, "after-two"),
        Deny,
        &["cn.third-party-contacts"],
        None,
    );
    all_allowed(&vs, &["f1", "f2", "f3", "designated"]);
    expect(
        verdict(&vs, "colleague"),
        Deny,
        &["cn.third-party-contacts"],
        None,
    );
}

#[test]
fn an_invalid_own_number_makes_the_borrower_unreachable() {
    let lines = vec![
        borrower("b1", &[SH]),
        call("invalid", "2026-03-03T09:00:00+08:00")
            .outcome("not_connected")
            .line(),
        call_contact(
            "contact",
            "2026-03-03T09:30:00+08:00",
            "emergency_contact",
            true,
            "+8613700137000",
        )
        .line(),
    ];
    all_allowed(&screen(&cn(), &lines), &["invalid", "contact"]);
}

/// The borrower, and three unanswered calls to the borrower's mobile, `f1`..`f3` at 09:00,
/// 10:00 and 11:00 on 2026-03-03: three failures in a row make the borrower unreachable.
fn three_unanswered() -> Vec<String> {
    let mut lines = vec![borrower("b1", &[SH])];
    for (i, t) in ["09:00", "10:00", "11:00"].iter().enumerate() {
        lines.push(
            call(&format!("f{}", i + 1), &format!("2026-03-03T{t}:00+08:00"))
                .outcome("no_answer")
                .line(),
        );
    }
    lines
}

#[test]
fn once_reached_the_borrower_is_no_longer_unreachable() {
    let mut lines = three_unanswered();
    lines.extend([
        call("ok", "2026-03-03T12:00:00+08:00")
            .outcome("conversation")
            .line(),
        call_contact(
            "contact",
            "2026-03-03T13:00:00+08:00",
            "family",
            true,
            "+8613700137000",
        )
        .line(),
    ]);
    let vs = screen(&cn(), &lines);
    expect(
        verdict(&vs, "contact"),
        Deny,
        &["cn.third-party-contacts"],
        None,
    );
}

#[test]
fn a_contact_who_refuses_is_not_contacted_again() {
    let sister = "+8613700137000";
    let friend = "+8613500135000";
    let mut lines = three_unanswered();
    lines.extend([
        call_contact("first", "2026-03-03T12:00:00+08:00", "family", true, sister)
            .outcome("conversation")
            .line(),
        // The sister says: do not call me again.
        event(
            "opt_out",
            "b1",
            "2026-03-03T12:05:00+08:00",
            json!({"channel": "call", "address": sister}),
        ),
        call_contact("again", "2026-03-04T12:00:00+08:00", "family", true, sister).line(),
        call_contact(
            "friend",
            "2026-03-04T12:00:00+08:00",
            "friend",
            true,
            friend,
        )
        .line(),
    ]);
    let vs = screen(&cn(), &lines);
    all_allowed(&vs, &["first", "friend"]);
    expect(
        verdict(&vs, "again"),
        Deny,
        &["cn.third-party-refused"],
        None,
    );
}

#[test]
fn unanswered_attempts_count_for_a_contact_persons_number_too() {
    let sister = "+8613700137000";
    let mut lines = vec![borrower("b1", &[SH])];
    for (i, t) in ["09:00", "09:10", "09:20"].iter().enumerate() {
        lines.push(
            call(&format!("f{i}"), &format!("2026-03-03T{t}:00+08:00"))
                .outcome("no_answer")
                .line(),
        );
    }
    for (i, t) in ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]
        .iter()
        .enumerate()
    {
        lines.push(
            call_contact(
                &format!("s{i}"),
                &format!("2026-03-03T{t}:00+08:00"),
                "family",
                true,
                sister,
            )
            .outcome("no_answer")
            .line(),
        );
    }
    lines.push(call_contact("s7", "2026-03-03T16:00:00+08:00", "family", true, sister).line());
    let vs = screen(&cn(), &lines);
    all_allowed(&vs, &["s0", "s5"]);
    expect(
        verdict(&vs, "s7"),
        Deny,
        &["cn.unanswered-attempts"],
        Some("2026-03-04T08:00:00+08:00"),
    );
}

#[test]
fn never_the_debt_to_a_third_party() {
    // Who may be contacted and what may be said to them are separate rules: the designated
    // contact may be reached (the borrower is unreachable), but not told of the debt.
    let sister = "+8613700137000";
    let text_contact = |id: &str, at: &str, designated: bool, text: &str| {
        contact(id, "b1", at, "sms")
            .third_party("family", designated)
            .address(sister, "personal")
            .text(text)
    };
    let mut lines = three_unanswered();
    lines.extend([
        text_contact(
            "callback",
            "2026-03-03T15:00:00+08:00",
            true,
            "您好，因联系不上陈先生，烦请您转告他回电021-6088-1234，谢谢。",
        )
        .line(),
        text_contact(
            "debt",
            "2026-03-03T15:00:00+08:00",
            true,
            "您好，您的哥哥陈伟在我司借款5000元已逾期32天，请督促其尽快还款。",
        )
        .line(),
        text_contact(
            "debt-undesignated",
            "2026-03-03T15:00:00+08:00",
            false,
            "您好，您的哥哥陈伟在我司借款5000元已逾期32天，请督促其尽快还款。",
        )
        .line(),
    ]);
    let vs = screen(&cn(), &lines);
    all_allowed(&vs, &["callback"]);
    // The phrase rule denies; the privacy model, reading the same message, asks for review.
    let v = verdict(&vs, "debt");
    expect(
        v,
        Deny,
        &["cn.text.debt-to-third-party", "cn.text.privacy-model"],
        None,
    );
    for r in &v.reasons {
        assert!(r.span.is_some() && r.evidence.is_some(), "{r:?}");
    }
    expect(
        verdict(&vs, "debt-undesignated"),
        Deny,
        &[
            "cn.text.debt-to-third-party",
            "cn.text.privacy-model",
            "cn.third-party-contacts",
        ],
        None,
    );
}
