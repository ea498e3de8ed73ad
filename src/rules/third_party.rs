//! `third_party`: who other than the borrower may be contacted at all (what may be *said* to
//! them is a `text` rule).
//!
//! A contact with a third party covered by `[rule.scope]` fires unless every requirement
//! holds:
//! - its relation is in `always_allowed` (e.g. the borrower's attorney) — then nothing else
//!   is checked; or a consent of `consent_scope` is in force;
//! - `require_designated`: the borrower designated the person as a contact;
//! - `unreachable_after = N`: the borrower is unreachable — the last N outbound attempts to
//!   the borrower all ended in one of `failed_outcomes`, or the last one was `not_connected`
//!   (the borrower's own number is invalid);
//! - `allowed_purposes`: the contact's purpose is one of these (e.g. `location_inquiry`);
//! - `max_per_person = N`: at most N earlier contacts with the same person (same address,
//!   or the same relation when there is no address).
//!
//! ```toml
//! [rule.params]
//! always_allowed = ["attorney"]
//! require_designated = true
//! unreachable_after = 3
//! failed_outcomes = ["no_answer", "not_connected", "failed", "voicemail"]
//! unreachable_channels = ["call"]   # optional: only these attempts show unreachability
//! allowed_purposes = ["location_inquiry"]
//! max_per_person = 1
//! consent_scope = "third_party"
//! ```
//!
//! # Details
//!
//! - Contacts with the borrower are never judged by this kind.
//! - Requirements are checked in the order above; the first that fails is reported.
//! - Unreachability reads the borrower's contacts (party `borrower`) at or before the
//!   attempt, newest first, through `unreachable_channels` (default: every medium): an
//!   inbound contact from the borrower shows them reachable; an outbound one whose outcome is
//!   not in `failed_outcomes` (including one recorded without an outcome) ends the run of
//!   failures. `failed_outcomes` defaults to `no_answer`, `voicemail`, `not_connected` and
//!   `failed`. The ledger keeps the last `unreachable_after` contacts through pruning; when
//!   third-party contacts came in between, older borrower attempts may be gone, and the
//!   borrower is then not shown unreachable (the stricter reading).
//! - `max_per_person` counts earlier outbound contacts with the person, ever (the count
//!   survives ledger pruning), by address as given, else by relation.
//! - `unreachable_after` and `max_per_person` are at least 1; `failed_outcomes` and
//!   `unreachable_channels` need `unreachable_after`; lists may not be empty.
//!
//! # Message values
//!
//! | name | value |
//! |---|---|
//! | `relation` | the third party's relation, e.g. `family` |
//! | `why` | the requirement that failed: `not designated by the borrower`, `borrower not shown unreachable: fewer than 3 consecutive failed attempts`, ``purpose `collection` is not allowed for third parties``, `already contacted once` (or `already contacted 2 times`) |
//! | `address` | the attempt's address masked to its last 4 characters; `(none)` without one |

use serde::Deserialize;

use super::frequency::{mask_opt, Outcomes};
use super::{Ctx, Fired, Scope};
use crate::history::History;
use crate::model::{
    Channel, ConsentScope, ContactAttempt, Direction, Outcome, Party, Purpose, Relation,
};
use crate::pack::PackCtx;

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub always_allowed: Vec<Relation>,
    #[serde(default)]
    pub require_designated: bool,
    #[serde(default)]
    pub unreachable_after: Option<u32>,
    #[serde(default)]
    pub failed_outcomes: Option<Vec<Outcome>>,
    /// Media whose attempts show the borrower unreachable; all when absent.
    #[serde(default)]
    pub unreachable_channels: Option<Vec<Channel>>,
    #[serde(default)]
    pub allowed_purposes: Option<Vec<Purpose>>,
    #[serde(default)]
    pub max_per_person: Option<u32>,
    #[serde(default)]
    pub consent_scope: Option<ConsentScope>,
}

/// A compiled third-party rule.
#[derive(Debug)]
pub(crate) struct ThirdParty {
    scope: Scope,
    always_allowed: Vec<Relation>,
    require_designated: bool,
    unreachable_after: Option<u32>,
    failed: Outcomes,
    unreachable_channels: Option<Vec<Channel>>,
    allowed_purposes: Option<Vec<Purpose>>,
    max_per_person: Option<u32>,
    consent_scope: Option<ConsentScope>,
}

impl ThirdParty {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<ThirdParty, String> {
        if params.unreachable_after == Some(0) {
            return Err("`unreachable_after` must be at least 1".into());
        }
        if params.max_per_person == Some(0) {
            return Err("`max_per_person` must be at least 1 (to forbid every contact, leave out the requirements that allow one)".into());
        }
        if params.unreachable_after.is_none()
            && (params.failed_outcomes.is_some() || params.unreachable_channels.is_some())
        {
            return Err(
                "`failed_outcomes` and `unreachable_channels` need `unreachable_after`".into(),
            );
        }
        if params.failed_outcomes.as_ref().is_some_and(Vec::is_empty) {
            return Err(
                "`failed_outcomes` is empty: the borrower could never be shown unreachable".into(),
            );
        }
        if params
            .unreachable_channels
            .as_ref()
            .is_some_and(Vec::is_empty)
        {
            return Err(
                "`unreachable_channels` is empty: the borrower could never be shown unreachable"
                    .into(),
            );
        }
        if params.allowed_purposes.as_ref().is_some_and(Vec::is_empty) {
            return Err("`allowed_purposes` is empty: no contact could pass; leave it out to allow every purpose".into());
        }
        let failed = Outcomes::of(params.failed_outcomes.as_deref().unwrap_or(&[
            Outcome::NoAnswer,
            Outcome::Voicemail,
            Outcome::NotConnected,
            Outcome::Failed,
        ]));
        Ok(ThirdParty {
            scope: scope.clone(),
            always_allowed: params.always_allowed,
            require_designated: params.require_designated,
            unreachable_after: params.unreachable_after,
            failed,
            unreachable_channels: params.unreachable_channels,
            allowed_purposes: params.allowed_purposes,
            max_per_person: params.max_per_person,
            consent_scope: params.consent_scope,
        })
    }

    /// Judges the attempt.
    pub fn check(&self, ctx: &Ctx<'_>) -> Option<Fired> {
        let a = ctx.attempt;
        let Party::ThirdParty {
            relation,
            designated,
        } = a.to
        else {
            return None;
        };
        if !self.scope.covers_attempt(a) || self.always_allowed.contains(&relation) {
            return None;
        }
        let h = ctx.history;
        if self
            .consent_scope
            .is_some_and(|s| h.consents_in_force(s, a.at).next().is_some())
        {
            return None;
        }
        let why = if self.require_designated && !designated {
            "not designated by the borrower".to_string()
        } else if let Some(n) = self
            .unreachable_after
            .filter(|n| !self.unreachable(h, a, *n))
        {
            format!(
                "borrower not shown unreachable: fewer than {n} consecutive failed attempt{}",
                if n == 1 { "" } else { "s" }
            )
        } else if let Some(p) = self
            .allowed_purposes
            .as_ref()
            .filter(|ps| !ps.contains(&a.purpose))
            .map(|_| a.purpose)
        {
            format!("purpose `{}` is not allowed for third parties", p.as_str())
        } else if let Some(n) = self
            .max_per_person
            .map(|m| (m, h.third_party_contacts(a.to, a.address.as_deref())))
            .filter(|(m, n)| n >= m)
            .map(|(_, n)| n)
        {
            if n == 1 {
                "already contacted once".to_string()
            } else {
                format!("already contacted {n} times")
            }
        } else {
            return None;
        };
        Some(Fired::with_vars(vec![
            ("relation", relation.as_str().to_string()),
            ("why", why),
            ("address", mask_opt(a.address.as_deref())),
        ]))
    }

    /// Whether the borrower is shown unreachable before the attempt: the last `n` outbound
    /// attempts to them failed, or the last one did not connect.
    fn unreachable(&self, h: &History, a: &ContactAttempt, n: u32) -> bool {
        let contacts = h.contacts();
        let end = contacts.partition_point(|p| p.at <= a.at);
        let mut failures = 0u32;
        for p in contacts.get(..end).unwrap_or(&[]).iter().rev() {
            if p.to != Party::Borrower
                || self
                    .unreachable_channels
                    .as_ref()
                    .is_some_and(|chs| !chs.contains(&p.channel))
            {
                continue;
            }
            if p.direction == Direction::Inbound {
                return false;
            }
            if failures == 0 && p.outcome == Some(Outcome::NotConnected) {
                return true;
            }
            if p.outcome.is_none() || !self.failed.contains(p.outcome) {
                return false;
            }
            failures += 1;
            if failures >= n {
                return true;
            }
        }
        false
    }

    /// How many recent contacts must be kept in the ledger whatever their age.
    pub fn keep_last(&self) -> usize {
        self.unreachable_after.unwrap_or(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AddressKind, Borrower, Consent, Event};
    use crate::rules::test_util::{try_compile, utc};

    fn try_rule(src: &str) -> Result<ThirdParty, String> {
        try_compile(src, ThirdParty::compile)
    }

    fn rule(src: &str) -> ThirdParty {
        try_rule(src).unwrap()
    }

    struct Ledger {
        borrower: Borrower,
        history: History,
    }

    impl Ledger {
        fn new() -> Ledger {
            let borrower = Borrower::new("b", chrono_tz::Asia::Shanghai);
            let history = History::new(&borrower);
            Ledger { borrower, history }
        }

        fn contact(&mut self, c: ContactAttempt) -> &mut Ledger {
            self.history.record(&Event::Contact(c)).unwrap();
            self
        }

        fn borrower_call(&mut self, at: &str, outcome: Outcome) -> &mut Ledger {
            self.contact(call(at).with_outcome(outcome))
        }

        fn why(&self, r: &ThirdParty, a: &ContactAttempt) -> Option<String> {
            r.check(&Ctx {
                borrower: &self.borrower,
                history: &self.history,
                attempt: a,
            })
            .map(|f| {
                assert_eq!(
                    f.vars
                        .iter()
                        .find(|(k, _)| *k == "relation")
                        .map(|(_, v)| v.as_str()),
                    a.to.relation().map(Relation::as_str)
                );
                f.vars.iter().find(|(k, _)| *k == "why").unwrap().1.clone()
            })
        }
    }

    fn call(at: &str) -> ContactAttempt {
        ContactAttempt::new("c", "b", utc(at), Channel::Call)
    }

    fn person(relation: Relation, designated: bool) -> Party {
        Party::ThirdParty {
            relation,
            designated,
        }
    }

    const CN: &str = r#"
        [scope]
        parties = "third_party"
        [params]
        require_designated = true
        unreachable_after = 3
        failed_outcomes = ["no_answer", "not_connected", "failed", "voicemail"]
        unreachable_channels = ["call"]
    "#;

    #[test]
    fn cn_designated_contacts_only_once_the_borrower_is_unreachable() {
        let r = rule(CN);
        let mut l = Ledger::new();
        let mum = |at: &str| {
            call(at)
                .to(person(Relation::Family, true))
                .with_address("+8613900000001", AddressKind::Personal)
        };
        let friend = call("2026-03-02T06:00:00Z").to(person(Relation::Friend, false));
        assert_eq!(
            l.why(&r, &friend).as_deref(),
            Some("not designated by the borrower")
        );
        assert_eq!(
            l.why(&r, &mum("2026-03-02T06:00:00Z")).as_deref(),
            Some("borrower not shown unreachable: fewer than 3 consecutive failed attempts")
        );
        l.borrower_call("2026-03-02T01:00:00Z", Outcome::NoAnswer);
        l.borrower_call("2026-03-02T02:00:00Z", Outcome::Voicemail);
        // An SMS to the borrower is not a call: it neither counts nor breaks the run.
        l.contact(
            ContactAttempt::new("s", "b", utc("2026-03-02T02:30:00Z"), Channel::Sms)
                .with_outcome(Outcome::Delivered),
        );
        // A call to another third party does not either.
        l.contact(
            mum("2026-03-02T02:40:00Z")
                .with_outcome(Outcome::Conversation)
                .to(person(Relation::Family, true)),
        );
        assert!(
            l.why(&r, &mum("2026-03-02T06:00:00Z")).is_some(),
            "two failures"
        );
        l.borrower_call("2026-03-02T03:00:00Z", Outcome::NoAnswer);
        assert_eq!(
            l.why(&r, &mum("2026-03-02T06:00:00Z")),
            None,
            "three consecutive failures"
        );
        assert_eq!(
            l.why(&r, &friend).as_deref(),
            Some("not designated by the borrower")
        );
        // A conversation with the borrower ends it.
        l.borrower_call("2026-03-02T04:00:00Z", Outcome::Conversation);
        assert!(l.why(&r, &mum("2026-03-02T06:00:00Z")).is_some());
        // ... and so does the borrower calling in after more failures.
        for h in 5..=7 {
            l.borrower_call(&format!("2026-03-02T{h:02}:00:00Z"), Outcome::NoAnswer);
        }
        assert_eq!(l.why(&r, &mum("2026-03-02T08:00:00Z")), None);
        l.contact(
            call("2026-03-02T07:30:00Z")
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Conversation),
        );
        assert!(l.why(&r, &mum("2026-03-02T08:00:00Z")).is_some());
    }

    #[test]
    fn cn_an_invalid_own_number_shows_the_borrower_unreachable() {
        let r = rule(CN);
        let mut l = Ledger::new();
        let mum = call("2026-03-02T06:00:00Z").to(person(Relation::Family, true));
        l.borrower_call("2026-03-02T01:00:00Z", Outcome::Conversation);
        l.borrower_call("2026-03-02T02:00:00Z", Outcome::NotConnected);
        assert_eq!(l.why(&r, &mum), None);
        // Not connected, then answered: reachable again.
        l.borrower_call("2026-03-02T03:00:00Z", Outcome::Conversation);
        assert!(l.why(&r, &mum).is_some());
        // The borrower is never contacted through this rule.
        assert_eq!(l.why(&r, &call("2026-03-02T06:00:00Z")), None);
    }

    const US: &str = r#"
        [scope]
        parties = "third_party"
        [params]
        always_allowed = ["attorney"]
        allowed_purposes = ["location_inquiry"]
        max_per_person = 1
        consent_scope = "third_party"
    "#;

    #[test]
    fn us_location_inquiry_once_per_person_attorney_always() {
        let r = rule(US);
        let mut l = Ledger::new();
        let neighbour = |at: &str| {
            call(at)
                .to(person(Relation::Neighbor, false))
                .with_address("+12125550177", AddressKind::Personal)
                .with_purpose(Purpose::LocationInquiry)
        };
        assert_eq!(l.why(&r, &neighbour("2026-03-02T15:00:00Z")), None);
        assert_eq!(
            l.why(
                &r,
                &neighbour("2026-03-02T15:00:00Z").with_purpose(Purpose::Collection)
            )
            .as_deref(),
            Some("purpose `collection` is not allowed for third parties")
        );
        l.contact(neighbour("2026-03-02T15:00:00Z").with_outcome(Outcome::Conversation));
        assert_eq!(
            l.why(&r, &neighbour("2026-03-09T15:00:00Z")).as_deref(),
            Some("already contacted once")
        );
        // Another person (another number) may be asked once too.
        let other =
            neighbour("2026-03-09T15:00:00Z").with_address("+12125550178", AddressKind::Personal);
        assert_eq!(l.why(&r, &other), None);
        l.contact(neighbour("2026-03-09T16:00:00Z").with_outcome(Outcome::NoAnswer));
        assert_eq!(
            l.why(&r, &neighbour("2026-03-10T15:00:00Z")).as_deref(),
            Some("already contacted 2 times")
        );
        // The attorney, for any purpose, any number of times.
        let attorney = call("2026-03-10T15:00:00Z").to(person(Relation::Attorney, false));
        for _ in 0..3 {
            assert_eq!(l.why(&r, &attorney), None);
            l.contact(attorney.clone().with_outcome(Outcome::Conversation));
        }
        // The borrower's consent to third-party contact lifts the rule.
        l.history
            .record(&Event::Consent(Consent {
                borrower: "b".into(),
                at: utc("2026-03-11T10:00:00Z"),
                scope: ConsentScope::ThirdParty,
                channel: None,
                until: Some(utc("2026-03-12T10:00:00Z")),
            }))
            .unwrap();
        let collection = neighbour("2026-03-11T15:00:00Z").with_purpose(Purpose::Collection);
        assert_eq!(l.why(&r, &collection), None);
        assert!(
            l.why(&r, &neighbour("2026-03-12T15:00:00Z")).is_some(),
            "the consent ended"
        );
    }

    #[test]
    fn parameters_are_validated() {
        for (src, want) in [
            ("[params]\nunreachable_after = 0", "at least 1"),
            ("[params]\nmax_per_person = 0", "at least 1"),
            (
                "[params]\nfailed_outcomes = [\"no_answer\"]",
                "need `unreachable_after`",
            ),
            (
                "[params]\nunreachable_after = 2\nfailed_outcomes = []",
                "empty",
            ),
            ("[params]\nallowed_purposes = []", "empty"),
        ] {
            let err = try_rule(src).err().unwrap();
            assert!(err.contains(want), "{src:?}: {err}");
        }
        assert!(try_rule("[params]\nrequire_designation = true").is_err());
        assert_eq!(rule(CN).keep_last(), 3);
    }
}
