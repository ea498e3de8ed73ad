//! Helpers shared by the pack scenario tests: build events as JSON Lines (the CLI contract),
//! screen them through the public API, and assert decision, rule ids and `next_allowed_at`.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use collectguard::{Borrower, Decision, Engine, Event, History, Screener, Verdict};
use serde_json::{json, Map, Value};

/// An engine with the given embedded packs as defaults.
pub fn engine(packs: &[&str]) -> Engine {
    let mut b = Engine::builder();
    for p in packs {
        b.pack(*p);
    }
    b.build().expect("embedded packs compile")
}

/// A `borrower` line.
pub fn borrower(id: &str, zones: &[&str]) -> String {
    json!({"type": "borrower", "id": id, "time_zones": zones}).to_string()
}

/// Any other non-contact line, e.g. `event("cease", "b1", "2026-03-05T12:00:00Z", json!({}))`.
pub fn event(kind: &str, borrower: &str, at: &str, extra: Value) -> String {
    let mut m = Map::new();
    m.insert("type".into(), kind.into());
    m.insert("borrower".into(), borrower.into());
    m.insert("at".into(), at.into());
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    Value::Object(m).to_string()
}

/// A `consent` line with a `scope` and nothing else (no channel, no end).
pub fn consent(borrower: &str, at: &str, scope: &str) -> String {
    event("consent", borrower, at, json!({ "scope": scope }))
}

/// An `opt_out` line for a whole channel (no address).
pub fn opt_out(borrower: &str, at: &str, channel: &str) -> String {
    event("opt_out", borrower, at, json!({ "channel": channel }))
}

/// An `inconvenient` line: the borrower asks not to be contacted from `from` to `to` (local
/// `HH:MM`).
pub fn inconvenient(borrower: &str, at: &str, from: &str, to: &str) -> String {
    event(
        "inconvenient",
        borrower,
        at,
        json!({ "from": from, "to": to }),
    )
}

/// A `contact` line under construction.
pub struct Contact(Map<String, Value>);

/// A planned outbound contact with the borrower.
pub fn contact(id: &str, borrower: &str, at: &str, channel: &str) -> Contact {
    let mut m = Map::new();
    m.insert("type".into(), "contact".into());
    m.insert("id".into(), id.into());
    m.insert("borrower".into(), borrower.into());
    m.insert("at".into(), at.into());
    m.insert("channel".into(), channel.into());
    Contact(m)
}

impl Contact {
    pub fn debts(mut self, debts: &[&str]) -> Contact {
        self.0.insert("debts".into(), json!(debts));
        self
    }
    pub fn outcome(mut self, o: &str) -> Contact {
        self.0.insert("outcome".into(), o.into());
        self
    }
    pub fn address(mut self, a: &str, kind: &str) -> Contact {
        self.0.insert("address".into(), a.into());
        self.0.insert("address_kind".into(), kind.into());
        self
    }
    pub fn inbound(mut self) -> Contact {
        self.0.insert("direction".into(), "inbound".into());
        self
    }
    pub fn third_party(mut self, relation: &str, designated: bool) -> Contact {
        self.0.insert(
            "to".into(),
            json!({"party": "third_party", "relation": relation, "designated": designated}),
        );
        self
    }
    pub fn purpose(mut self, p: &str) -> Contact {
        self.0.insert("purpose".into(), p.into());
        self
    }
    pub fn text(mut self, t: &str) -> Contact {
        self.0.insert("text".into(), t.into());
        self
    }
    pub fn line(self) -> String {
        Value::Object(self.0).to_string()
    }
}

/// Screens the lines in order; every contact's verdict by id. Any error fails the test.
pub fn screen(engine: &Engine, lines: &[String]) -> BTreeMap<String, Verdict> {
    let mut screener = Screener::new(engine.clone());
    let mut out = BTreeMap::new();
    for (n, line) in lines.iter().enumerate() {
        let ev: Event =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", n + 1));
        match screener.push(&ev) {
            Ok(Some(v)) => {
                assert!(
                    out.insert(v.id.clone(), v.verdict).is_none(),
                    "duplicate contact id in test"
                );
            }
            Ok(None) => {}
            Err(e) => panic!("line {}: {e}: {line}", n + 1),
        }
    }
    out
}

/// Judges the last line (a contact) with `Engine::check_contact` against the history of the
/// lines before it (the first line declares the borrower).
pub fn check_last(engine: &Engine, lines: &[String]) -> Verdict {
    let (last, before) = lines.split_last().expect("lines");
    let Event::Borrower(b) = serde_json::from_str::<Event>(&lines[0]).unwrap() else {
        panic!("the first line declares the borrower")
    };
    let b: Borrower = b;
    let mut history = History::new(&b);
    for line in &before[1..] {
        history
            .record(&serde_json::from_str::<Event>(line).unwrap())
            .unwrap();
    }
    let Event::Contact(attempt) = serde_json::from_str::<Event>(last).unwrap() else {
        panic!("the last line is a contact")
    };
    engine.check_contact(&b, &history, &attempt).unwrap()
}

/// Asserts decision, the ids of the rules that fired (in any order) and `next_allowed_at`.
#[track_caller]
pub fn expect(v: &Verdict, decision: Decision, rules: &[&str], next: Option<&str>) {
    let mut got: Vec<&str> = v.reasons.iter().map(|r| r.rule.as_str()).collect();
    got.sort_unstable();
    let mut want = rules.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "rules that fired; verdict: {v:#?}");
    assert_eq!(v.decision, decision, "decision; verdict: {v:#?}");
    let next: Option<DateTime<Utc>> = next.map(|s| s.parse().expect("RFC 3339"));
    assert_eq!(v.next_allowed_at, next, "next_allowed_at; verdict: {v:#?}");
}

/// The verdict of contact `id`.
#[track_caller]
pub fn verdict<'a>(vs: &'a BTreeMap<String, Verdict>, id: &str) -> &'a Verdict {
    vs.get(id)
        .unwrap_or_else(|| panic!("no verdict for `{id}`"))
}

/// Asserts `allow` with no reasons for each of `ids`.
#[track_caller]
pub fn all_allowed(vs: &BTreeMap<String, Verdict>, ids: &[&str]) {
    for id in ids {
        expect(verdict(vs, id), Decision::Allow, &[], None);
    }
}
