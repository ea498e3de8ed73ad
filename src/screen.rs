//! Bulk screening: an ordered event stream in, one verdict per contact out, with one ledger
//! per borrower pruned to the longest window any rule needs.

use std::collections::HashMap;

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serialize;

use crate::engine::{CheckError, Engine};
use crate::history::{History, HistoryError};
use crate::model::{Borrower, Event};
use crate::text::Prepared;
use crate::verdict::Verdict;

/// An event could not be screened. The event is not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScreenError {
    /// An event for a borrower never declared, and no default time zone.
    #[error("unknown borrower `{borrower}`: declare it with a `borrower` event first, or give a default time zone")]
    UnknownBorrower {
        /// The borrower id.
        borrower: String,
    },
    /// A borrower declared again with other settings.
    #[error("borrower `{borrower}` declared again with different time zones or packs")]
    Redeclared {
        /// The borrower id.
        borrower: String,
    },
    /// A borrower with no time zone.
    #[error("borrower `{borrower}` has no time zone: `time_zones` needs at least one IANA name")]
    NoTimeZone {
        /// The borrower id.
        borrower: String,
    },
    /// The ledger refused the event.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The contact could not be judged.
    #[error(transparent)]
    Check(#[from] CheckError),
}

/// The verdict for one contact, as the CLI prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactVerdict {
    /// The contact's id.
    pub id: String,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

#[derive(Debug, Clone)]
struct Entry {
    borrower: Borrower,
    history: History,
}

/// Screens an ordered event stream: each `contact` is judged against what came before it for
/// the same borrower and then, if it has an outcome, recorded. Planned attempts (no outcome)
/// are judged but not recorded.
#[derive(Debug, Clone)]
pub struct Screener {
    engine: Engine,
    default_zone: Option<Tz>,
    ledgers: HashMap<String, Entry>,
    scratch: PreparedBox,
}

/// `Prepared` is a reusable buffer; cloning a screener starts a fresh one.
#[derive(Debug, Default)]
struct PreparedBox(Prepared);

impl Clone for PreparedBox {
    fn clone(&self) -> PreparedBox {
        PreparedBox::default()
    }
}

impl Screener {
    /// A screener over `engine`.
    pub fn new(engine: Engine) -> Screener {
        Screener {
            engine,
            default_zone: None,
            ledgers: HashMap::new(),
            scratch: PreparedBox::default(),
        }
    }

    /// Borrowers never declared are assumed to be in this zone (with the default packs).
    pub fn with_default_time_zone(mut self, zone: Tz) -> Screener {
        self.default_zone = Some(zone);
        self
    }

    /// How many borrowers have a ledger.
    pub fn borrowers(&self) -> usize {
        self.ledgers.len()
    }

    /// How many contacts the ledgers hold in all.
    pub fn ledger_contacts(&self) -> usize {
        self.ledgers.values().map(|e| e.history.contacts().len()).sum()
    }

    /// The ledger of a borrower.
    pub fn history(&self, borrower: &str) -> Option<&History> {
        self.ledgers.get(borrower).map(|e| &e.history)
    }

    /// Takes one event. Returns the verdict for a contact, `None` for other events.
    pub fn push(&mut self, event: &Event) -> Result<Option<ContactVerdict>, ScreenError> {
        if let Event::Borrower(b) = event {
            if b.time_zones.is_empty() {
                return Err(ScreenError::NoTimeZone {
                    borrower: b.id.clone(),
                });
            }
            if let Some(existing) = self.ledgers.get(&b.id) {
                if existing.borrower != *b {
                    return Err(ScreenError::Redeclared {
                        borrower: b.id.clone(),
                    });
                }
                return Ok(None);
            }
            self.ledgers.insert(
                b.id.clone(),
                Entry {
                    borrower: b.clone(),
                    history: History::new(b),
                },
            );
            return Ok(None);
        }
        let id = event.borrower_id();
        if !self.ledgers.contains_key(id) {
            let Some(zone) = self.default_zone else {
                return Err(ScreenError::UnknownBorrower {
                    borrower: id.to_string(),
                });
            };
            let b = Borrower::new(id, zone);
            let history = History::new(&b);
            self.ledgers.insert(id.to_string(), Entry { borrower: b, history });
        }
        let horizon = i64::from(self.engine.horizon_days()) + 2;
        let keep_last = self.engine.keep_last();
        let Some(entry) = self.ledgers.get_mut(id) else {
            return Err(ScreenError::UnknownBorrower {
                borrower: id.to_string(),
            });
        };
        match event {
            Event::Contact(c) => {
                if let Some(last) = entry.history.last_event() {
                    if c.at < last {
                        return Err(HistoryError::OutOfOrder { at: c.at, last }.into());
                    }
                }
                let verdict =
                    self.engine
                        .check_contact_with(&entry.borrower, &entry.history, c, &mut self.scratch.0)?;
                if c.outcome.is_some() {
                    entry.history.record_contact(c)?;
                    entry.history.prune(c.at - Duration::days(horizon), keep_last);
                }
                Ok(Some(ContactVerdict {
                    id: c.id.clone(),
                    verdict,
                }))
            }
            other => {
                entry.history.record(other)?;
                Ok(None)
            }
        }
    }
}
