//! `examples/contacts.jsonl`, the log the README's first command screens, decides as its
//! story says: every contact's decision, rules and `next_allowed_at`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use collectguard::Decision::{Deny, Review};
use collectguard::Engine;
use common::*;

#[test]
fn the_example_log_decides_as_documented() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/contacts.jsonl"
    ))
    .unwrap();
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    // No default pack: each borrower names its own, as in `collectguard check` without `--pack`.
    let engine = Engine::builder().build().unwrap();
    let vs = screen(&engine, &lines);
    assert_eq!(vs.len(), 33, "one verdict per contact");

    // China.
    expect(
        verdict(&vs, "cn-1001-01"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-02T08:00:00+08:00"),
    );
    expect(
        verdict(&vs, "cn-1001-05"),
        Deny,
        &["cn.third-party-contacts"],
        None,
    );
    expect(
        verdict(&vs, "cn-1001-06"),
        Deny,
        &["cn.quiet-hours"],
        Some("2026-03-03T08:00:00+08:00"),
    );
    expect(
        verdict(&vs, "cn-1001-07"),
        Deny,
        &["cn.third-party-refused"],
        None,
    );
    expect(
        verdict(&vs, "cn-1002-04"),
        Deny,
        &["cn.conversations-per-day"],
        Some("2026-03-03T08:00:00+08:00"),
    );
    all_allowed(
        &vs,
        &[
            "cn-1001-02",
            "cn-1001-03",
            "cn-1001-04",
            "cn-1002-01",
            "cn-1002-02",
            "cn-1002-03",
            "cn-1002-06",
            "cn-1002-05",
        ],
    );

    // United States.
    expect(
        verdict(&vs, "us-2001-01"),
        Deny,
        &["us.regf.inconvenient-time"],
        Some("2026-03-02T13:00:00Z"),
    );
    expect(
        verdict(&vs, "us-2001-04"),
        Deny,
        &["us.regf.opt-out-medium"],
        None,
    );
    expect(
        verdict(&vs, "us-2001-10"),
        Deny,
        &["us.regf.call-frequency"],
        Some("2026-03-09T12:00:00Z"),
    );
    expect(
        verdict(&vs, "us-2001-12"),
        Review,
        &["us.regf.social-media"],
        None,
    );
    expect(
        verdict(&vs, "us-2001-14"),
        Deny,
        &["us.regf.third-party"],
        None,
    );
    expect(
        verdict(&vs, "us-2002-03"),
        Deny,
        &["us-ma.call-cap-personal"],
        Some("2026-03-09T12:00:00Z"),
    );
    expect(verdict(&vs, "us-2002-04"), Deny, &["us.fdcpa.cease"], None);
    all_allowed(
        &vs,
        &[
            "us-2001-02",
            "us-2001-03",
            "us-2001-05",
            "us-2001-06",
            "us-2001-07",
            "us-2001-08",
            "us-2001-09",
            "us-2001-11",
            "us-2001-13",
            "us-2002-01",
            "us-2002-02",
            "us-2002-05",
        ],
    );
}
