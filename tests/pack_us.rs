//! Scenarios for the `us` pack (FDCPA and Regulation F), built from the regulation text and
//! run through the public API. Each asserts the decision, the rules that fired and
//! `next_allowed_at`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use collectguard::Decision::{Deny, Review};
use common::*;
use serde_json::json;

const NY: &str = "America/New_York";
const CELL: &str = "+12125550100";

fn us() -> collectguard::Engine {
    engine(&["us"])
}

/// An outbound call to the borrower's mobile about `debts`.
fn call(id: &str, at: &str, debts: &[&str]) -> Contact {
    contact(id, "b1", at, "call")
        .debts(debts)
        .address(CELL, "personal")
}

/// One unanswered call a day about `debts`, 14:00Z (09:00 EST / 10:00 EDT), from `first` on.
fn daily_calls(prefix: &str, days: &[&str], debts: &[&str]) -> Vec<String> {
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            call(
                &format!("{prefix}{}", i + 1),
                &format!("{d}T14:00:00Z"),
                debts,
            )
            .outcome("no_answer")
            .line()
        })
        .collect()
}

const WEEK: [&str; 7] = [
    "2026-03-02",
    "2026-03-03",
    "2026-03-04",
    "2026-03-05",
    "2026-03-06",
    "2026-03-07",
    "2026-03-08",
];

#[test]
fn seven_calls_in_seven_days_are_allowed_and_the_eighth_is_denied() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK, &["d1"]));
    // The 8th, on Sunday 2026-03-08 (the day DST starts) at 16:00 EDT.
    lines.push(call("c8", "2026-03-08T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["c1", "c2", "c3", "c4", "c5", "c6", "c7"]);
    // The window 03-02..03-08 holds 7 calls; on 03-09 it is 03-03..03-09 with 6. Midnight of
    // 03-09 is inside quiet hours, so the answer is 08:00 EDT = 12:00Z (not 13:00Z: DST).
    expect(
        verdict(&vs, "c8"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
}

#[test]
fn the_eighth_call_via_check_contact() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK, &["d1"]));
    lines.push(call("c8", "2026-03-08T20:00:00Z", &["d1"]).line());
    let v = check_last(&us(), &lines);
    expect(
        &v,
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
    // The message names the rule's subject; the citation is the regulation's.
    let r = &v.reasons[0];
    assert_eq!(r.citation, "12 CFR 1006.14(b)(2)(i)(A)");
    assert_eq!(
        r.message,
        "8th call in 7 days about debt `d1` (more than 7 is presumed harassment)"
    );
    assert_eq!(
        serde_json::to_value(r.category).unwrap(),
        json!("frequency")
    );
}

#[test]
fn the_conversation_day_is_day_one_of_the_cooloff() {
    let lines = vec![
        borrower("b1", &[NY]),
        // Tuesday 2026-03-10, 11:00 EDT.
        call("t1", "2026-03-10T15:00:00Z", &["d1"])
            .outcome("conversation")
            .line(),
        // Same day, later: inside the period.
        call("p0", "2026-03-10T19:00:00Z", &["d1"]).line(),
        // Monday 2026-03-16 is day 7.
        call("p7", "2026-03-16T15:00:00Z", &["d1"]).line(),
        // Tuesday 2026-03-17, 08:00 EDT, is day 8.
        call("p8", "2026-03-17T12:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["t1", "p8"]);
    expect(
        verdict(&vs, "p0"),
        Deny,
        &["us.regf.call-cooloff"],
        Some("2026-03-17T12:00:00Z"),
    );
    expect(
        verdict(&vs, "p7"),
        Deny,
        &["us.regf.call-cooloff"],
        Some("2026-03-17T12:00:00Z"),
    );
}

#[test]
fn calls_not_connected_are_not_counted() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK[..6], &["d1"]));
    lines.push(
        call("nc", "2026-03-08T14:00:00Z", &["d1"])
            .outcome("not_connected")
            .line(),
    );
    lines.push(call("c8", "2026-03-08T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["c1", "c6", "nc", "c8"]);
}

#[test]
fn calls_to_the_attorney_are_not_counted() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK[..6], &["d1"]));
    for (i, at) in ["2026-03-07T16:00:00Z", "2026-03-08T16:00:00Z"]
        .iter()
        .enumerate()
    {
        lines.push(
            contact(&format!("a{i}"), "b1", at, "call")
                .debts(&["d1"])
                .third_party("attorney", false)
                .address("+12125550177", "work")
                .outcome("conversation")
                .line(),
        );
    }
    // 6 calls to the consumer + 2 to the attorney: the next call to the consumer is the 7th.
    lines.push(call("c7", "2026-03-08T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["a0", "a1", "c7"]);
}

#[test]
fn calls_within_seven_days_of_consent_are_not_counted() {
    let mut lines = vec![
        borrower("b1", &[NY]),
        // Consent on Monday 03-02 (day 1) to calls about the debt.
        consent("b1", "2026-03-02T13:30:00Z", "call_frequency"),
    ];
    lines.extend(daily_calls("c", &WEEK, &["d1"]));
    // Two more on day 7: 9 calls inside the consent period, none counted.
    lines.push(
        call("c8", "2026-03-08T18:00:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
    );
    lines.push(
        call("c9", "2026-03-08T20:00:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
    );
    // Day 8 (03-09): the consent period is over; nothing before it counts, so allowed.
    lines.push(call("c10", "2026-03-09T14:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["c7", "c8", "c9", "c10"]);
}

#[test]
fn without_consent_the_same_calls_would_be_denied() {
    // The control for the consent test: the 8th call on 03-08 is denied.
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK, &["d1"]));
    lines.push(
        call("c8", "2026-03-08T18:00:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
    );
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "c8"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
}

#[test]
fn each_debt_is_counted_separately() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK, &["d1"]));
    lines.push(call("other", "2026-03-08T20:00:00Z", &["d2"]).line());
    lines.push(call("same", "2026-03-08T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["other"]);
    expect(
        verdict(&vs, "same"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
}

#[test]
fn a_call_about_two_debts_counts_for_both() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK, &["d1", "d2"]));
    lines.push(call("d2only", "2026-03-08T20:00:00Z", &["d2"]).line());
    lines.push(call("d3only", "2026-03-08T20:00:00Z", &["d3"]).line());
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "d2only"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
    all_allowed(&vs, &["d3only"]);
}

#[test]
fn a_conversation_about_two_debts_starts_the_cooloff_for_both() {
    let lines = vec![
        borrower("b1", &[NY]),
        call("t", "2026-03-10T15:00:00Z", &["d1", "d2"])
            .outcome("conversation")
            .line(),
        call("p1", "2026-03-12T15:00:00Z", &["d1"]).line(),
        call("p2", "2026-03-12T15:00:00Z", &["d2"]).line(),
        call("p3", "2026-03-12T15:00:00Z", &["d3"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "p1"),
        Deny,
        &["us.regf.call-cooloff"],
        Some("2026-03-17T12:00:00Z"),
    );
    expect(
        verdict(&vs, "p2"),
        Deny,
        &["us.regf.call-cooloff"],
        Some("2026-03-17T12:00:00Z"),
    );
    all_allowed(&vs, &["t", "p3"]);
}

#[test]
fn an_inbound_conversation_starts_the_cooloff() {
    let lines = vec![
        borrower("b1", &[NY]),
        // The consumer calls in on Tuesday 03-10 and talks about d1.
        call("in", "2026-03-10T15:00:00Z", &["d1"])
            .inbound()
            .outcome("conversation")
            .line(),
        call("p", "2026-03-13T15:00:00Z", &["d1"]).line(),
        call("later", "2026-03-17T13:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["in", "later"]);
    expect(
        verdict(&vs, "p"),
        Deny,
        &["us.regf.call-cooloff"],
        Some("2026-03-17T12:00:00Z"),
    );
}

#[test]
fn inbound_calls_do_not_count_toward_seven_in_seven() {
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &WEEK[..6], &["d1"]));
    // Two unanswered callbacks the consumer placed (inbound, no conversation).
    lines.push(
        call("i1", "2026-03-08T13:00:00Z", &["d1"])
            .inbound()
            .outcome("no_answer")
            .line(),
    );
    lines.push(
        call("i2", "2026-03-08T14:00:00Z", &["d1"])
            .inbound()
            .outcome("no_answer")
            .line(),
    );
    lines.push(call("c7", "2026-03-08T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["i1", "i2", "c7"]);
}

#[test]
fn local_time_edges_0759_0800_2059_2100() {
    // 2026-03-03 is in EST (UTC-5).
    let lines = vec![
        borrower("b1", &[NY]),
        call("0759", "2026-03-03T12:59:00Z", &["d1"]).line(),
        call("0800", "2026-03-03T13:00:00Z", &["d1"]).line(),
        call("2059", "2026-03-04T01:59:00Z", &["d1"]).line(),
        call("2100", "2026-03-04T02:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "0759"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-03T13:00:00Z"),
    );
    all_allowed(&vs, &["0800", "2059"]);
    expect(
        verdict(&vs, "2100"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-04T13:00:00Z"),
    );
}

#[test]
fn a_borrower_in_two_zones_is_called_only_when_convenient_in_both() {
    let lines = vec![
        borrower("b1", &[NY, "America/Los_Angeles"]),
        // 10:30 in New York, 07:30 in Los Angeles.
        call("morning", "2026-03-03T15:30:00Z", &["d1"]).line(),
        // 20:30 in New York, 17:30 in Los Angeles.
        call("evening", "2026-03-04T01:30:00Z", &["d1"]).line(),
        // 21:30 in New York, 18:30 in Los Angeles.
        call("late", "2026-03-04T02:30:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "morning"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-03T16:00:00Z"),
    );
    all_allowed(&vs, &["evening"]);
    // The next window open in both zones: 08:00 in Los Angeles.
    expect(
        verdict(&vs, "late"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-04T16:00:00Z"),
    );
}

#[test]
fn dst_spring_forward() {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    let lines = vec![
        borrower("b1", &[NY]),
        // 01:30 EST.
        call("night", "2026-03-08T06:30:00Z", &["d1"]).line(),
        // 07:59 EDT.
        call("0759", "2026-03-08T11:59:00Z", &["d1"]).line(),
        // 08:00 EDT is 12:00Z, an hour earlier in UTC than the day before.
        call("0800", "2026-03-08T12:00:00Z", &["d1"]).line(),
        // 21:00 EDT.
        call("2100", "2026-03-09T01:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "night"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-08T12:00:00Z"),
    );
    expect(
        verdict(&vs, "0759"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-08T12:00:00Z"),
    );
    all_allowed(&vs, &["0800"]);
    expect(
        verdict(&vs, "2100"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-09T12:00:00Z"),
    );
}

#[test]
fn dst_fall_back() {
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:30 happens twice.
    let lines = vec![
        borrower("b1", &[NY]),
        // 01:30 EDT, the first 01:30.
        call("first-0130", "2026-11-01T05:30:00Z", &["d1"]).line(),
        // 01:30 EST, the second.
        call("second-0130", "2026-11-01T06:30:00Z", &["d1"]).line(),
        // 07:59 EST.
        call("0759", "2026-11-01T12:59:00Z", &["d1"]).line(),
        // 08:00 EST is 13:00Z, an hour later in UTC than the day before.
        call("0800", "2026-11-01T13:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    for id in ["first-0130", "second-0130", "0759"] {
        expect(
            verdict(&vs, id),
            Deny,
            &["us.regf.inconvenient-time"],
            Some("2026-11-01T13:00:00Z"),
        );
    }
    all_allowed(&vs, &["0800"]);
}

#[test]
fn seven_in_seven_across_the_fall_back() {
    let days = [
        "2026-10-26",
        "2026-10-27",
        "2026-10-28",
        "2026-10-29",
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
    ];
    let mut lines = vec![borrower("b1", &[NY])];
    lines.extend(daily_calls("c", &days, &["d1"]));
    lines.push(call("c8", "2026-11-01T20:00:00Z", &["d1"]).line());
    let vs = screen(&us(), &lines);
    // Monday 11-02, 08:00 EST.
    expect(
        verdict(&vs, "c8"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-11-02T13:00:00Z"),
    );
}

#[test]
fn a_designated_inconvenient_time_then_the_evening_limit() {
    let lines = vec![
        borrower("b1", &[NY]),
        inconvenient("b1", "2026-03-02T15:00:00Z", "18:00", "21:00"),
        // 17:00 EST: before the designated window.
        call("c2", "2026-03-03T22:00:00Z", &["d1"]).line(),
        // 19:00 EST: inside the designated window; when it ends, 21:00, the evening limit
        // begins, so the next allowed time is 08:00 the next morning.
        call("c1", "2026-03-04T00:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "c1"),
        Deny,
        &["us.regf.designated-time"],
        Some("2026-03-04T13:00:00Z"),
    );
    all_allowed(&vs, &["c2"]);
}

#[test]
fn consent_to_call_outside_hours() {
    let lines = vec![
        borrower("b1", &[NY]),
        consent("b1", "2026-03-02T15:00:00Z", "call_outside_hours"),
        call("late", "2026-03-04T02:30:00Z", &["d1"]).line(),
    ];
    all_allowed(&screen(&us(), &lines), &["late"]);
}

#[test]
fn cease() {
    let lines = vec![
        borrower("b1", &[NY]),
        event("cease", "b1", "2026-03-05T12:00:00Z", json!({})),
        call("call", "2026-03-06T15:00:00Z", &["d1"]).line(),
        contact("ack", "b1", "2026-03-06T16:00:00Z", "letter")
            .purpose("cease_acknowledgement")
            .line(),
        contact("remedy", "b1", "2026-03-06T16:00:00Z", "letter")
            .purpose("remedy_notice")
            .line(),
        contact("email", "b1", "2026-03-06T16:00:00Z", "email")
            .address("b1@example.com", "personal")
            .line(),
        // A call after cease at 22:00: both rules; `next_allowed_at` still says when the
        // timing rules would pass.
        call("night", "2026-03-07T03:00:00Z", &["d1"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(verdict(&vs, "call"), Deny, &["us.fdcpa.cease"], None);
    expect(verdict(&vs, "email"), Deny, &["us.fdcpa.cease"], None);
    all_allowed(&vs, &["ack", "remedy"]);
    expect(
        verdict(&vs, "night"),
        Deny,
        &["us.fdcpa.cease", "us.regf.inconvenient-time"],
        Some("2026-03-07T13:00:00Z"),
    );
}

#[test]
fn attorney_representation() {
    let lines = vec![
        borrower("b1", &[NY]),
        call("before", "2026-03-04T15:00:00Z", &["d1"]).line(),
        event("represented", "b1", "2026-03-05T12:00:00Z", json!({})),
        call("consumer", "2026-03-06T15:00:00Z", &["d1"]).line(),
        contact("attorney", "b1", "2026-03-06T15:00:00Z", "call")
            .debts(&["d1"])
            .third_party("attorney", false)
            .address("+12125550177", "work")
            .line(),
    ];
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["before", "attorney"]);
    expect(verdict(&vs, "consumer"), Deny, &["us.fdcpa.attorney"], None);
}

#[test]
fn opt_out_by_medium_and_by_address() {
    let lines = vec![
        borrower("b1", &[NY]),
        opt_out("b1", "2026-03-02T15:00:00Z", "sms"),
        event(
            "opt_out",
            "b1",
            "2026-03-02T15:00:00Z",
            json!({"channel": "email", "address": "b1@example.com"}),
        ),
        contact("sms", "b1", "2026-03-03T15:00:00Z", "sms")
            .address(CELL, "personal")
            .line(),
        contact("confirm", "b1", "2026-03-03T15:00:00Z", "sms")
            .address(CELL, "personal")
            .purpose("opt_out_confirmation")
            .line(),
        call("call", "2026-03-03T15:00:00Z", &["d1"]).line(),
        contact("email-same", "b1", "2026-03-03T15:00:00Z", "email")
            .address("b1@example.com", "personal")
            .line(),
        contact("email-other", "b1", "2026-03-03T15:00:00Z", "email")
            .address("b1@example.net", "personal")
            .line(),
    ];
    let vs = screen(&us(), &lines);
    expect(verdict(&vs, "sms"), Deny, &["us.regf.opt-out-medium"], None);
    expect(
        verdict(&vs, "email-same"),
        Deny,
        &["us.regf.opt-out-medium"],
        None,
    );
    all_allowed(&vs, &["confirm", "call", "email-other"]);
}

#[test]
fn a_consent_to_the_medium_reopens_it() {
    let lines = vec![
        borrower("b1", &[NY]),
        opt_out("b1", "2026-03-02T15:00:00Z", "sms"),
        event(
            "consent",
            "b1",
            "2026-03-04T15:00:00Z",
            json!({"scope": "channel", "channel": "sms"}),
        ),
        contact("sms", "b1", "2026-03-05T15:00:00Z", "sms")
            .address(CELL, "personal")
            .line(),
    ];
    all_allowed(&screen(&us(), &lines), &["sms"]);
}

#[test]
fn work_email_and_workplace_calls() {
    let lines = vec![
        borrower("b1", &[NY]),
        contact("work-email", "b1", "2026-03-03T15:00:00Z", "email")
            .address("b1@employer.example", "work")
            .line(),
        contact("work-call", "b1", "2026-03-03T15:00:00Z", "call")
            .address("+12125550199", "work")
            .line(),
        consent("b1", "2026-03-04T15:00:00Z", "workplace"),
        contact("work-email-ok", "b1", "2026-03-05T15:00:00Z", "email")
            .address("b1@employer.example", "work")
            .line(),
    ];
    let vs = screen(&us(), &lines);
    expect(
        verdict(&vs, "work-email"),
        Deny,
        &["us.regf.work-email"],
        None,
    );
    expect(
        verdict(&vs, "work-call"),
        Review,
        &["us.fdcpa.workplace"],
        None,
    );
    all_allowed(&vs, &["work-email-ok"]);
}

#[test]
fn third_parties_only_for_one_location_inquiry() {
    let neighbour = |id: &str, at: &str| {
        contact(id, "b1", at, "call")
            .third_party("neighbor", false)
            .address("+12125550166", "personal")
            .purpose("location_inquiry")
    };
    let lines = vec![
        borrower("b1", &[NY]),
        contact("sister", "b1", "2026-03-03T15:00:00Z", "call")
            .third_party("family", false)
            .address("+12125550155", "personal")
            .line(),
        neighbour("ask1", "2026-03-03T16:00:00Z")
            .outcome("conversation")
            .line(),
        neighbour("ask2", "2026-03-10T16:00:00Z").line(),
    ];
    let vs = screen(&us(), &lines);
    expect(verdict(&vs, "sister"), Deny, &["us.regf.third-party"], None);
    all_allowed(&vs, &["ask1"]);
    expect(verdict(&vs, "ask2"), Deny, &["us.regf.third-party"], None);
}

#[test]
fn social_media_is_flagged_for_review() {
    let lines = vec![
        borrower("b1", &[NY]),
        contact("dm", "b1", "2026-03-03T15:00:00Z", "social").line(),
    ];
    expect(
        verdict(&screen(&us(), &lines), "dm"),
        Review,
        &["us.regf.social-media"],
        None,
    );
}

#[test]
fn bursts_under_the_cap_are_flagged_for_review() {
    let lines = vec![
        borrower("b1", &[NY]),
        call("r1", "2026-03-03T15:00:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
        // Redial 2 minutes later: the rapid-redial flag, but still an allow-able call otherwise.
        call("r2", "2026-03-03T15:02:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
        call("r3", "2026-03-03T16:00:00Z", &["d2"])
            .outcome("no_answer")
            .line(),
        call("r4", "2026-03-03T17:00:00Z", &["d3"])
            .outcome("no_answer")
            .line(),
        call("r5", "2026-03-03T18:00:00Z", &["d1"])
            .outcome("no_answer")
            .line(),
        call("r6", "2026-03-03T19:00:00Z", &["d2"])
            .outcome("no_answer")
            .line(),
        // The 7th call today, over three debts: each debt is far under 7-in-7.
        call("r7", "2026-03-03T20:00:00Z", &["d3"]).line(),
    ];
    let vs = screen(&us(), &lines);
    expect(verdict(&vs, "r2"), Review, &["us.regf.rapid-redial"], None);
    all_allowed(&vs, &["r1", "r3", "r4", "r5", "r6"]);
    expect(verdict(&vs, "r7"), Review, &["us.regf.calls-per-day"], None);
}

#[test]
fn never_the_debt_to_a_third_party_and_the_opt_out_notice_in_texts() {
    // Whom may be contacted (one location inquiry) and what may be said (never the debt)
    // are separate rules.
    let inquiry = |id: &str, text: &str| {
        contact(id, "b1", "2026-03-03T15:00:00Z", "call")
            .third_party("neighbor", false)
            .address("+12125550166", "personal")
            .purpose("location_inquiry")
            .text(text)
            .line()
    };
    let lines = vec![
        borrower("b1", &[NY]),
        inquiry(
            "location-only",
            "Hi, this is Sarah Jones calling for Mark Wilson. Could you have him call me at \
             888-555-0110? Thank you.",
        ),
        inquiry(
            "tells-the-debt",
            "Hi, this is Sarah Jones. Mark Wilson owes us money and his account is 90 days past \
             due. Where can I reach him?",
        ),
        contact("sms-no-notice", "b1", "2026-03-03T15:00:00Z", "sms")
            .address(CELL, "personal")
            .text("This is Acme Recovery, a debt collector. Please call 888-555-0110 about your account.")
            .line(),
        contact("sms-notice", "b1", "2026-03-03T15:00:00Z", "sms")
            .address(CELL, "personal")
            .text(
                "This is Acme Recovery, a debt collector. Please call 888-555-0110 about your \
                 account. Reply STOP to stop texts to this number.",
            )
            .line(),
    ];
    let vs = screen(&us(), &lines);
    all_allowed(&vs, &["location-only", "sms-notice"]);
    let v = verdict(&vs, "tells-the-debt");
    assert_eq!(v.decision, Deny, "{v:#?}");
    assert!(v.fired("us.text.debt-to-third-party"), "{v:#?}");
    assert!(
        !v.fired("us.regf.third-party"),
        "a first location inquiry may be made: {v:#?}"
    );
    expect(
        verdict(&vs, "sms-no-notice"),
        Deny,
        &["us.text.opt-out-notice"],
        None,
    );
}
