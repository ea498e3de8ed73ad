//! A borrower's ledger: the contacts made and the consents, opt-outs, designations, cease
//! requests and representation notices received, in time order. Rules read it; the
//! [`Screener`](crate::Screener) keeps one per borrower and prunes it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::{
    AddressKind, Borrower, Cease, Channel, Consent, ConsentScope, ContactAttempt, Direction, Event,
    Inconvenient, OptOut, Outcome, Party, Purpose, Represented,
};
use crate::time::{local_day, DayNum};

/// The calendar years (UTC) an event or attempt may fall in: RFC 3339's four-digit years.
/// Times outside them are errors, so that no date arithmetic (a window, a search for the next
/// allowed instant) can leave the range `chrono` represents.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Whether `at` falls in [`SUPPORTED_YEARS`].
pub(crate) fn in_supported_range(at: DateTime<Utc>) -> bool {
    SUPPORTED_YEARS.contains(&at.year())
}

/// A contact as the ledger keeps it: what the rules need, without the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastContact {
    /// The contact's id.
    pub id: String,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// Its calendar day in the borrower's first time zone (days since 0001-01-01).
    pub day: i32,
    /// The medium.
    pub channel: Channel,
    /// Who started it.
    pub direction: Direction,
    /// The debts it was about; empty means the unnamed debt.
    pub debts: Vec<String>,
    /// Whom it was addressed to.
    pub to: Party,
    /// The address used.
    pub address: Option<String>,
    /// The kind of address.
    pub address_kind: Option<AddressKind>,
    /// How it ended (`None` for an attempt recorded without an outcome).
    pub outcome: Option<Outcome>,
    /// Why it was made.
    pub purpose: Purpose,
}

impl PastContact {
    /// Whether the contact was about `debt` (`""` is the unnamed debt).
    pub fn is_about(&self, debt: &str) -> bool {
        if self.debts.is_empty() {
            debt.is_empty()
        } else {
            self.debts.iter().any(|d| d == debt)
        }
    }

    /// The debts as the rules count them.
    pub fn debt_keys(&self) -> impl Iterator<Item = &str> {
        let unnamed: &[&str] = if self.debts.is_empty() { &[""] } else { &[] };
        self.debts
            .iter()
            .map(String::as_str)
            .chain(unnamed.iter().copied())
    }
}

/// An event could not be added to a ledger.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// The event is earlier than one already recorded.
    #[error("event at {at} is earlier than the previous event of borrower `{borrower}` at {last}: events must be in time order per borrower")]
    OutOfOrder {
        /// The borrower.
        borrower: String,
        /// The event's time.
        at: DateTime<Utc>,
        /// The latest time already recorded.
        last: DateTime<Utc>,
    },
    /// The event's time is outside the years the crate supports (see [`SUPPORTED_YEARS`]).
    #[error("time {at} is outside the supported years {}..={}", SUPPORTED_YEARS.start(), SUPPORTED_YEARS.end())]
    TimeOutOfRange {
        /// The event's time.
        at: DateTime<Utc>,
    },
    /// The event belongs to another borrower.
    #[error("event for borrower `{got}` added to the ledger of `{expected}`")]
    WrongBorrower {
        /// The ledger's borrower.
        expected: String,
        /// The event's borrower.
        got: String,
    },
}

/// One borrower's ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    borrower: String,
    zone: Tz,
    contacts: Vec<PastContact>,
    consents: Vec<Consent>,
    opt_outs: Vec<OptOut>,
    inconvenient: Vec<Inconvenient>,
    cease: Option<DateTime<Utc>>,
    represented: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    /// Outbound contacts with each third party ever (kept through pruning): key is the
    /// address, or `relation:<relation>` when there is none.
    third_parties: BTreeMap<String, u32>,
}

impl History {
    /// An empty ledger for `borrower`. Calendar days are counted in the borrower's first time
    /// zone (UTC if the borrower has none, which the engine rejects anyway).
    pub fn new(borrower: &Borrower) -> History {
        History {
            borrower: borrower.id.clone(),
            zone: borrower.time_zones.first().copied().unwrap_or(Tz::UTC),
            contacts: Vec::new(),
            consents: Vec::new(),
            opt_outs: Vec::new(),
            inconvenient: Vec::new(),
            cease: None,
            represented: None,
            last: None,
            third_parties: BTreeMap::new(),
        }
    }

    /// The borrower's id.
    pub fn borrower(&self) -> &str {
        &self.borrower
    }

    /// The zone calendar days are counted in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    fn advance(&mut self, borrower: &str, at: DateTime<Utc>) -> Result<(), HistoryError> {
        if borrower != self.borrower {
            return Err(HistoryError::WrongBorrower {
                expected: self.borrower.clone(),
                got: borrower.to_string(),
            });
        }
        if !in_supported_range(at) {
            return Err(HistoryError::TimeOutOfRange { at });
        }
        if let Some(last) = self.last {
            if at < last {
                return Err(HistoryError::OutOfOrder {
                    borrower: self.borrower.clone(),
                    at,
                    last,
                });
            }
        }
        self.last = Some(at);
        Ok(())
    }

    /// Adds an event. Borrower declarations are ignored; contacts are recorded whether or not
    /// they have an outcome (use [`History::record_contact`] for the same thing typed).
    pub fn record(&mut self, event: &Event) -> Result<(), HistoryError> {
        match event {
            Event::Borrower(_) => Ok(()),
            Event::Consent(c) => self.record_consent(c),
            Event::OptOut(o) => self.record_opt_out(o),
            Event::Inconvenient(i) => self.record_inconvenient(i),
            Event::Cease(c) => self.record_cease(c),
            Event::Represented(r) => self.record_represented(r),
            Event::Contact(c) => self.record_contact(c),
        }
    }

    /// Records a contact that was made.
    pub fn record_contact(&mut self, c: &ContactAttempt) -> Result<(), HistoryError> {
        self.advance(&c.borrower, c.at)?;
        if c.direction == Direction::Outbound {
            if let Some(key) = person_key(c.to, c.address.as_deref()) {
                *self.third_parties.entry(key).or_insert(0) += 1;
            }
        }
        self.contacts.push(PastContact {
            id: c.id.clone(),
            at: c.at,
            day: local_day(self.zone, c.at),
            channel: c.channel,
            direction: c.direction,
            debts: c.debts.clone(),
            to: c.to,
            address: c.address.clone(),
            address_kind: c.address_kind,
            outcome: c.outcome,
            purpose: c.purpose,
        });
        Ok(())
    }

    /// Records a consent.
    pub fn record_consent(&mut self, c: &Consent) -> Result<(), HistoryError> {
        self.advance(&c.borrower, c.at)?;
        self.consents.push(c.clone());
        Ok(())
    }

    /// Records an opt-out.
    pub fn record_opt_out(&mut self, o: &OptOut) -> Result<(), HistoryError> {
        self.advance(&o.borrower, o.at)?;
        self.opt_outs.push(o.clone());
        Ok(())
    }

    /// Records a designated inconvenient time.
    pub fn record_inconvenient(&mut self, i: &Inconvenient) -> Result<(), HistoryError> {
        self.advance(&i.borrower, i.at)?;
        self.inconvenient.push(i.clone());
        Ok(())
    }

    /// Records a cease request (the first one counts).
    pub fn record_cease(&mut self, c: &Cease) -> Result<(), HistoryError> {
        self.advance(&c.borrower, c.at)?;
        self.cease.get_or_insert(c.at);
        Ok(())
    }

    /// Records attorney representation (the first notice counts).
    pub fn record_represented(&mut self, r: &Represented) -> Result<(), HistoryError> {
        self.advance(&r.borrower, r.at)?;
        self.represented.get_or_insert(r.at);
        Ok(())
    }

    /// Past contacts, oldest first.
    pub fn contacts(&self) -> &[PastContact] {
        &self.contacts
    }

    /// Consents received, oldest first.
    pub fn consents(&self) -> &[Consent] {
        &self.consents
    }

    /// Consents of `scope` received at or before `at` and not yet ended at `at`.
    pub fn consents_in_force(
        &self,
        scope: ConsentScope,
        at: DateTime<Utc>,
    ) -> impl Iterator<Item = &Consent> {
        self.consents
            .iter()
            .filter(move |c| c.scope == scope && c.at <= at && c.until.is_none_or(|u| at < u))
    }

    /// Opt-outs received, oldest first.
    pub fn opt_outs(&self) -> &[OptOut] {
        &self.opt_outs
    }

    /// Designated inconvenient times, oldest first.
    pub fn inconvenient(&self) -> &[Inconvenient] {
        &self.inconvenient
    }

    /// When the borrower asked the collector to cease, if they did.
    pub fn cease(&self) -> Option<DateTime<Utc>> {
        self.cease
    }

    /// When the collector learned of attorney representation, if it did.
    pub fn represented(&self) -> Option<DateTime<Utc>> {
        self.represented
    }

    /// How many outbound contacts were made, ever, with the third party reached at
    /// `address` (or, with no address, with relation `party`'s relation).
    pub fn third_party_contacts(&self, party: Party, address: Option<&str>) -> u32 {
        person_key(party, address)
            .and_then(|k| self.third_parties.get(&k).copied())
            .unwrap_or(0)
    }

    /// The latest event time recorded.
    pub fn last_event(&self) -> Option<DateTime<Utc>> {
        self.last
    }

    /// Drops contacts before `before` (state such as opt-outs and cease is kept, and so are
    /// the last `keep_last` contacts, for rules that look at the most recent attempts).
    pub fn prune(&mut self, before: DateTime<Utc>, keep_last: usize) {
        let old = self.contacts.partition_point(|c| c.at < before);
        let keep_from = self.contacts.len().saturating_sub(keep_last);
        let cut = old.min(keep_from);
        if cut > 0 {
            self.contacts.drain(..cut);
            // A ledger that once held many contacts gives the room back (with slack, so a
            // steady ledger does not reallocate on every prune).
            let len = self.contacts.len();
            if self.contacts.capacity() > 4 * len.max(2) {
                self.contacts.shrink_to(2 * len.max(2));
            }
        }
        self.consents
            .retain(|c| c.until.is_none_or(|u| u > before) || c.scope == ConsentScope::Channel);
    }

    /// The local calendar day of `at` as this ledger counts days.
    pub(crate) fn day_of(&self, at: DateTime<Utc>) -> DayNum {
        local_day(self.zone, at)
    }
}

/// Identifies a third party: by address, else by relation. `None` for the borrower.
fn person_key(party: Party, address: Option<&str>) -> Option<String> {
    let relation = party.relation()?;
    Some(match address {
        Some(a) => a.to_string(),
        None => format!("relation:{}", relation.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn out_of_order_is_an_error() {
        let b = Borrower::new("b", chrono_tz::UTC);
        let mut h = History::new(&b);
        h.record_contact(&ContactAttempt::new(
            "1",
            "b",
            at("2026-03-02T10:00:00Z"),
            Channel::Call,
        ))
        .unwrap();
        let err = h
            .record_contact(&ContactAttempt::new(
                "2",
                "b",
                at("2026-03-02T09:00:00Z"),
                Channel::Call,
            ))
            .unwrap_err();
        assert!(matches!(err, HistoryError::OutOfOrder { .. }));
        let err = h
            .record_contact(&ContactAttempt::new(
                "3",
                "x",
                at("2026-03-02T11:00:00Z"),
                Channel::Call,
            ))
            .unwrap_err();
        assert!(matches!(err, HistoryError::WrongBorrower { .. }));
    }

    #[test]
    fn prune_keeps_recent_and_state() {
        let b = Borrower::new("b", chrono_tz::UTC);
        let mut h = History::new(&b);
        for (i, t) in [
            "2026-03-01T10:00:00Z",
            "2026-03-05T10:00:00Z",
            "2026-03-09T10:00:00Z",
        ]
        .iter()
        .enumerate()
        {
            h.record_contact(&ContactAttempt::new(
                i.to_string(),
                "b",
                at(t),
                Channel::Call,
            ))
            .unwrap();
        }
        h.record_cease(&Cease {
            borrower: "b".into(),
            at: at("2026-03-09T11:00:00Z"),
        })
        .unwrap();
        h.prune(at("2026-03-06T00:00:00Z"), 0);
        assert_eq!(h.contacts().len(), 1);
        assert!(h.cease().is_some());
        let mut h2 = h.clone();
        h2.prune(at("2026-04-06T00:00:00Z"), 1);
        assert_eq!(h2.contacts().len(), 1);
    }
}
