//! Scenarios for the `au` pack (ACCC/ASIC debt collection guideline, 2021) and the `uk` pack
//! (FCA CONC 7), run through the public API.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use collectguard::Decision::{Deny, Review};
use common::*;

const SYD: &str = "Australia/Sydney";
const PERTH: &str = "Australia/Perth";
const AU_MOBILE: &str = "+61412345678";
const AU_WORK: &str = "+61290001234";

fn au() -> collectguard::Engine {
    engine(&["au"])
}

fn phone(id: &str, at: &str) -> Contact {
    contact(id, "b1", at, "call")
        .debts(&["a1"])
        .address(AU_MOBILE, "personal")
}

#[test]
fn au_telephone_hours_weekdays_and_weekends() {
    // March 2026: Sydney is on daylight time (+11:00).
    let lines = vec![
        borrower("b1", &[SYD]),
        phone("tue-0729", "2026-03-03T07:29:00+11:00").line(),
        phone("tue-0730", "2026-03-03T07:30:00+11:00").line(),
        phone("tue-2059", "2026-03-03T20:59:00+11:00").line(),
        phone("sat-0730", "2026-03-07T07:30:00+11:00").line(),
        phone("sat-0900", "2026-03-07T09:00:00+11:00").line(),
        // Friday 21:00: the next window is Saturday at 09:00, not 07:30.
        phone("fri-2100", "2026-03-06T21:00:00+11:00").line(),
        // Sunday 21:00: the next window is Monday at 07:30.
        phone("sun-2100", "2026-03-08T21:00:00+11:00").line(),
    ];
    let vs = screen(&au(), &lines);
    expect(
        verdict(&vs, "tue-0729"),
        Deny,
        &["au.phone-hours"],
        Some("2026-03-03T07:30:00+11:00"),
    );
    all_allowed(&vs, &["tue-0730", "tue-2059", "sat-0900"]);
    expect(
        verdict(&vs, "sat-0730"),
        Deny,
        &["au.phone-hours"],
        Some("2026-03-07T09:00:00+11:00"),
    );
    expect(
        verdict(&vs, "fri-2100"),
        Deny,
        &["au.phone-hours"],
        Some("2026-03-07T09:00:00+11:00"),
    );
    expect(
        verdict(&vs, "sun-2100"),
        Deny,
        &["au.phone-hours"],
        Some("2026-03-09T07:30:00+11:00"),
    );
}

#[test]
fn au_local_time_is_the_debtors() {
    // 07:00 in Perth (+08:00) is 10:00 in Sydney.
    let lines = vec![
        borrower("b1", &[PERTH]),
        phone("perth-0700", "2026-03-03T07:00:00+08:00").line(),
    ];
    let vs = screen(&au(), &lines);
    expect(
        verdict(&vs, "perth-0700"),
        Deny,
        &["au.phone-hours"],
        Some("2026-03-03T07:30:00+08:00"),
    );
}

#[test]
fn au_face_to_face_and_workplace_hours() {
    let lines = vec![
        borrower("b1", &[SYD]),
        contact("visit-0830", "b1", "2026-03-03T08:30:00+11:00", "visit")
            .address("1 George St", "personal")
            .line(),
        contact("visit-0900", "b1", "2026-03-03T09:00:00+11:00", "visit")
            .address("1 George St", "personal")
            .line(),
        contact("work-1700", "b1", "2026-03-03T17:00:00+11:00", "call")
            .address(AU_WORK, "work")
            .line(),
        contact("work-fri-1700", "b1", "2026-03-06T17:00:00+11:00", "call")
            .address(AU_WORK, "work")
            .line(),
        contact("work-1000", "b1", "2026-03-03T10:00:00+11:00", "call")
            .address(AU_WORK, "work")
            .line(),
        contact("mobile-1800", "b1", "2026-03-03T18:00:00+11:00", "call")
            .address(AU_MOBILE, "personal")
            .line(),
    ];
    let vs = screen(&au(), &lines);
    expect(
        verdict(&vs, "visit-0830"),
        Deny,
        &["au.visit-hours"],
        Some("2026-03-03T09:00:00+11:00"),
    );
    expect(
        verdict(&vs, "work-1700"),
        Deny,
        &["au.workplace-hours"],
        Some("2026-03-04T09:00:00+11:00"),
    );
    expect(
        verdict(&vs, "work-fri-1700"),
        Deny,
        &["au.workplace-hours"],
        Some("2026-03-09T09:00:00+11:00"),
    );
    all_allowed(&vs, &["visit-0900", "work-1000", "mobile-1800"]);
}

#[test]
fn au_no_contact_on_national_public_holidays() {
    let lines = vec![
        borrower("b1", &[SYD]),
        // Good Friday: the Saturday is not a national holiday; weekend hours start at 09:00.
        phone("good-friday", "2026-04-03T10:00:00+11:00").line(),
        // Easter Monday, after daylight saving ended on 04-05 (+10:00 from then on).
        phone("easter-monday", "2026-04-06T10:00:00+10:00").line(),
        // Anzac Day 2026 is a Saturday.
        phone("anzac", "2026-04-25T10:00:00+10:00").line(),
        // Christmas Eve 2027 at 21:00: 25, 26, 27 and 28 December are all holidays.
        phone("xmas-eve", "2027-12-24T21:00:00+11:00").line(),
        contact("visit-boxing", "b1", "2025-12-26T11:00:00+11:00", "visit")
            .address("1 George St", "personal")
            .line(),
        // A letter is not telephone or face-to-face contact.
        contact("letter", "b1", "2026-12-25T10:00:00+11:00", "letter").line(),
        phone("ordinary", "2026-04-07T10:00:00+10:00").line(),
    ];
    let vs = screen(&au(), &lines);
    expect(
        verdict(&vs, "good-friday"),
        Deny,
        &["au.holidays"],
        Some("2026-04-04T09:00:00+11:00"),
    );
    expect(
        verdict(&vs, "easter-monday"),
        Deny,
        &["au.holidays"],
        Some("2026-04-07T07:30:00+10:00"),
    );
    expect(
        verdict(&vs, "anzac"),
        Deny,
        &["au.holidays"],
        Some("2026-04-26T09:00:00+10:00"),
    );
    expect(
        verdict(&vs, "xmas-eve"),
        Deny,
        &["au.phone-hours"],
        Some("2027-12-29T07:30:00+11:00"),
    );
    expect(
        verdict(&vs, "visit-boxing"),
        Deny,
        &["au.holidays"],
        Some("2025-12-27T09:00:00+11:00"),
    );
    all_allowed(&vs, &["letter", "ordinary"]);
}

#[test]
fn au_three_actual_contacts_a_week_per_account() {
    let lines = vec![
        borrower("b1", &[SYD]),
        phone("mon", "2026-03-02T11:00:00+11:00")
            .outcome("conversation")
            .line(),
        contact("tue", "b1", "2026-03-03T11:00:00+11:00", "sms")
            .debts(&["a1"])
            .address(AU_MOBILE, "personal")
            .outcome("delivered")
            .line(),
        // Attempts are not contacts.
        phone("tue-missed", "2026-03-03T15:00:00+11:00")
            .outcome("no_answer")
            .line(),
        phone("wed-vm", "2026-03-04T11:00:00+11:00")
            .outcome("voicemail")
            .line(),
        contact("wed", "b1", "2026-03-04T12:00:00+11:00", "email")
            .debts(&["a1"])
            .address("b1@example.com.au", "personal")
            .outcome("delivered")
            .line(),
        phone("thu", "2026-03-05T11:00:00+11:00").line(),
        contact("thu-a2", "b1", "2026-03-05T11:00:00+11:00", "call")
            .debts(&["a2"])
            .address(AU_MOBILE, "personal")
            .line(),
    ];
    let vs = screen(&au(), &lines);
    all_allowed(
        &vs,
        &["mon", "tue", "tue-missed", "wed-vm", "wed", "thu-a2"],
    );
    // The window ending Monday 03-09 no longer holds 03-02; phone hours start at 07:30.
    expect(
        verdict(&vs, "thu"),
        Deny,
        &["au.contacts-per-week"],
        Some("2026-03-09T07:30:00+11:00"),
    );
}

#[test]
fn au_ten_actual_contacts_a_month_per_account() {
    let mut lines = vec![borrower("b1", &[SYD])];
    // Three a week (never more than 3 in any 7 days), then one on 03-22: 10 in March.
    for (i, d) in ["01", "02", "03", "08", "09", "10", "15", "16", "17", "22"]
        .iter()
        .enumerate()
    {
        lines.push(
            phone(
                &format!("c{}", i + 1),
                &format!("2026-03-{d}T11:00:00+11:00"),
            )
            .outcome("conversation")
            .line(),
        );
    }
    lines.push(phone("c11", "2026-03-23T11:00:00+11:00").line());
    let vs = screen(&au(), &lines);
    all_allowed(&vs, &["c1", "c3", "c4", "c7", "c10"]);
    // 30 days ending 03-31 (03-02..03-31) no longer hold 03-01.
    expect(
        verdict(&vs, "c11"),
        Deny,
        &["au.contacts-per-month"],
        Some("2026-03-31T07:30:00+11:00"),
    );
}

#[test]
fn au_consent_to_other_hours() {
    let lines = vec![
        borrower("b1", &[SYD]),
        consent("b1", "2026-03-02T10:00:00+11:00", "call_outside_hours"),
        phone("shift-worker", "2026-03-03T06:30:00+11:00").line(),
    ];
    all_allowed(&screen(&au(), &lines), &["shift-worker"]);
}

// ---- United Kingdom ----

const LONDON: &str = "Europe/London";

fn uk() -> collectguard::Engine {
    engine(&["uk"])
}

fn uk_call(id: &str, at: &str) -> Contact {
    contact(id, "b1", at, "call").address("+447700900123", "personal")
}

#[test]
fn uk_unusual_hours_are_only_flagged() {
    let lines = vec![
        borrower("b1", &[LONDON]),
        // 21:30 BST.
        uk_call("late", "2026-06-10T20:30:00Z").line(),
        // 07:45 GMT.
        uk_call("early", "2026-01-13T07:45:00Z").line(),
        uk_call("day", "2026-06-10T09:00:00Z").line(),
    ];
    let vs = screen(&uk(), &lines);
    expect(
        verdict(&vs, "late"),
        Review,
        &["uk.unreasonable-hours"],
        None,
    );
    expect(
        verdict(&vs, "early"),
        Review,
        &["uk.unreasonable-hours"],
        None,
    );
    all_allowed(&vs, &["day"]);
}

#[test]
fn uk_the_customers_requested_times_are_enforced() {
    let lines = vec![
        borrower("b1", &[LONDON]),
        // A night-shift worker: not between 08:00 and 14:00.
        inconvenient("b1", "2026-06-01T12:00:00Z", "08:00", "14:00"),
        // 09:30 BST.
        uk_call("morning", "2026-06-10T08:30:00Z").line(),
        // 15:00 BST.
        uk_call("afternoon", "2026-06-10T14:00:00Z").line(),
    ];
    let vs = screen(&uk(), &lines);
    expect(
        verdict(&vs, "morning"),
        Deny,
        &["uk.customer-requested-times"],
        Some("2026-06-10T14:00:00+01:00"),
    );
    all_allowed(&vs, &["afternoon"]);
}

#[test]
fn uk_a_request_past_midnight_and_the_review_window_together() {
    let lines = vec![
        borrower("b1", &[LONDON]),
        inconvenient("b1", "2026-06-01T12:00:00Z", "20:00", "09:00"),
        // 21:30 BST: inside the request and outside 08:00–21:00. The request decides; the
        // review rule does not move `next_allowed_at`.
        uk_call("late", "2026-06-10T20:30:00Z").line(),
        // 08:30 BST: inside the request only.
        uk_call("early", "2026-06-11T07:30:00Z").line(),
    ];
    let vs = screen(&uk(), &lines);
    expect(
        verdict(&vs, "late"),
        Deny,
        &["uk.customer-requested-times", "uk.unreasonable-hours"],
        Some("2026-06-11T09:00:00+01:00"),
    );
    expect(
        verdict(&vs, "early"),
        Deny,
        &["uk.customer-requested-times"],
        Some("2026-06-11T09:00:00+01:00"),
    );
}

#[test]
fn uk_requests_about_how_and_third_parties() {
    let lines = vec![
        borrower("b1", &[LONDON]),
        opt_out("b1", "2026-06-01T12:00:00Z", "call"),
        uk_call("call", "2026-06-10T10:00:00Z").line(),
        contact("email", "b1", "2026-06-10T10:00:00Z", "email")
            .address("b1@example.co.uk", "personal")
            .line(),
        contact("employer", "b1", "2026-06-10T10:00:00Z", "email")
            .third_party("employer", false)
            .address("hr@employer.example", "work")
            .line(),
        contact("solicitor", "b1", "2026-06-10T10:00:00Z", "email")
            .third_party("attorney", false)
            .address("law@solicitors.example", "work")
            .line(),
    ];
    let vs = screen(&uk(), &lines);
    expect(
        verdict(&vs, "call"),
        Deny,
        &["uk.customer-requested-medium"],
        None,
    );
    expect(
        verdict(&vs, "employer"),
        Review,
        &["uk.third-party-contact"],
        None,
    );
    all_allowed(&vs, &["email", "solicitor"]);
}
