//! Invariants shared by the fuzz targets. Each one panics (so libFuzzer reports a crash) when
//! the library breaks a promise the README makes.

use chrono::{DateTime, Utc};
use collectguard::{Decision, Severity, Verdict};

/// Checks what every verdict promises: the decision is the most restrictive severity among
/// the reasons, reasons are sorted, spans lie on character boundaries inside `text` (and
/// only text rules have spans), `next_allowed_at` only comes with a timing denial and is not
/// before the attempt, and the JSON form round-trips.
pub fn check_verdict(v: &Verdict, text: Option<&str>, at: Option<DateTime<Utc>>) {
    let expected = v
        .reasons
        .iter()
        .map(|r| r.severity.decision())
        .max()
        .unwrap_or(Decision::Allow);
    assert_eq!(
        v.decision, expected,
        "decision is not the most restrictive reason: {v:?}"
    );
    for pair in v.reasons.windows(2) {
        let ka = (pair[0].span.map(|s| s.start), &pair[0].rule);
        let kb = (pair[1].span.map(|s| s.start), &pair[1].rule);
        assert!(ka <= kb, "reasons out of order: {v:?}");
    }
    for r in &v.reasons {
        assert!(!r.rule.is_empty(), "reason without a rule id: {v:?}");
        assert!(
            !r.citation.trim().is_empty(),
            "reason without a citation: {v:?}"
        );
        if let Some(span) = r.span {
            let text = text.unwrap_or_else(|| panic!("span without a text: {r:?}"));
            assert!(span.start <= span.end, "inverted span {span:?}");
            assert!(
                span.end <= text.len(),
                "span {span:?} past the end ({} bytes)",
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} not on character boundaries of {text:?}"
            );
            assert!(span.text(text).is_some());
        }
    }
    if let Some(next) = v.next_allowed_at {
        assert!(
            v.reasons
                .iter()
                .any(|r| r.severity == Severity::Deny && r.category.is_timing()),
            "next_allowed_at without a timing denial: {v:?}"
        );
        if let Some(at) = at {
            assert!(next >= at, "next_allowed_at {next} before the attempt");
        }
    }
    let json = serde_json::to_string(v).expect("a verdict serialises");
    let back: Verdict = serde_json::from_str(&json).expect("a verdict's JSON reads back");
    assert_eq!(&back, v, "verdict JSON does not round-trip");
}

/// How many lines `collectguard::read_lines` must report for `data`: one per `\n`, plus one
/// for a last line without a line break.
pub fn expected_lines(data: &[u8]) -> usize {
    let breaks = data.iter().filter(|&&b| b == b'\n').count();
    breaks + usize::from(!data.is_empty() && data.last() != Some(&b'\n'))
}
