//! Bulk screening: an ordered event stream in, one verdict per contact out, with one ledger
//! per borrower pruned to the longest window any rule needs.

use std::collections::HashMap;

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serialize;

use crate::engine::{CheckError, Engine, Scratch};
use crate::history::{History, HistoryError};
use crate::model::{Borrower, Event};
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
    /// The line is not a valid event.
    #[error("invalid event: {0}")]
    Json(String),
    /// An earlier event that would have changed the borrower's ledger was rejected, so the
    /// ledger is incomplete: the borrower's later events are errors too, never verdicts
    /// judged on a ledger that misses (say) a cease request or a past call.
    #[error("borrower `{borrower}` cannot be judged: an earlier event{} was rejected, so the ledger is incomplete", on_line(*.line))]
    IncompleteLedger {
        /// The borrower id.
        borrower: String,
        /// The 1-based line of the first rejected event, when known.
        line: Option<usize>,
    },
    /// The line is longer than the limit.
    #[error("line of {len} bytes is longer than the limit of {limit} bytes")]
    LineTooLong {
        /// The line's length (at least; reading stopped at the limit).
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A contact's text is longer than the limit.
    #[error("text of contact `{contact}` has {len} bytes, more than the limit of {limit} bytes")]
    TextTooLong {
        /// The contact.
        contact: String,
        /// The text's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

fn on_line(line: Option<usize>) -> String {
    line.map(|n| format!(" (line {n})")).unwrap_or_default()
}

/// Input limits: what is over them is an error for that line, never a crash or a silent
/// truncation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest input line, in bytes (default 1 MiB).
    pub max_line_bytes: usize,
    /// Longest contact text, in bytes (default 64 KiB).
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_line_bytes: 1 << 20,
            max_text_bytes: 64 << 10,
        }
    }
}

/// What one input line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// A contact's verdict.
    Verdict(ContactVerdict),
    /// An event that is not a contact was recorded (or a blank line).
    Recorded,
    /// The line could not be used; nothing was recorded.
    Error {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        error: ScreenError,
    },
}

/// The JSON of an error line: `{"line":N,"error":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorLine {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub error: String,
}

impl ErrorLine {
    /// The error line for a screening error.
    pub fn new(line: usize, error: &ScreenError) -> ErrorLine {
        ErrorLine {
            line,
            error: error.to_string(),
        }
    }
}

/// Reads lines of at most `max` bytes from `reader` and calls `f(line_no, line)` for each,
/// with `Err` for a line that is too long (the rest of it is skipped, not buffered) or not
/// UTF-8. Line breaks (`\n`, `\r\n`) are removed. Stops at the first I/O error.
pub fn read_lines<R, F>(mut reader: R, max: usize, mut f: F) -> std::io::Result<()>
where
    R: std::io::BufRead,
    F: FnMut(usize, Result<&str, ScreenError>),
{
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut line_no = 0usize;
    loop {
        // Fast path: the whole line is in the reader's buffer, read in place.
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', chunk) {
            line_no += 1;
            let piece = chunk.get(..i).unwrap_or(chunk);
            if piece.len() > max {
                f(
                    line_no,
                    Err(ScreenError::LineTooLong {
                        len: piece.len(),
                        limit: max,
                    }),
                );
            } else {
                emit_line(line_no, piece, &mut f);
            }
            reader.consume(i + 1);
            continue;
        }
        // Slow path: the line spans several fills of the buffer.
        buf.clear();
        let mut too_long = 0usize;
        loop {
            let chunk = reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let (piece, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (chunk.get(..i).unwrap_or(chunk), Some(i + 1)),
                None => (chunk, None),
            };
            if too_long > 0 || buf.len() + piece.len() > max {
                too_long = too_long.max(buf.len()) + piece.len();
                buf.clear();
            } else {
                buf.extend_from_slice(piece);
            }
            let used = done.unwrap_or(chunk.len());
            reader.consume(used);
            if done.is_some() {
                break;
            }
        }
        line_no += 1;
        if too_long > 0 {
            f(
                line_no,
                Err(ScreenError::LineTooLong {
                    len: too_long,
                    limit: max,
                }),
            );
            continue;
        }
        emit_line(line_no, &buf, &mut f);
    }
}

/// Hands one line (without its `\n`) to `f`: without a trailing `\r`, checked for UTF-8.
fn emit_line<F>(line_no: usize, bytes: &[u8], f: &mut F)
where
    F: FnMut(usize, Result<&str, ScreenError>),
{
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => f(line_no, Ok(s)),
        Err(e) => f(
            line_no,
            Err(ScreenError::Json(format!(
                "line is not valid UTF-8 (byte {})",
                e.valid_up_to()
            ))),
        ),
    }
}

/// One input line, parsed.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// A blank line.
    Blank,
    /// An event.
    Event(Event),
    /// A line that is too long or not a valid event; `borrower` is the borrower whose ledger
    /// it would have changed, where that can be read from it.
    Unreadable {
        error: ScreenError,
        borrower: Option<String>,
    },
}

impl Parsed {
    /// The borrower whose events this line must be screened with, if any.
    pub(crate) fn borrower(&self) -> Option<&str> {
        match self {
            Parsed::Blank => None,
            Parsed::Event(e) => Some(e.borrower_id()),
            Parsed::Unreadable { borrower, .. } => borrower.as_deref(),
        }
    }
}

/// Parses one input line (without its line break). A byte-order mark is tolerated at the
/// start of the input (line 1) only.
pub(crate) fn parse_line(limits: Limits, line: usize, text: &str) -> Parsed {
    if text.len() > limits.max_line_bytes {
        return Parsed::Unreadable {
            error: ScreenError::LineTooLong {
                len: text.len(),
                limit: limits.max_line_bytes,
            },
            borrower: None,
        };
    }
    let text = if line == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    };
    if text.trim().is_empty() {
        return Parsed::Blank;
    }
    match serde_json::from_str(text) {
        Ok(e) => Parsed::Event(e),
        Err(e) => Parsed::Unreadable {
            error: ScreenError::Json(e.to_string()),
            borrower: ledger_borrower_of_unreadable(text),
        },
    }
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
    /// The packs that apply, resolved once (or why none do).
    packs: Result<Box<[usize]>, Box<CheckError>>,
    /// Days of contacts the borrower's rules read, and how many recent contacts they keep
    /// whatever their age: the ledger is pruned to these, not to the longest window of
    /// every pack the engine has.
    horizon_days: u32,
    keep_last: usize,
}

impl Entry {
    fn new(engine: &Engine, borrower: Borrower) -> Entry {
        let packs = engine
            .resolve_packs(&borrower)
            .map(Vec::into_boxed_slice)
            .map_err(Box::new);
        let (horizon_days, keep_last) = match &packs {
            Ok(p) => engine.horizon_of(p),
            Err(_) => (engine.horizon_days(), engine.keep_last()),
        };
        Entry {
            history: History::new(&borrower),
            packs,
            borrower,
            horizon_days,
            keep_last,
        }
    }
}

/// Screens an ordered event stream: each `contact` is judged against what came before it for
/// the same borrower and then, if it has an outcome, recorded. Planned attempts (no outcome)
/// are judged but not recorded.
#[derive(Debug, Clone)]
pub struct Screener {
    engine: Engine,
    default_zone: Option<Tz>,
    /// One ledger per borrower, boxed: the table then holds a pointer per slot, not a whole
    /// ledger (with a million borrowers, half the slots of the table are empty).
    ledgers: HashMap<String, Box<Entry>>,
    scratch: ScratchBox,
    limits: Limits,
    /// Borrowers with a rejected event that would have changed their ledger, with the line
    /// of the first such event.
    incomplete: HashMap<String, Option<usize>>,
}

/// Reusable buffers; cloning a screener starts fresh ones.
#[derive(Debug, Default)]
struct ScratchBox(Scratch);

impl Clone for ScratchBox {
    fn clone(&self) -> ScratchBox {
        ScratchBox::default()
    }
}

impl Screener {
    /// A screener over `engine`.
    pub fn new(engine: Engine) -> Screener {
        Screener {
            engine,
            default_zone: None,
            ledgers: HashMap::new(),
            scratch: ScratchBox::default(),
            limits: Limits::default(),
            incomplete: HashMap::new(),
        }
    }

    /// Sets the input limits.
    pub fn with_limits(mut self, limits: Limits) -> Screener {
        self.limits = limits;
        self
    }

    /// The input limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Takes one line of JSON Lines input (without its line break); `line` is its 1-based
    /// number, for the error. Blank lines are skipped.
    pub fn push_line(&mut self, line: usize, text: &str) -> LineOutcome {
        let parsed = parse_line(self.limits, line, text);
        self.push_parsed(line, parsed)
    }

    /// Takes one parsed line read from input line `line`.
    pub(crate) fn push_parsed(&mut self, line: usize, parsed: Parsed) -> LineOutcome {
        let event = match parsed {
            Parsed::Blank => return LineOutcome::Recorded,
            Parsed::Event(e) => e,
            Parsed::Unreadable { error, borrower } => {
                // A line that would have changed a ledger but cannot be read leaves that
                // ledger incomplete (see `push`).
                if let Some(b) = borrower {
                    self.incomplete.entry(b).or_insert(Some(line));
                }
                return LineOutcome::Error { line, error };
            }
        };
        match self.push_at(&event, Some(line)) {
            Ok(Some(v)) => LineOutcome::Verdict(v),
            Ok(None) => LineOutcome::Recorded,
            Err(error) => LineOutcome::Error { line, error },
        }
    }

    /// A screener with this one's engine, default time zone and limits, and no ledgers.
    pub(crate) fn empty_like(&self) -> Screener {
        Screener {
            engine: self.engine.clone(),
            default_zone: self.default_zone,
            ledgers: HashMap::new(),
            scratch: ScratchBox::default(),
            limits: self.limits,
            incomplete: HashMap::new(),
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
        self.ledgers
            .values()
            .map(|e| e.history.contacts().len())
            .sum()
    }

    /// The ledger of a borrower.
    pub fn history(&self, borrower: &str) -> Option<&History> {
        self.ledgers.get(borrower).map(|e| &e.history)
    }

    /// Borrowers whose ledger is incomplete because an event that would have changed it was
    /// rejected (their later events are [`ScreenError::IncompleteLedger`] errors).
    pub fn incomplete_borrowers(&self) -> impl Iterator<Item = &str> {
        self.incomplete.keys().map(String::as_str)
    }

    /// Takes one event. Returns the verdict for a contact, `None` for other events.
    ///
    /// An event that would have changed a borrower's ledger (anything but a planned contact)
    /// and is rejected leaves that ledger incomplete: every later event of the borrower is
    /// then an [`ScreenError::IncompleteLedger`] error rather than a verdict that might allow
    /// what the lost event forbids.
    pub fn push(&mut self, event: &Event) -> Result<Option<ContactVerdict>, ScreenError> {
        self.push_at(event, None)
    }

    fn push_at(
        &mut self,
        event: &Event,
        line: Option<usize>,
    ) -> Result<Option<ContactVerdict>, ScreenError> {
        let id = event.borrower_id();
        if let Some(&first) = self.incomplete.get(id) {
            return Err(ScreenError::IncompleteLedger {
                borrower: id.to_string(),
                line: first,
            });
        }
        let result = self.push_event(event);
        let changes_ledger = match event {
            Event::Contact(c) => c.outcome.is_some(),
            _ => true,
        };
        if result.is_err() && changes_ledger {
            self.incomplete.insert(id.to_string(), line);
        }
        result
    }

    fn push_event(&mut self, event: &Event) -> Result<Option<ContactVerdict>, ScreenError> {
        if let Event::Borrower(b) = event {
            if b.time_zones.is_empty() {
                return Err(ScreenError::NoTimeZone {
                    borrower: b.id.clone(),
                });
            }
            crate::engine::check_time_zones(b)?;
            if let Some(packs) = &b.packs {
                self.engine.check_packs(packs)?;
            }
            if let Some(existing) = self.ledgers.get(&b.id) {
                if existing.borrower != *b {
                    return Err(ScreenError::Redeclared {
                        borrower: b.id.clone(),
                    });
                }
                return Ok(None);
            }
            self.ledgers
                .insert(b.id.clone(), Box::new(Entry::new(&self.engine, b.clone())));
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
            self.ledgers
                .insert(id.to_string(), Box::new(Entry::new(&self.engine, b)));
        }
        let Some(entry) = self.ledgers.get_mut(id) else {
            return Err(ScreenError::UnknownBorrower {
                borrower: id.to_string(),
            });
        };
        match event {
            Event::Contact(c) => {
                if let Some(text) = &c.text {
                    if text.len() > self.limits.max_text_bytes {
                        return Err(ScreenError::TextTooLong {
                            contact: c.id.clone(),
                            len: text.len(),
                            limit: self.limits.max_text_bytes,
                        });
                    }
                }
                if let Some(last) = entry.history.last_event() {
                    if c.at < last {
                        return Err(HistoryError::OutOfOrder {
                            borrower: c.borrower.clone(),
                            at: c.at,
                            last,
                        }
                        .into());
                    }
                }
                let verdict = self.engine.check_contact_resolved(
                    &entry.packs,
                    &entry.borrower,
                    &entry.history,
                    c,
                    &mut self.scratch.0,
                )?;
                if c.outcome.is_some() {
                    entry.history.record_contact(c)?;
                    // Contacts older than the borrower's longest window (and two days' slack
                    // for time zones) are dropped; a window too long to subtract from the
                    // attempt's time keeps everything.
                    let horizon = Duration::try_days(i64::from(entry.horizon_days) + 2);
                    if let Some(before) = horizon.and_then(|h| c.at.checked_sub_signed(h)) {
                        entry.history.prune(before, entry.keep_last);
                    }
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

/// For a line that is not a valid event: the borrower whose ledger it would have changed (a
/// declaration's `id`, another event's `borrower`), unless it is a contact without an outcome
/// (a planned attempt, which changes no ledger). A line that is JSON is read as JSON; a line
/// that is not (truncated, say) is scanned for the fields, so that a damaged cease request
/// still stops its borrower's later verdicts.
fn ledger_borrower_of_unreadable(text: &str) -> Option<String> {
    let text = text.trim_start_matches('\u{feff}');
    let (kind, has_outcome, id, borrower) = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => {
            let obj = value.as_object()?;
            let field = |k: &str| {
                obj.get(k)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            };
            (
                field("type"),
                obj.get("outcome").is_some_and(|o| !o.is_null()),
                field("id"),
                field("borrower"),
            )
        }
        Err(_) => (
            scan_string_field(text, "type"),
            text.contains("\"outcome\""),
            scan_string_field(text, "id"),
            scan_string_field(text, "borrower"),
        ),
    };
    match kind.as_deref() {
        Some("contact") if !has_outcome => None,
        Some("borrower") => id,
        _ => borrower,
    }
}

/// The value of the first `"key": "value"` in damaged JSON, if it has no escapes.
fn scan_string_field(text: &str, key: &str) -> Option<String> {
    let quoted = format!("\"{key}\"");
    let mut rest = text;
    while let Some(at) = rest.find(&quoted) {
        rest = rest.get(at + quoted.len()..)?;
        let after = rest.trim_start();
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        let Some(after) = after.trim_start().strip_prefix('"') else {
            continue;
        };
        let end = after.find(['"', '\\'])?;
        if after.get(end..)?.starts_with('\\') {
            return None;
        }
        return after.get(..end).map(str::to_string);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads through a 3-byte buffer (every line spans fills) and through a large one (every
    /// line read in place); both must agree.
    fn lines(input: &[u8], max: usize) -> Vec<(usize, Result<String, String>)> {
        let read = |cap: usize| {
            let mut out = Vec::new();
            read_lines(
                std::io::BufReader::with_capacity(cap, input),
                max,
                |n, l| {
                    out.push((n, l.map(str::to_string).map_err(|e| e.to_string())));
                },
            )
            .unwrap();
            out
        };
        let small = read(3);
        assert_eq!(small, read(1 << 16));
        assert_eq!(small, read(7));
        small
    }

    #[test]
    fn ledgers_keep_what_the_borrowers_packs_read() {
        let engine = Engine::from_pack("us").unwrap();
        let us = Borrower::new("b", chrono_tz::America::New_York);
        let packs = engine.resolve_packs(&us).unwrap();
        let (days, keep) = engine.horizon_of(&packs);
        // Other packs of the engine read further back (the Australian month).
        assert!(
            engine.horizon_days() > days,
            "{} vs {days}",
            engine.horizon_days()
        );
        let mut s = Screener::new(engine);
        s.push(&Event::Borrower(us)).unwrap();
        let start: chrono::DateTime<chrono::Utc> = "2026-03-02T15:00:00Z".parse().unwrap();
        for d in 0..60 {
            let c = crate::model::ContactAttempt::new(
                format!("c{d}"),
                "b",
                start + Duration::days(d),
                crate::model::Channel::Letter,
            )
            .with_outcome(crate::model::Outcome::Delivered);
            s.push(&Event::Contact(c)).unwrap();
        }
        let kept = s.history("b").unwrap().contacts();
        let last = start + Duration::days(59);
        let oldest = kept.first().unwrap().at;
        assert!(kept.len() < 60);
        assert!(kept.len() >= keep);
        assert!(last - oldest <= Duration::days(i64::from(days) + 2));
        assert!(last - oldest >= Duration::days(i64::from(days)));
    }

    #[test]
    fn bounded_lines() {
        let got = lines(b"ab\r\n0123456789\n\ncd\n\xff\nlast", 5);
        assert_eq!(got[0], (1, Ok("ab".into())));
        assert_eq!(got[1].0, 2);
        assert!(got[1]
            .1
            .as_ref()
            .unwrap_err()
            .contains("longer than the limit of 5"));
        assert_eq!(got[2], (3, Ok("".into())));
        assert_eq!(got[3], (4, Ok("cd".into())));
        assert!(got[4].1.as_ref().unwrap_err().contains("UTF-8"));
        assert_eq!(got[5], (6, Ok("last".into())));
        assert_eq!(got.len(), 6);
        assert!(lines(b"", 5).is_empty());
    }

    fn screener(default_zone: bool) -> Screener {
        let engine = Engine::builder().pack("us").build().unwrap();
        let s = Screener::new(engine);
        if default_zone {
            s.with_default_time_zone(chrono_tz::UTC)
        } else {
            s
        }
    }

    fn outcome_kinds(s: &mut Screener, input: &str) -> Vec<String> {
        input
            .lines()
            .enumerate()
            .map(|(i, l)| match s.push_line(i + 1, l) {
                LineOutcome::Verdict(v) => format!("verdict {}", v.id),
                LineOutcome::Recorded => "recorded".to_string(),
                LineOutcome::Error { line, error } => format!("error {line}: {error}"),
            })
            .collect()
    }

    #[test]
    fn a_rejected_event_makes_the_ledger_incomplete() {
        let input = r#"{"type":"borrower","id":"b1","time_zones":["America/New_York"]}
{"type":"cease","borrower":"b1","at":"2026-03-05T12:00:00Z","note":"typo"}
{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-06T15:00:00Z","channel":"call"}
{"type":"borrower","id":"b2","time_zones":["America/New_York"]}
{"type":"contact","id":"c2","borrower":"b2","at":"2026-03-06T15:00:00Z","channel":"fax"}
{"type":"contact","id":"c3","borrower":"b2","at":"2026-03-06T15:00:00Z","channel":"call"}"#;
        let got = outcome_kinds(&mut screener(false), input);
        assert_eq!(got[0], "recorded");
        assert!(got[1].starts_with("error 2: invalid event: unknown field `note`"));
        assert_eq!(got[2], "error 3: borrower `b1` cannot be judged: an earlier event (line 2) was rejected, so the ledger is incomplete");
        // A planned contact changes no ledger: its rejection leaves the borrower usable.
        assert!(got[4].starts_with("error 5: invalid event: unknown variant `fax`"));
        assert_eq!(got[5], "verdict c3");
    }

    #[test]
    fn a_rejected_declaration_is_never_replaced_by_the_default_zone() {
        let input = r#"{"type":"borrower","id":"b1","time_zones":["Mars/Olympus"]}
{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-06T15:00:00Z","channel":"call"}
{"type":"borrower","id":"b2","time_zones":["America/New_York"],"packs":["usa"]}
{"type":"contact","id":"c2","borrower":"b2","at":"2026-03-06T15:00:00Z","channel":"call"}
{"type":"contact","id":"c3","borrower":"b3","at":"2026-03-06T15:00:00Z","channel":"call"}"#;
        let got = outcome_kinds(&mut screener(true), input);
        assert!(
            got[0].starts_with("error 1: invalid event: unknown time zone `Mars/Olympus`"),
            "{}",
            got[0]
        );
        assert!(
            got[1].starts_with("error 2: borrower `b1` cannot be judged"),
            "{}",
            got[1]
        );
        assert!(
            got[2].starts_with("error 3: unknown pack `usa`"),
            "{}",
            got[2]
        );
        assert!(
            got[3].starts_with("error 4: borrower `b2` cannot be judged"),
            "{}",
            got[3]
        );
        assert_eq!(got[4], "verdict c3");
    }

    #[test]
    fn damaged_lines_still_mark_their_borrower() {
        let input = "\u{feff}{\"type\":\"borrower\",\"id\":\"b1\",\"time_zones\":[\"UTC\"]}
{\"type\":\"borrower\",\"id\":\"b2\",\"time_zones\":[\"UTC\"]}
{\"type\":\"borrower\",\"id\":\"b3\",\"time_zones\":[\"UTC\"]}
{\"type\":\"cease\",\"borrower\" : \"b1\",\"at\":\"2026-03-05T12:0
\u{feff}{\"type\":\"cease\",\"borrower\":\"b2\",\"at\":\"2026-03-05T12:00:00Z\"}
{\"type\":\"contact\",\"id\":\"c0\",\"borrower\":\"b3\",\"at\":\"2026-03-05T12:00:00Z\",\"chann
{\"type\":\"contact\",\"id\":\"c1\",\"borrower\":\"b1\",\"at\":\"2026-03-06T12:00:00Z\",\"channel\":\"call\"}
{\"type\":\"contact\",\"id\":\"c2\",\"borrower\":\"b2\",\"at\":\"2026-03-06T12:00:00Z\",\"channel\":\"call\"}
{\"type\":\"contact\",\"id\":\"c3\",\"borrower\":\"b3\",\"at\":\"2026-03-06T12:00:00Z\",\"channel\":\"call\"}";
        let got = outcome_kinds(&mut screener(false), input);
        assert_eq!(got[0], "recorded", "a byte-order mark on line 1 is fine");
        assert!(
            got[3].starts_with("error 4: invalid event: EOF"),
            "{}",
            got[3]
        );
        assert!(
            got[4].starts_with("error 5: invalid event: expected value"),
            "{}",
            got[4]
        );
        assert!(
            got[6]
                .starts_with("error 7: borrower `b1` cannot be judged: an earlier event (line 4)"),
            "{}",
            got[6]
        );
        assert!(
            got[7]
                .starts_with("error 8: borrower `b2` cannot be judged: an earlier event (line 5)"),
            "{}",
            got[7]
        );
        // The damaged planned contact of b3 changed no ledger.
        assert_eq!(got[8], "verdict c3");
        assert_eq!(scan_string_field(r#"{"a" :"x\"y", "b":"z"}"#, "a"), None);
        assert_eq!(
            scan_string_field(r#"{"id":1,"x":"id","id" : "q"}"#, "id"),
            Some("q".into())
        );
    }

    #[test]
    fn time_zones_are_few_and_different() {
        let many: Vec<String> = (0..=crate::MAX_TIME_ZONES)
            .map(|i| format!("\"Etc/GMT+{}\"", i % 12))
            .collect();
        let input = format!(
            r#"{{"type":"borrower","id":"b1","time_zones":["Asia/Shanghai","UTC","Asia/Shanghai"]}}
{{"type":"borrower","id":"b2","time_zones":[{}]}}
{{"type":"contact","id":"c1","borrower":"b2","at":"2026-03-06T15:00:00Z","channel":"call"}}"#,
            many.join(",")
        );
        let got = outcome_kinds(&mut screener(false), &input);
        assert_eq!(
            got[0],
            "error 1: borrower `b1` lists 3 time zones, `Asia/Shanghai` more than once: at most 16 different ones"
        );
        assert_eq!(
            got[1],
            "error 2: borrower `b2` lists 17 time zones: at most 16 different ones"
        );
        assert!(
            got[2].starts_with("error 3: borrower `b2` cannot be judged"),
            "{}",
            got[2]
        );
        // The library refuses them too.
        let engine = Engine::builder().pack("us").build().unwrap();
        let mut b = Borrower::new("b", chrono_tz::UTC);
        b.time_zones.push(chrono_tz::UTC);
        let a = crate::ContactAttempt::new(
            "c",
            "b",
            "2026-03-06T15:00:00Z".parse().unwrap(),
            crate::Channel::Call,
        );
        let err = engine.check_contact(&b, &History::new(&b), &a).unwrap_err();
        assert!(
            matches!(err, CheckError::TimeZones { count: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn times_outside_the_supported_years_are_errors() {
        let input = r#"{"type":"borrower","id":"b1","time_zones":["America/New_York"]}
{"type":"contact","id":"c1","borrower":"b1","at":"+262142-12-31T23:59:59Z","channel":"call","outcome":"no_answer"}
{"type":"borrower","id":"b2","time_zones":["Pacific/Kiritimati"]}
{"type":"cease","borrower":"b2","at":"-262143-01-01T00:00:00Z"}
{"type":"contact","id":"c2","borrower":"b2","at":"9999-12-31T23:59:59Z","channel":"call","outcome":"no_answer"}"#;
        let got = outcome_kinds(&mut screener(false), input);
        assert!(got[1].starts_with("error 2: contact `c1` is at +262142-12-31 23:59:59 UTC, outside the supported years 1..=9999"), "{}", got[1]);
        assert!(
            got[3].starts_with(
                "error 4: time -262143-01-01 00:00:00 UTC is outside the supported years"
            ),
            "{}",
            got[3]
        );
        assert!(
            got[4].starts_with("error 5: borrower `b2` cannot be judged"),
            "{}",
            got[4]
        );
    }
}
