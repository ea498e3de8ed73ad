//! Scenarios for the state overlays `us-ma` and `us-wa`, which stack on the federal pack:
//! the most restrictive outcome wins and every rule that fired is reported.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use collectguard::Decision::{Deny, Review};
use common::*;

const NY: &str = "America/New_York";
const LA: &str = "America/Los_Angeles";
const MA_CELL: &str = "+16175550100";
const MA_WORK: &str = "+16175550199";
const WA_CELL: &str = "+12065550100";
const WA_WORK: &str = "+12065550199";

#[test]
fn the_overlays_bring_the_federal_pack() {
    let ma = engine(&["us-ma"]);
    assert_eq!(ma.default_packs(), vec!["us", "us-ma"]);
    let wa = engine(&["us-wa"]);
    assert_eq!(wa.default_packs(), vec!["us", "us-wa"]);
}

// ---- Massachusetts ----

fn ma_call(id: &str, at: &str, debt: &str) -> Contact {
    contact(id, "b1", at, "call")
        .debts(&[debt])
        .address(MA_CELL, "personal")
}

#[test]
fn ma_two_telephone_communications_a_week_to_personal_numbers() {
    let ma = engine(&["us-ma"]);
    let lines = vec![
        borrower("b1", &[NY]),
        ma_call("c1", "2026-03-03T15:00:00Z", "d1")
            .outcome("voicemail")
            .line(),
        contact("c2", "b1", "2026-03-05T15:00:00Z", "sms")
            .debts(&["d1"])
            .address(MA_CELL, "personal")
            .outcome("delivered")
            .line(),
        // The 3rd in 7 days: Reg F alone (7-in-7) would allow it.
        ma_call("c3", "2026-03-08T15:00:00Z", "d1").line(),
        // Another debt has its own count.
        ma_call("other-debt", "2026-03-08T15:00:00Z", "d2").line(),
        // Tuesday 03-10: the window 03-04..03-10 holds only the text.
        ma_call("c4", "2026-03-10T12:00:00Z", "d1").line(),
    ];
    let vs = screen(&ma, &lines);
    all_allowed(&vs, &["c1", "c2", "other-debt", "c4"]);
    // 03-10 00:00 EDT is in the federal quiet hours: 08:00 EDT.
    expect(
        verdict(&vs, "c3"),
        Deny,
        &["us-ma.call-cap-personal"],
        Some("2026-03-10T12:00:00Z"),
    );
}

#[test]
fn ma_voicemail_counts_but_a_call_that_rang_out_does_not() {
    let ma = engine(&["us-ma"]);
    // Two calls that ended with `outcome`, then a third.
    let third_after = |outcome: &str| {
        vec![
            borrower("b1", &[NY]),
            ma_call("c1", "2026-03-03T15:00:00Z", "d1")
                .outcome(outcome)
                .line(),
            ma_call("c2", "2026-03-04T15:00:00Z", "d1")
                .outcome(outcome)
                .line(),
            ma_call("c3", "2026-03-05T15:00:00Z", "d1").line(),
        ]
    };
    all_allowed(&screen(&ma, &third_after("no_answer")), &["c3"]);
    let vs = screen(&ma, &third_after("voicemail"));
    expect(
        verdict(&vs, "c3"),
        Deny,
        &["us-ma.call-cap-personal"],
        Some("2026-03-10T12:00:00Z"),
    );
}

#[test]
fn ma_two_telephone_communications_in_thirty_days_to_other_numbers() {
    let ma = engine(&["us-ma"]);
    let work_sms = |id: &str, at: &str| {
        contact(id, "b1", at, "sms")
            .debts(&["d1"])
            .address(MA_WORK, "work")
    };
    let lines = vec![
        borrower("b1", &[NY]),
        work_sms("w1", "2026-03-02T15:00:00Z")
            .outcome("delivered")
            .line(),
        work_sms("w2", "2026-03-12T15:00:00Z")
            .outcome("delivered")
            .line(),
        work_sms("w3", "2026-03-20T15:00:00Z").line(),
        // A call to the work number: the state cap and the federal workplace review both fire.
        contact("w3-call", "b1", "2026-03-20T15:00:00Z", "call")
            .debts(&["d1"])
            .address(MA_WORK, "work")
            .line(),
        // The personal number is counted separately.
        ma_call("cell", "2026-03-20T15:00:00Z", "d1").line(),
    ];
    let vs = screen(&ma, &lines);
    all_allowed(&vs, &["w1", "w2", "cell"]);
    // The window of 30 days ending 04-01 (03-03..04-01) no longer holds 03-02: 08:00 EDT.
    expect(
        verdict(&vs, "w3"),
        Deny,
        &["us-ma.call-cap-other"],
        Some("2026-04-01T12:00:00Z"),
    );
    expect(
        verdict(&vs, "w3-call"),
        Deny,
        &["us-ma.call-cap-other", "us.fdcpa.workplace"],
        Some("2026-04-01T12:00:00Z"),
    );
}

#[test]
fn ma_one_household_visit_in_thirty_days() {
    let ma = engine(&["us-ma"]);
    let visit = |id: &str, at: &str| {
        contact(id, "b1", at, "visit")
            .debts(&["d1"])
            .address("1 Main St, Boston", "personal")
    };
    let lines = vec![
        borrower("b1", &[NY]),
        visit("v1", "2026-03-03T15:00:00Z")
            .outcome("no_answer")
            .line(),
        visit("v2", "2026-03-20T15:00:00Z").line(),
        visit("v3", "2026-04-02T12:00:00Z").line(),
    ];
    let vs = screen(&ma, &lines);
    all_allowed(&vs, &["v1", "v3"]);
    expect(
        verdict(&vs, "v2"),
        Deny,
        &["us-ma.visits"],
        Some("2026-04-02T12:00:00Z"),
    );
}

#[test]
fn ma_and_federal_rules_stack() {
    let ma = engine(&["us-ma"]);
    let lines = vec![
        borrower("b1", &[NY]),
        ma_call("c1", "2026-03-03T15:00:00Z", "d1")
            .outcome("voicemail")
            .line(),
        ma_call("c2", "2026-03-04T15:00:00Z", "d1")
            .outcome("voicemail")
            .line(),
        // 22:00 EDT on 03-08 (the day DST starts), the 3rd this week.
        ma_call("c3", "2026-03-09T02:00:00Z", "d1").line(),
    ];
    let vs = screen(&ma, &lines);
    // The state cap frees up when the window (ending 03-10: 03-04..03-10) holds one call;
    // the federal hours then move it to 08:00 EDT.
    expect(
        verdict(&vs, "c3"),
        Deny,
        &["us-ma.call-cap-personal", "us.regf.inconvenient-time"],
        Some("2026-03-10T12:00:00Z"),
    );
}

// ---- Washington ----

#[test]
fn wa_three_communications_a_week_in_any_medium() {
    let wa = engine(&["us-wa"]);
    let lines = vec![
        borrower("b1", &[LA]),
        contact("letter", "b1", "2026-03-03T18:00:00Z", "letter")
            .address("1 Pine St, Seattle", "personal")
            .outcome("delivered")
            .line(),
        contact("email", "b1", "2026-03-04T18:00:00Z", "email")
            .address("b1@example.com", "personal")
            .outcome("delivered")
            .line(),
        contact("rang-out", "b1", "2026-03-05T18:00:00Z", "call")
            .address(WA_CELL, "personal")
            .outcome("no_answer")
            .line(),
        contact("sms", "b1", "2026-03-06T18:00:00Z", "sms")
            .address(WA_CELL, "personal")
            .outcome("delivered")
            .line(),
        // The 4th communication in 7 days (the call that rang out was not one).
        contact("email2", "b1", "2026-03-08T18:00:00Z", "email")
            .address("b1@example.com", "personal")
            .line(),
    ];
    let vs = screen(&wa, &lines);
    all_allowed(&vs, &["letter", "email", "rang-out", "sms"]);
    // 03-10 00:00 PDT is in the federal quiet hours: 08:00 PDT = 15:00Z.
    expect(
        verdict(&vs, "email2"),
        Deny,
        &["us-wa.communications-per-week"],
        Some("2026-03-10T15:00:00Z"),
    );
}

#[test]
fn wa_family_communications_count_with_the_debtor() {
    let wa = engine(&["us-wa"]);
    let lines = vec![
        borrower("b1", &[LA]),
        contact("spouse", "b1", "2026-03-03T18:00:00Z", "call")
            .third_party("family", false)
            .address("+12065550111", "personal")
            .purpose("location_inquiry")
            .outcome("conversation")
            .line(),
        contact("l1", "b1", "2026-03-04T18:00:00Z", "letter")
            .address("1 Pine St, Seattle", "personal")
            .outcome("delivered")
            .line(),
        contact("l2", "b1", "2026-03-05T18:00:00Z", "letter")
            .address("1 Pine St, Seattle", "personal")
            .outcome("delivered")
            .line(),
        contact("l3", "b1", "2026-03-06T18:00:00Z", "letter")
            .address("1 Pine St, Seattle", "personal")
            .line(),
    ];
    let vs = screen(&wa, &lines);
    all_allowed(&vs, &["spouse", "l1", "l2"]);
    // Letters are not limited by the federal hours; the window ending 03-10 (03-04..03-10)
    // holds 2, so the answer is local midnight, 00:00 PDT.
    expect(
        verdict(&vs, "l3"),
        Deny,
        &["us-wa.communications-per-week"],
        Some("2026-03-10T07:00:00Z"),
    );
}

#[test]
fn wa_once_a_week_at_work() {
    let wa = engine(&["us-wa"]);
    let lines = vec![
        borrower("b1", &[LA]),
        contact("w1", "b1", "2026-03-03T18:00:00Z", "call")
            .address(WA_WORK, "work")
            .outcome("voicemail")
            .line(),
        contact("w2", "b1", "2026-03-06T18:00:00Z", "call")
            .address(WA_WORK, "work")
            .line(),
        contact("cell", "b1", "2026-03-06T18:00:00Z", "call")
            .address(WA_CELL, "personal")
            .line(),
    ];
    let vs = screen(&wa, &lines);
    expect(verdict(&vs, "w1"), Review, &["us.fdcpa.workplace"], None);
    expect(
        verdict(&vs, "w2"),
        Deny,
        &["us-wa.workplace", "us.fdcpa.workplace"],
        Some("2026-03-10T15:00:00Z"),
    );
    all_allowed(&vs, &["cell"]);
}

#[test]
fn wa_hours_start_at_0730_but_the_federal_0800_is_stricter() {
    let wa = engine(&["us-wa"]);
    let cell = |id: &str, at: &str| contact(id, "b1", at, "call").address(WA_CELL, "personal");
    let lines = vec![
        borrower("b1", &[LA]),
        // 07:15 PST: both the state and the federal rule.
        cell("0715", "2026-03-03T15:15:00Z").line(),
        // 07:45 PST: only the federal rule.
        cell("0745", "2026-03-03T15:45:00Z").line(),
        cell("0800", "2026-03-03T16:00:00Z").line(),
        // 21:00 PST: both.
        cell("2100", "2026-03-04T05:00:00Z").line(),
    ];
    let vs = screen(&wa, &lines);
    expect(
        verdict(&vs, "0715"),
        Deny,
        &["us-wa.hours", "us.regf.inconvenient-time"],
        Some("2026-03-03T16:00:00Z"),
    );
    expect(
        verdict(&vs, "0745"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-03T16:00:00Z"),
    );
    all_allowed(&vs, &["0800"]);
    expect(
        verdict(&vs, "2100"),
        Deny,
        &["us-wa.hours", "us.regf.inconvenient-time"],
        Some("2026-03-04T16:00:00Z"),
    );
}

#[test]
fn wa_hours_yield_to_the_debtors_request() {
    let wa = engine(&["us-wa"]);
    let lines = vec![
        borrower("b1", &[LA]),
        consent("b1", "2026-03-02T18:00:00Z", "call_outside_hours"),
        contact("0700", "b1", "2026-03-03T15:00:00Z", "call")
            .address(WA_CELL, "personal")
            .line(),
    ];
    all_allowed(&screen(&wa, &lines), &["0700"]);
}

#[test]
fn wa_a_contact_without_address_kind_may_be_at_work() {
    // `[rule.scope] address_kinds` reads a contact without an `address_kind` as possibly of
    // any kind: two such letters in a week reach the workplace cap, but since the log does not
    // say the address is a work address, the finding is a `review`, not a `deny` (and carries
    // no `next_allowed_at`, which belongs to timing denials).
    let wa = engine(&["us-wa"]);
    let lines = vec![
        borrower("b1", &[LA]),
        contact("l1", "b1", "2026-03-04T18:00:00Z", "letter")
            .outcome("delivered")
            .line(),
        contact("l2", "b1", "2026-03-05T18:00:00Z", "letter").line(),
        contact("l2-home", "b1", "2026-03-05T18:00:00Z", "letter")
            .address("1 Pine St, Seattle", "personal")
            .line(),
    ];
    let vs = screen(&wa, &lines);
    expect(verdict(&vs, "l2"), Review, &["us-wa.workplace"], None);
    assert!(verdict(&vs, "l2").reasons[0]
        .message
        .contains("gives no `address_kind`"));
    all_allowed(&vs, &["l1", "l2-home"]);
    // The same letters through a known work address: a denial, with the date it frees up.
    let lines = vec![
        borrower("b1", &[LA]),
        contact("l1", "b1", "2026-03-04T18:00:00Z", "letter")
            .address("Acme Corp, Seattle", "work")
            .outcome("delivered")
            .line(),
        contact("l2", "b1", "2026-03-05T18:00:00Z", "letter")
            .address("Acme Corp, Seattle", "work")
            .line(),
    ];
    let vs = screen(&wa, &lines);
    expect(
        verdict(&vs, "l2"),
        Deny,
        &["us-wa.workplace"],
        Some("2026-03-11T07:00:00Z"),
    );
}
