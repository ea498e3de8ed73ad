//! `consent`: what the borrower asked for, or what the law presumes, stops a contact.
//!
//! `check` selects the requirement:
//! - `opt_out`: no contact through a medium (or a specific address) after an opt-out of it,
//!   unless a later consent of scope `channel` for that medium lifts it. Exceptions: one
//!   contact whose purpose is in `allowed_purposes` (the opt-out confirmation) and, with
//!   `reply_after_inbound`, one reply through that medium after the person wrote first
//!   (an inbound contact through it after the opt-out).
//! - `cease`: after a cease request only the `allowed_purposes` (cease acknowledgement,
//!   remedy notice).
//! - `represented`: no contact with a borrower known to be represented by an attorney (the
//!   attorney is a third party of relation `attorney`, so `[rule.scope] parties = "borrower"`).
//! - `workplace`: no contact through a work address unless a consent of `consent_scope`.
//! - `channel`: the channels of `[rule.scope]` are restricted as such (e.g. public social
//!   media), unless a consent of `consent_scope`.
//!
//! ```toml
//! [rule.params]
//! check = "opt_out"
//! allowed_purposes = ["opt_out_confirmation"]
//! reply_after_inbound = true
//! consent_scope = "workplace"   # workplace / channel checks
//! ```
//!
//! # Details
//!
//! - Only events at or before the attempt matter (an opt-out, cease or representation
//!   notice at the attempt's very instant applies to it).
//! - `opt_out`: an opt-out without an address covers the whole medium; one with an address
//!   covers that address only (compared exactly, surrounding white space trimmed). An
//!   attempt without an address is covered by any opt-out of its medium (the stricter
//!   reading: nothing shows it goes elsewhere). A consent of scope `channel` naming the
//!   medium, given after the opt-out and in force at the attempt, lifts it; an opt-out given
//!   after that consent applies again. The exceptions are counted from the latest opt-out in
//!   force: an attempt whose purpose is in `allowed_purposes` passes if no earlier outbound
//!   contact through the opted-out medium (or address) since that opt-out had such a purpose;
//!   with `reply_after_inbound`, an attempt passes if an inbound contact through it came after
//!   the opt-out and no outbound contact through it followed that inbound one. Inbound
//!   attempts never fire (the person contacted the collector). `consent_scope` is refused.
//! - `cease`, `represented`: `allowed_purposes` pass every time; `represented` also passes
//!   while a consent of `consent_scope` is in force (`cease` refuses `consent_scope`).
//! - `workplace`: fires for an attempt through a work address: give the rule
//!   `[rule.scope] address_kinds = ["work"]` (an attempt without an address kind may be at
//!   work: the engine reports such a finding as `review`). An attempt whose address kind is
//!   known and not `work` never fires. `workplace` and `channel` pass while a consent
//!   of `consent_scope` is in force (for scope `channel`, one naming the attempt's medium);
//!   without `consent_scope` nothing lifts them. `allowed_purposes` pass.
//! - `reply_after_inbound` applies to `opt_out` only.
//!
//! # Message values
//!
//! | name | value |
//! |---|---|
//! | `channel` | the attempt's medium, e.g. `email` |
//! | `since` | `opt_out`, `cease`, `represented`: the local date (`YYYY-MM-DD`, borrower's first zone) of the opt-out, cease request or notice |
//! | `address` | the attempt's address masked to its last 4 characters (`****0100`); `(none)` without one |
//! | `purpose` | the attempt's purpose, e.g. `collection` |

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::frequency::{date_label, mask_opt};
use super::{Ctx, Fired, Scope};
use crate::history::History;
use crate::model::{ConsentScope, ContactAttempt, Direction, OptOut, Purpose};
use crate::pack::PackCtx;

/// Which requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Check {
    OptOut,
    Cease,
    Represented,
    Workplace,
    Channel,
}

impl Check {
    fn as_str(self) -> &'static str {
        match self {
            Check::OptOut => "opt_out",
            Check::Cease => "cease",
            Check::Represented => "represented",
            Check::Workplace => "workplace",
            Check::Channel => "channel",
        }
    }
}

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub check: Check,
    #[serde(default)]
    pub allowed_purposes: Vec<Purpose>,
    #[serde(default)]
    pub reply_after_inbound: bool,
    #[serde(default)]
    pub consent_scope: Option<ConsentScope>,
}

/// A compiled consent rule.
#[derive(Debug)]
pub(crate) struct ConsentRule {
    scope: Scope,
    check: Check,
    allowed_purposes: Vec<Purpose>,
    reply_after_inbound: bool,
    consent_scope: Option<ConsentScope>,
}

impl ConsentRule {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<ConsentRule, String> {
        if params.reply_after_inbound && params.check != Check::OptOut {
            return Err(format!(
                "`reply_after_inbound` applies to `check = \"opt_out\"` only, not `{}`",
                params.check.as_str()
            ));
        }
        if params.consent_scope.is_some() && matches!(params.check, Check::OptOut | Check::Cease) {
            return Err(format!(
                "`consent_scope` does not apply to `check = \"{}\"`{}",
                params.check.as_str(),
                if params.check == Check::OptOut {
                    " (a later consent of scope `channel` lifts an opt-out by itself)"
                } else {
                    ""
                }
            ));
        }
        Ok(ConsentRule {
            scope: scope.clone(),
            check: params.check,
            allowed_purposes: params.allowed_purposes,
            reply_after_inbound: params.reply_after_inbound,
            consent_scope: params.consent_scope,
        })
    }

    /// Judges the attempt.
    pub fn check(&self, ctx: &Ctx<'_>) -> Option<Fired> {
        let a = ctx.attempt;
        if !self.scope.covers_attempt(a) {
            return None;
        }
        let h = ctx.history;
        match self.check {
            Check::OptOut => self.opt_out(h, a),
            Check::Cease => {
                let since = h.cease().filter(|t| *t <= a.at)?;
                if self.allowed_purposes.contains(&a.purpose) {
                    return None;
                }
                Some(fired(h, a, Some(since)))
            }
            Check::Represented => {
                let since = h.represented().filter(|t| *t <= a.at)?;
                if self.allowed_purposes.contains(&a.purpose) || self.consented(h, a) {
                    return None;
                }
                Some(fired(h, a, Some(since)))
            }
            Check::Workplace => {
                if a.address_kind
                    .is_some_and(|k| k != crate::model::AddressKind::Work)
                    || self.allowed_purposes.contains(&a.purpose)
                    || self.consented(h, a)
                {
                    return None;
                }
                Some(fired(h, a, None))
            }
            Check::Channel => {
                if self.allowed_purposes.contains(&a.purpose) || self.consented(h, a) {
                    return None;
                }
                Some(fired(h, a, None))
            }
        }
    }

    /// Whether a consent of the rule's `consent_scope` is in force for the attempt.
    fn consented(&self, h: &History, a: &ContactAttempt) -> bool {
        let Some(scope) = self.consent_scope else {
            return false;
        };
        h.consents_in_force(scope, a.at)
            .any(|c| scope != ConsentScope::Channel || c.channel == Some(a.channel))
    }

    fn opt_out(&self, h: &History, a: &ContactAttempt) -> Option<Fired> {
        if a.direction == Direction::Inbound {
            return None;
        }
        let address = a.address.as_deref().map(str::trim);
        // The latest opt-out in force: a consent that lifts it lifts every earlier one too.
        let o = h
            .opt_outs()
            .iter()
            .rev()
            .filter(|o| o.at <= a.at && o.channel == a.channel && reaches(o, address, true))
            .find(|o| !lifted(h, o, a.at))?;
        let exempt_purpose = self.allowed_purposes.contains(&a.purpose);
        if exempt_purpose || self.reply_after_inbound {
            let contacts = h.contacts();
            let from = contacts.partition_point(|p| p.at < o.at);
            let to = contacts.partition_point(|p| p.at <= a.at);
            let mut purpose_used = false;
            let mut outbound_after = 0u32;
            let mut reply_open = false;
            let mut inbound_seen = false;
            for p in contacts.get(from..to).unwrap_or(&[]).iter().rev() {
                if p.channel != o.channel {
                    continue;
                }
                let addr = p.address.as_deref().map(str::trim);
                match p.direction {
                    Direction::Inbound => {
                        // The person wrote through the opted-out address (an inbound contact
                        // of unknown address opens no reply).
                        if !inbound_seen && reaches(o, addr, false) {
                            inbound_seen = true;
                            reply_open = outbound_after == 0;
                        }
                    }
                    Direction::Outbound => {
                        if reaches(o, addr, true) {
                            outbound_after = outbound_after.saturating_add(1);
                            if self.allowed_purposes.contains(&p.purpose) {
                                purpose_used = true;
                            }
                        }
                    }
                }
            }
            if exempt_purpose && !purpose_used {
                return None;
            }
            if self.reply_after_inbound && reply_open {
                return None;
            }
        }
        Some(fired(h, a, Some(o.at)))
    }
}

/// Whether an opt-out covers a contact through its medium at `address` (trimmed);
/// `unknown` answers for a contact without an address.
fn reaches(o: &OptOut, address: Option<&str>, unknown: bool) -> bool {
    match (o.address.as_deref(), address) {
        (None, _) => true,
        (Some(_), None) => unknown,
        (Some(oa), Some(x)) => oa.trim() == x,
    }
}

/// Whether a consent of scope `channel` for the opt-out's medium, given after it, is in
/// force at `at`.
fn lifted(h: &History, o: &OptOut, at: DateTime<Utc>) -> bool {
    h.consents_in_force(ConsentScope::Channel, at)
        .any(|c| c.channel == Some(o.channel) && c.at > o.at)
}

fn fired(h: &History, a: &ContactAttempt, since: Option<DateTime<Utc>>) -> Fired {
    let mut vars = Vec::with_capacity(4);
    vars.push(("channel", a.channel.as_str().to_string()));
    if let Some(t) = since {
        vars.push(("since", date_label(h.day_of(t))));
    }
    vars.push(("address", mask_opt(a.address.as_deref())));
    vars.push(("purpose", a.purpose.as_str().to_string()));
    Fired::with_vars(vars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AddressKind, Borrower, Cease, Channel, Consent, Event, Outcome, Party, Relation,
        Represented,
    };
    use crate::rules::test_util::{try_compile, utc, var};

    fn try_rule(src: &str) -> Result<ConsentRule, String> {
        try_compile(src, ConsentRule::compile)
    }

    fn rule(src: &str) -> ConsentRule {
        try_rule(src).unwrap()
    }

    struct Ledger {
        borrower: Borrower,
        history: History,
    }

    impl Ledger {
        fn new() -> Ledger {
            let borrower = Borrower::new("b", chrono_tz::America::New_York);
            let history = History::new(&borrower);
            Ledger { borrower, history }
        }

        fn event(&mut self, e: Event) -> &mut Ledger {
            self.history.record(&e).unwrap();
            self
        }

        fn opt_out(&mut self, at: &str, channel: Channel, address: Option<&str>) -> &mut Ledger {
            self.event(Event::OptOut(OptOut {
                borrower: "b".into(),
                at: utc(at),
                channel,
                address: address.map(Into::into),
            }))
        }

        fn consent(
            &mut self,
            at: &str,
            scope: ConsentScope,
            channel: Option<Channel>,
        ) -> &mut Ledger {
            self.event(Event::Consent(Consent {
                borrower: "b".into(),
                at: utc(at),
                scope,
                channel,
                until: None,
            }))
        }

        fn contact(&mut self, c: ContactAttempt) -> &mut Ledger {
            self.event(Event::Contact(c))
        }

        fn fires(&self, r: &ConsentRule, a: &ContactAttempt) -> Option<Fired> {
            r.check(&Ctx {
                borrower: &self.borrower,
                history: &self.history,
                attempt: a,
            })
        }
    }

    fn email(at: &str, address: &str) -> ContactAttempt {
        ContactAttempt::new("e", "b", utc(at), Channel::Email)
            .with_address(address, AddressKind::Personal)
    }

    const OPT_OUT: &str = r#"
        [params]
        check = "opt_out"
        allowed_purposes = ["opt_out_confirmation"]
        reply_after_inbound = true
    "#;

    #[test]
    fn opt_out_of_a_whole_channel_and_of_one_address() {
        let r = rule(OPT_OUT);
        let mut l = Ledger::new();
        l.opt_out("2026-03-02T15:00:00Z", Channel::Sms, None);
        l.opt_out(
            "2026-03-02T15:00:00Z",
            Channel::Email,
            Some(" b1@example.com"),
        );
        let sms = ContactAttempt::new("s", "b", utc("2026-03-03T15:00:00Z"), Channel::Sms)
            .with_address("+12125550100", AddressKind::Personal);
        let f = l.fires(&r, &sms).expect("sms opted out as a whole");
        assert_eq!(var(&f, "channel"), "sms");
        assert_eq!(var(&f, "since"), "2026-03-02");
        assert_eq!(var(&f, "address"), "****0100");
        assert!(l
            .fires(&r, &email("2026-03-03T15:00:00Z", "b1@example.com "))
            .is_some());
        assert!(l
            .fires(&r, &email("2026-03-03T15:00:00Z", "b1@work.example"))
            .is_none());
        assert!(
            l.fires(&r, &email("2026-03-03T15:00:00Z", "B1@example.com"))
                .is_none(),
            "exact comparison"
        );
        let call = ContactAttempt::new("c", "b", utc("2026-03-03T15:00:00Z"), Channel::Call);
        assert!(l.fires(&r, &call).is_none(), "other media are untouched");
        // Before the opt-out, nothing.
        let before = ContactAttempt::new("s", "b", utc("2026-03-02T14:59:59Z"), Channel::Sms);
        assert!(l.fires(&r, &before).is_none());
        // An e-mail without an address may be to the opted-out address.
        let unknown = ContactAttempt::new("e", "b", utc("2026-03-03T15:00:00Z"), Channel::Email);
        assert!(l.fires(&r, &unknown).is_some());
    }

    #[test]
    fn a_later_channel_consent_lifts_the_opt_out() {
        let r = rule(OPT_OUT);
        let mut l = Ledger::new();
        l.opt_out("2026-03-02T15:00:00Z", Channel::Email, None);
        l.consent(
            "2026-03-03T15:00:00Z",
            ConsentScope::Channel,
            Some(Channel::Sms),
        );
        let a = email("2026-03-04T15:00:00Z", "b1@example.com");
        assert!(
            l.fires(&r, &a).is_some(),
            "a consent for sms does not lift email"
        );
        l.consent(
            "2026-03-04T10:00:00Z",
            ConsentScope::Workplace,
            Some(Channel::Email),
        );
        assert!(
            l.fires(&r, &a).is_some(),
            "a consent of another scope does not either"
        );
        l.consent(
            "2026-03-04T11:00:00Z",
            ConsentScope::Channel,
            Some(Channel::Email),
        );
        assert!(l.fires(&r, &a).is_none());
        // Opting out again after the consent applies again.
        l.opt_out(
            "2026-03-04T16:00:00Z",
            Channel::Email,
            Some("b1@example.com"),
        );
        assert!(l
            .fires(&r, &email("2026-03-04T17:00:00Z", "b1@example.com"))
            .is_some());
        assert!(l
            .fires(&r, &email("2026-03-04T17:00:00Z", "other@example.com"))
            .is_none());
    }

    #[test]
    fn one_confirmation_after_the_opt_out() {
        let r = rule(OPT_OUT);
        let mut l = Ledger::new();
        l.contact(
            email("2026-03-01T15:00:00Z", "b1@example.com")
                .with_purpose(Purpose::OptOutConfirmation)
                .with_outcome(Outcome::Delivered),
        );
        l.opt_out("2026-03-02T15:00:00Z", Channel::Email, None);
        let confirm = email("2026-03-02T15:05:00Z", "b1@example.com")
            .with_purpose(Purpose::OptOutConfirmation);
        assert!(
            l.fires(&r, &confirm).is_none(),
            "a confirmation before the opt-out does not use it up"
        );
        assert!(
            l.fires(&r, &email("2026-03-02T15:05:00Z", "b1@example.com"))
                .is_some(),
            "collection is not"
        );
        l.contact(confirm.clone().with_outcome(Outcome::Delivered));
        let again = email("2026-03-02T16:00:00Z", "b1@example.com")
            .with_purpose(Purpose::OptOutConfirmation);
        assert!(l.fires(&r, &again).is_some(), "only one confirmation");
        // Without the exception configured, even the first confirmation fires.
        let strict = rule("[params]\ncheck = \"opt_out\"");
        let mut l2 = Ledger::new();
        l2.opt_out("2026-03-02T15:00:00Z", Channel::Email, None);
        assert!(l2.fires(&strict, &confirm).is_some());
    }

    #[test]
    fn one_reply_after_the_person_writes_first() {
        let r = rule(OPT_OUT);
        let mut l = Ledger::new();
        l.contact(
            email("2026-03-01T15:00:00Z", "b1@example.com")
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Delivered),
        );
        l.opt_out(
            "2026-03-02T15:00:00Z",
            Channel::Email,
            Some("b1@example.com"),
        );
        let reply = email("2026-03-03T15:00:00Z", "b1@example.com");
        assert!(
            l.fires(&r, &reply).is_some(),
            "a message before the opt-out opens no reply"
        );
        l.contact(
            email("2026-03-03T14:00:00Z", "b1@example.com")
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Delivered),
        );
        assert!(
            l.fires(&r, &reply).is_none(),
            "one reply after the person wrote"
        );
        l.contact(reply.clone().with_outcome(Outcome::Delivered));
        assert!(
            l.fires(&r, &email("2026-03-03T16:00:00Z", "b1@example.com"))
                .is_some(),
            "only one"
        );
        // Writing again opens another reply.
        l.contact(
            email("2026-03-04T14:00:00Z", "b1@example.com")
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Delivered),
        );
        assert!(l
            .fires(&r, &email("2026-03-04T15:00:00Z", "b1@example.com"))
            .is_none());
        // An inbound message from another address does not open a reply to this one.
        let mut l2 = Ledger::new();
        l2.opt_out(
            "2026-03-02T15:00:00Z",
            Channel::Email,
            Some("b1@example.com"),
        );
        l2.contact(
            email("2026-03-03T14:00:00Z", "b2@example.com")
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Delivered),
        );
        assert!(l2.fires(&r, &reply).is_some());
        // Without `reply_after_inbound` there is no reply exception.
        let no_reply =
            rule("[params]\ncheck = \"opt_out\"\nallowed_purposes = [\"opt_out_confirmation\"]");
        assert!(l
            .fires(&no_reply, &email("2026-03-04T15:00:00Z", "b1@example.com"))
            .is_some());
    }

    #[test]
    fn cease_allows_only_the_listed_purposes() {
        let r = rule(
            r#"
            [params]
            check = "cease"
            allowed_purposes = ["cease_acknowledgement", "remedy_notice"]
            "#,
        );
        let mut l = Ledger::new();
        let letter = |at: &str, p: Purpose| {
            ContactAttempt::new("l", "b", utc(at), Channel::Letter).with_purpose(p)
        };
        assert!(
            l.fires(&r, &letter("2026-03-06T12:00:00Z", Purpose::Collection))
                .is_none(),
            "no cease yet"
        );
        l.event(Event::Cease(Cease {
            borrower: "b".into(),
            at: utc("2026-03-05T12:00:00Z"),
        }));
        assert!(l
            .fires(&r, &letter("2026-03-05T11:00:00Z", Purpose::Collection))
            .is_none());
        let f = l
            .fires(&r, &letter("2026-03-06T12:00:00Z", Purpose::Collection))
            .expect("collection after cease");
        assert_eq!(var(&f, "since"), "2026-03-05");
        assert_eq!(var(&f, "channel"), "letter");
        assert_eq!(var(&f, "purpose"), "collection");
        assert!(l
            .fires(
                &r,
                &letter("2026-03-06T12:00:00Z", Purpose::CeaseAcknowledgement)
            )
            .is_none());
        assert!(l
            .fires(&r, &letter("2026-03-20T12:00:00Z", Purpose::RemedyNotice))
            .is_none());
        assert!(l
            .fires(
                &r,
                &letter("2026-03-06T12:00:00Z", Purpose::LocationInquiry)
            )
            .is_some());
    }

    #[test]
    fn represented_borrower_but_not_the_attorney() {
        let r = rule(
            r#"
            [scope]
            parties = "borrower"
            [params]
            check = "represented"
            "#,
        );
        let mut l = Ledger::new();
        l.event(Event::Represented(Represented {
            borrower: "b".into(),
            at: utc("2026-03-05T12:00:00Z"),
        }));
        let call = ContactAttempt::new("c", "b", utc("2026-03-06T15:00:00Z"), Channel::Call);
        let f = l.fires(&r, &call).expect("the represented borrower");
        assert_eq!(var(&f, "since"), "2026-03-05");
        let attorney = call.clone().to(Party::ThirdParty {
            relation: Relation::Attorney,
            designated: false,
        });
        assert!(l.fires(&r, &attorney).is_none());
        let earlier = ContactAttempt::new("c", "b", utc("2026-03-05T11:00:00Z"), Channel::Call);
        assert!(l.fires(&r, &earlier).is_none());
    }

    #[test]
    fn workplace_unless_consented() {
        let r = rule(
            r#"
            [scope]
            channels = ["email"]
            [params]
            check = "workplace"
            consent_scope = "workplace"
            "#,
        );
        let mut l = Ledger::new();
        let work = ContactAttempt::new("e", "b", utc("2026-03-06T15:00:00Z"), Channel::Email)
            .with_address("b1@employer.example", AddressKind::Work);
        let f = l.fires(&r, &work).expect("an employer-provided address");
        assert_eq!(var(&f, "address"), "****mple");
        assert!(l
            .fires(&r, &email("2026-03-06T15:00:00Z", "b1@example.com"))
            .is_none());
        // No address kind: the kind fires; the engine reports it as `review` because the
        // rule's scope is limited to work addresses (see `Coverage::Unknown`).
        let unknown = ContactAttempt::new("e", "b", utc("2026-03-06T15:00:00Z"), Channel::Email);
        assert!(l.fires(&r, &unknown).is_some());
        l.consent("2026-03-06T10:00:00Z", ConsentScope::Workplace, None);
        assert!(l.fires(&r, &work).is_none());
        // A rule without a consent scope is not lifted by it.
        let strict = rule("[params]\ncheck = \"workplace\"");
        assert!(l.fires(&strict, &work).is_some());
    }

    #[test]
    fn restricted_channel_unless_consented_for_that_channel() {
        let r = rule(
            r#"
            [scope]
            channels = ["social"]
            [params]
            check = "channel"
            consent_scope = "channel"
            "#,
        );
        let mut l = Ledger::new();
        let social = ContactAttempt::new("s", "b", utc("2026-03-06T15:00:00Z"), Channel::Social);
        let f = l.fires(&r, &social).expect("social media");
        assert_eq!(var(&f, "channel"), "social");
        assert!(l
            .fires(
                &r,
                &ContactAttempt::new("s", "b", utc("2026-03-06T15:00:00Z"), Channel::Sms)
            )
            .is_none());
        l.consent(
            "2026-03-06T10:00:00Z",
            ConsentScope::Channel,
            Some(Channel::Im),
        );
        assert!(l.fires(&r, &social).is_some());
        l.consent(
            "2026-03-06T11:00:00Z",
            ConsentScope::Channel,
            Some(Channel::Social),
        );
        assert!(l.fires(&r, &social).is_none());
    }

    #[test]
    fn parameters_are_validated() {
        let err = try_rule("[params]\ncheck = \"cease\"\nreply_after_inbound = true")
            .err()
            .unwrap();
        assert!(err.contains("`reply_after_inbound` applies"), "{err}");
        let err = try_rule("[params]\ncheck = \"opt_out\"\nconsent_scope = \"channel\"")
            .err()
            .unwrap();
        assert!(err.contains("does not apply"), "{err}");
        assert!(try_rule("[params]\ncheck = \"optout\"").is_err());
        assert!(try_rule("[params]\ncheck = \"cease\"\nallowed = []").is_err());
    }
}
