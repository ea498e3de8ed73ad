//! `quiet_hours`: when a contact may be made, in the borrower's local time.
//!
//! An attempt passes when, in **every** time zone of the borrower, its local time falls in
//! one of the allowed windows for that local weekday, the local date is not a holiday of the
//! rule's calendar, and (with `honour_designated`) it is outside every inconvenient time the
//! borrower designated before the attempt. Windows are half-open `[from, to)`; `to = "24:00"`
//! means the end of the day. A consent of `consent_scope` in force lifts the rule.
//!
//! Which attempts it covers is the rule's `[rule.scope]` (channels, parties, address kinds);
//! the engine applies the scope before asking the rule.
//!
//! ```toml
//! [rule.params]
//! allowed = [
//!   { days = "mon-fri", from = "07:30", to = "21:00" },
//!   { days = "sat-sun", from = "09:00", to = "21:00" },
//! ]
//! holidays = "au-national"              # optional: a [[calendar]] id of the pack
//! honour_designated = false             # borrower-designated inconvenient times
//! consent_scope = "call_outside_hours"  # optional
//! ```
//!
//! # Parameters
//!
//! - `allowed`: the windows in which contact is allowed. `days` is `all`, a day (`mon`,
//!   `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, or the full English name), a range (`mon-fri`;
//!   ranges may wrap, `fri-mon` is Friday to Monday) or a comma-separated list of days and
//!   ranges (`mon,wed,fri`, `mon-wed,sat`); case does not matter. `from` and `to` are local
//!   `HH:MM` (or `HH:MM:SS`); `to` may be `24:00`. A window whose `to` is before its `from`
//!   runs past midnight: `{ days = "fri", from = "22:00", to = "02:00" }` is Friday 22:00 to
//!   Saturday 02:00. `from` equal to `to` is an error (use `00:00`–`24:00` for a whole day).
//!   A weekday that no window names is closed all day. When `allowed` is empty or absent the
//!   rule restricts only holidays and designated times.
//! - `holidays`: the id of a `[[calendar]]` of the pack; its dates are closed all day (the
//!   local date in each of the borrower's zones). An unknown id is an error.
//! - `honour_designated`: the borrower's `inconvenient` designations recorded at or before
//!   the attempt are closed. Each is a local `[from, to)` applying every day; one whose `to`
//!   is before its `from` wraps past midnight (`20:00`–`09:00`); one whose `from` equals its
//!   `to` covers the whole day (the stricter reading).
//! - `consent_scope`: a consent of this scope in force at the attempt's time (given at or
//!   before it, and before its `until`) lifts the rule.
//!
//! A rule that restricts nothing (no `allowed`, no `holidays`, `honour_designated = false`)
//! is an error.
//!
//! # Message variables
//!
//! When the rule fires, its `message` (and `message_zh`) may use:
//!
//! | variable | example | meaning |
//! |---|---|---|
//! | `{local_time}` | `07:59 Mon 2026-03-02` | the attempt's local time in `{zone}` |
//! | `{time}` | `07:59` | the local time of day |
//! | `{weekday}` | `Mon` | the local weekday |
//! | `{date}` | `2026-03-02` | the local date |
//! | `{zone}` | `America/New_York` | the IANA name of the zone in which the attempt fails |
//! | `{window}` | `08:00–21:00` | that day's allowed windows (`none` when the day has none, `00:00–24:00` without `allowed`) |
//! | `{why}` | `outside allowed hours` | `outside allowed hours`, `public holiday` or `a time the borrower said is inconvenient` |
//!
//! When the attempt fails in several zones, the first of the borrower's zones (in their
//! order) is reported; within a zone a holiday is reported first, then the hours, then a
//! designated time.
//!
//! # Earliest pass
//!
//! [`Timing::earliest_pass`] is exact to the nanosecond and follows the wall clock of each
//! zone through DST: a window that opens inside a spring-forward gap opens at the
//! transition; in a fall-back overlap, a repeated wall time opens a window twice. It works
//! segment by segment (at most a day long, cut at the zone's offset changes; within a
//! segment wall time is the instant plus a constant offset), jumping straight to the next
//! window edge, and takes a fixpoint over the borrower's zones. Designations recorded after
//! the starting instant close times from when they were recorded; a consent given later
//! opens the rule when it is given. It searches 400 days ahead and answers `None` when
//! nothing passes within them.

use std::fmt::Write;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{Ctx, Fired, Scope, Timing};
use crate::history::History;
use crate::model::{hhmm, ConsentScope, Inconvenient};
use crate::pack::{closest, did_you_mean, PackCtx};
use crate::time::{date_text, hm_text, local, next_offset_change, weekday_text};

/// One allowed window.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WindowDef {
    /// Days the window applies to: `all`, `mon-fri`, `sat-sun`, `mon,wed,fri`, ...
    pub days: String,
    /// Start, local `HH:MM`, inclusive.
    pub from: String,
    /// End, local `HH:MM` (or `24:00`), exclusive.
    pub to: String,
}

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// Allowed windows; when empty the rule restricts only holidays and designated times.
    #[serde(default)]
    pub allowed: Vec<WindowDef>,
    /// A calendar id of the pack; its dates are closed all day.
    #[serde(default)]
    pub holidays: Option<String>,
    /// Whether borrower-designated inconvenient times are closed.
    #[serde(default)]
    pub honour_designated: bool,
    /// A consent that lifts the rule while in force.
    #[serde(default)]
    pub consent_scope: Option<ConsentScope>,
}

/// Nanoseconds in a day: window edges are nanoseconds since local midnight, so that an
/// instant with a fraction of a second is compared exactly.
const DAY_NS: u64 = 86_400 * NS_PER_SEC;
const NS_PER_SEC: u64 = 1_000_000_000;
/// The whole day, for a rule without `allowed` windows.
const WHOLE_DAY: [(u64, u64); 1] = [(0, DAY_NS)];
/// How far ahead [`Timing::earliest_pass`] looks.
const HORIZON_DAYS: i64 = 400;
/// A bound on the rounds of the fixpoint over zones (each round reaches a later window edge
/// of some zone; 400 days of two windows a day in a few zones stays far below it).
const MAX_ROUNDS: usize = 100_000;
/// The zones of a borrower who has none (the engine rejects such borrowers; this keeps the
/// rule total, and matches the ledger's day counting).
const UTC_ONLY: [Tz; 1] = [Tz::UTC];

/// Why an attempt is closed in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Holiday,
    Hours,
    Designated,
}

impl Why {
    fn as_str(self) -> &'static str {
        match self {
            Why::Holiday => "public holiday",
            Why::Hours => "outside allowed hours",
            Why::Designated => "a time the borrower said is inconvenient",
        }
    }
}

/// A compiled quiet-hours rule.
#[derive(Debug)]
pub(crate) struct QuietHours {
    consent_scope: Option<ConsentScope>,
    honour_designated: bool,
    /// Allowed windows per weekday (Monday first), sorted, disjoint and not touching, in
    /// nanoseconds since local midnight; `None` when hours are not restricted.
    days: Option<[Vec<(u64, u64)>; 7]>,
    /// Each weekday's windows as text, for messages.
    window_text: [String; 7],
    /// Closed dates, sorted.
    holidays: Vec<NaiveDate>,
}

impl QuietHours {
    /// Compiles the parameters; errors are messages for the rule's `params` table. The scope
    /// is the engine's to apply.
    pub fn compile(params: Params, _scope: &Scope, pack: &PackCtx) -> Result<QuietHours, String> {
        let days = if params.allowed.is_empty() {
            None
        } else {
            let mut days: [Vec<(u64, u64)>; 7] = Default::default();
            for (n, w) in params.allowed.iter().enumerate() {
                let at = format!("`allowed` window {}", n + 1);
                let set = parse_days(&w.days).map_err(|m| format!("{at}: {m}"))?;
                let from = parse_time(&w.from, false).map_err(|m| format!("{at}: `from`: {m}"))?;
                let to = parse_time(&w.to, true).map_err(|m| format!("{at}: `to`: {m}"))?;
                if from == to {
                    return Err(format!(
                        "{at}: `from` and `to` are both `{}`, so the window is empty (use `00:00` to `24:00` for a whole day)",
                        w.from
                    ));
                }
                for (d, on) in set.iter().enumerate() {
                    if !on {
                        continue;
                    }
                    if from < to {
                        push(&mut days, d, (from, to));
                    } else {
                        // Past midnight: the tail of this day and the head of the next.
                        push(&mut days, d, (from, DAY_NS));
                        if to > 0 {
                            push(&mut days, (d + 1) % 7, (0, to));
                        }
                    }
                }
            }
            for d in &mut days {
                merge(d);
            }
            Some(days)
        };
        let holidays = match &params.holidays {
            None => Vec::new(),
            Some(id) => match pack.calendars.get(id) {
                Some(dates) => {
                    let mut dates = dates.clone();
                    dates.sort_unstable();
                    dates.dedup();
                    dates
                }
                None => {
                    let mut known: Vec<&str> = pack.calendars.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    let hint = did_you_mean(&closest(id, known.iter().copied()));
                    return Err(if known.is_empty() {
                        format!("`holidays`: unknown calendar `{id}`; the pack defines no `[[calendar]]`")
                    } else {
                        format!(
                            "`holidays`: unknown calendar `{id}`{hint}; the pack's calendars: {}",
                            known.join(", ")
                        )
                    });
                }
            },
        };
        if days.is_none() && params.holidays.is_none() && !params.honour_designated {
            return Err(
                "the rule restricts nothing: give `allowed` windows, `holidays` or `honour_designated = true`"
                    .to_string(),
            );
        }
        let window_text = std::array::from_fn(|d| match &days {
            None => "00:00–24:00".to_string(),
            Some(days) => days.get(d).map_or_else(String::new, |w| windows_text(w)),
        });
        Ok(QuietHours {
            consent_scope: params.consent_scope,
            honour_designated: params.honour_designated,
            days,
            window_text,
            holidays,
        })
    }

    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.binary_search(&date).is_ok()
    }

    /// The allowed windows of a local date's weekday.
    fn windows(&self, date: NaiveDate) -> &[(u64, u64)] {
        match &self.days {
            None => &WHOLE_DAY,
            Some(days) => days.get(weekday(date)).map_or(&[][..], Vec::as_slice),
        }
    }

    /// The designations in force at `as_of` (none unless the rule honours them).
    fn designated<'a>(&self, history: &'a History, as_of: DateTime<Utc>) -> Designated<'a> {
        Designated {
            list: if self.honour_designated {
                history.inconvenient()
            } else {
                &[]
            },
            as_of,
        }
    }

    /// Why local time `ns` (since midnight) of `date` is closed, if it is.
    fn closed(&self, date: NaiveDate, ns: u64, designated: &Designated<'_>) -> Option<Why> {
        if self.is_holiday(date) {
            return Some(Why::Holiday);
        }
        if !self.windows(date).iter().any(|&(a, b)| a <= ns && ns < b) {
            return Some(Why::Hours);
        }
        if designated.pieces().any(|(a, b)| a <= ns && ns < b) {
            return Some(Why::Designated);
        }
        None
    }

    /// The first local time of `date` at or after `from` (nanoseconds since midnight) that
    /// is open; `from` itself exactly when [`QuietHours::closed`] is `None` there.
    fn open_at_or_after(
        &self,
        date: NaiveDate,
        from: u64,
        designated: &Designated<'_>,
    ) -> Option<u64> {
        if self.is_holiday(date) {
            return None;
        }
        for &(a, b) in self.windows(date) {
            if b <= from {
                continue;
            }
            let mut p = a.max(from);
            // Push past designated pieces until none holds `p` (each step moves to the end
            // of a piece, so this ends within as many steps as there are pieces).
            while p < b {
                match designated.pieces().find(|&(x, y)| x <= p && p < y) {
                    Some((_, y)) => p = y,
                    None => return Some(p),
                }
            }
        }
        None
    }

    /// The earliest instant `>= c` (and `< horizon`) at which zone `tz` alone is open, with
    /// the designations `designated` (fixed: those in force at `c`).
    fn next_open_in_zone(
        &self,
        tz: Tz,
        c: DateTime<Utc>,
        designated: &Designated<'_>,
        horizon: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        // Open at `c` itself (the common case in the engine's fixpoint, which asks every rule
        // at each candidate instant): one conversion instead of a walk over offset spans.
        if c < horizon {
            let wall = local(tz, c);
            let ns = ns_of_day(wall.time());
            if self.open_at_or_after(wall.date(), ns, designated) == Some(ns) {
                return Some(c);
            }
        }
        let mut s = c;
        while s < horizon {
            let chunk_end = s
                .checked_add_signed(TimeDelta::days(1))
                .map_or(horizon, |t| t.min(horizon));
            // [s, e): one offset, so wall time runs from `lo` to `hi` in step with instants.
            let e = next_offset_change(tz, s, chunk_end).unwrap_or(chunk_end);
            let lo = local(tz, s);
            let hi = lo.checked_add_signed(e - s)?;
            let mut date = lo.date();
            let mut from = ns_of_day(lo.time());
            loop {
                if let Some(ns) = self.open_at_or_after(date, from, designated) {
                    let w = at_ns(date, ns)?;
                    if w < hi {
                        return s.checked_add_signed(w - lo);
                    }
                    break;
                }
                date = date.succ_opt()?;
                if at_ns(date, 0)? >= hi {
                    break;
                }
                from = 0;
            }
            s = e;
        }
        None
    }

    /// Whether a consent of the rule's scope is in force at `at`.
    fn consented(&self, history: &History, at: DateTime<Utc>) -> bool {
        self.consent_scope
            .is_some_and(|scope| history.consents_in_force(scope, at).next().is_some())
    }

    /// The first instant in `[at, horizon)` at which a consent of the rule's scope is in force.
    fn first_consent(
        &self,
        history: &History,
        at: DateTime<Utc>,
        horizon: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let scope = self.consent_scope?;
        history
            .consents()
            .iter()
            .filter(|c| c.scope == scope)
            .map(|c| (c.at.max(at), c.until))
            .filter(|&(start, until)| until.is_none_or(|u| start < u) && start < horizon)
            .map(|(start, _)| start)
            .min()
    }

    fn fired(&self, tz: Tz, wall: NaiveDateTime, why: Why) -> Fired {
        let text = self
            .window_text
            .get(weekday(wall.date()))
            .cloned()
            .unwrap_or_default();
        let (time, weekday, date) = (
            hm_text(wall),
            weekday_text(wall.date()),
            date_text(wall.date()),
        );
        Fired::with_vars(vec![
            ("local_time", format!("{time} {weekday} {date}")),
            ("time", time),
            ("weekday", weekday.to_string()),
            ("date", date),
            ("zone", tz.name().to_string()),
            ("window", text),
            ("why", why.as_str().to_string()),
        ])
    }
}

impl Timing for QuietHours {
    fn fires_at(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<Fired> {
        if self.consented(ctx.history, at) {
            return None;
        }
        let designated = self.designated(ctx.history, at);
        zones(ctx).iter().find_map(|&tz| {
            let wall = local(tz, at);
            self.closed(wall.date(), ns_of_day(wall.time()), &designated)
                .map(|why| self.fired(tz, wall, why))
        })
    }

    fn earliest_pass(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let horizon = at
            .checked_add_signed(TimeDelta::days(HORIZON_DAYS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let consent = self.first_consent(ctx.history, at, horizon);
        let zones = zones(ctx);
        // `c` never passes an instant that passes: each zone's next opening, with the
        // designations in force at `c` (later ones only close more), is a lower bound.
        let mut c = at;
        for _ in 0..MAX_ROUNDS {
            if let Some(k) = consent {
                if k <= c {
                    return Some(k);
                }
            }
            if c >= horizon {
                return None;
            }
            let designated = self.designated(ctx.history, c);
            let mut next = c;
            for &tz in zones {
                match self.next_open_in_zone(tz, c, &designated, horizon) {
                    Some(n) => next = next.max(n),
                    None => return consent,
                }
            }
            if next == c {
                return Some(c);
            }
            c = next;
        }
        None
    }
}

/// The designations in force at an instant.
struct Designated<'a> {
    list: &'a [Inconvenient],
    as_of: DateTime<Utc>,
}

impl Designated<'_> {
    /// The closed pieces of a day, `[from, to)` in nanoseconds since midnight.
    fn pieces(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.list
            .iter()
            .filter(|i| i.at <= self.as_of)
            .flat_map(|i| {
                let (f, t) = (ns_of_day(i.from), ns_of_day(i.to));
                let pieces = if f < t {
                    [Some((f, t)), None]
                } else if f > t {
                    [Some((f, DAY_NS)), Some((0, t)).filter(|_| t > 0)]
                } else {
                    [Some((0, DAY_NS)), None]
                };
                pieces.into_iter().flatten()
            })
    }
}

fn zones<'a>(ctx: &Ctx<'a>) -> &'a [Tz] {
    if ctx.borrower.time_zones.is_empty() {
        &UTC_ONLY
    } else {
        &ctx.borrower.time_zones
    }
}

/// Monday = 0.
fn weekday(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

/// Nanoseconds since midnight (a leap second counts as the last nanosecond of its second).
fn ns_of_day(t: NaiveTime) -> u64 {
    u64::from(t.num_seconds_from_midnight()) * NS_PER_SEC
        + u64::from(t.nanosecond().min(999_999_999))
}

/// The local date-time `ns` nanoseconds after the midnight of `date`.
fn at_ns(date: NaiveDate, ns: u64) -> Option<NaiveDateTime> {
    let ns = i64::try_from(ns).ok()?;
    date.and_time(NaiveTime::MIN)
        .checked_add_signed(TimeDelta::nanoseconds(ns))
}

fn push(days: &mut [Vec<(u64, u64)>; 7], d: usize, w: (u64, u64)) {
    if let Some(v) = days.get_mut(d) {
        v.push(w);
    }
}

/// Sorts windows and joins those that overlap or touch.
fn merge(w: &mut Vec<(u64, u64)>) {
    w.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(w.len());
    for &(a, b) in w.iter() {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    *w = out;
}

fn windows_text(w: &[(u64, u64)]) -> String {
    if w.is_empty() {
        return "none".to_string();
    }
    let mut s = String::new();
    for (i, &(a, b)) in w.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{}–{}", clock(a), clock(b));
    }
    s
}

/// `HH:MM` (with `:SS` when needed) of nanoseconds since midnight; `24:00` at the end.
fn clock(ns: u64) -> String {
    let secs = ns / NS_PER_SEC;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// `HH:MM` or `HH:MM:SS` as nanoseconds since midnight; `24:00` only when `end`.
fn parse_time(s: &str, end: bool) -> Result<u64, String> {
    let t = s.trim();
    if t == "24:00" || t == "24:00:00" {
        return if end {
            Ok(DAY_NS)
        } else {
            Err(
                "`24:00` may only end a window (a window starting at midnight starts at `00:00`)"
                    .to_string(),
            )
        };
    }
    hhmm::parse(t).map(ns_of_day)
}

const DAY_NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

fn parse_day(name: &str, spec: &str) -> Result<usize, String> {
    let n = name.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|(short, long)| n == *short || n == *long)
        .ok_or_else(|| {
            let known = DAY_NAMES.iter().flat_map(|(s, l)| [*s, *l]);
            let hint = did_you_mean(&closest(&n, known).map(|c| c.chars().take(3).collect()));
            if n.is_empty() {
                format!("days `{spec}`: a day is missing (expected `all`, `mon-fri`, `sat-sun`, `mon,wed,fri`, ...)")
            } else {
                format!(
                    "days `{spec}`: unknown day `{}`{hint}; days are `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`",
                    name.trim()
                )
            }
        })
}

/// `all`, a day, a range (may wrap) or a comma-separated list of those.
fn parse_days(spec: &str) -> Result<[bool; 7], String> {
    let mut set = [false; 7];
    if spec.trim().eq_ignore_ascii_case("all") {
        return Ok([true; 7]);
    }
    for part in spec.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (parse_day(a, spec)?, parse_day(b, spec)?);
                let mut d = a;
                loop {
                    if let Some(x) = set.get_mut(d) {
                        *x = true;
                    }
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => {
                let d = parse_day(part, spec)?;
                if let Some(x) = set.get_mut(d) {
                    *x = true;
                }
            }
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use chrono::TimeZone;
    use chrono_tz::America::{Los_Angeles, New_York};
    use chrono_tz::Asia::Shanghai;
    use chrono_tz::Australia::Sydney;
    use chrono_tz::Europe::London;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Borrower, Channel, Consent, ContactAttempt};
    use crate::rules::test_util::{utc, var};
    use crate::time::{first_instant_at_or_after, offset_seconds};

    const US: &str = r#"allowed = [{ days = "all", from = "08:00", to = "21:00" }]"#;
    const CN: &str = r#"allowed = [{ days = "all", from = "08:00", to = "22:00" }]"#;
    const AU: &str = r#"allowed = [
        { days = "mon-fri", from = "07:30", to = "21:00" },
        { days = "sat-sun", from = "09:00", to = "21:00" },
    ]"#;

    fn hm(s: &str) -> NaiveTime {
        hhmm::parse(s).unwrap()
    }

    /// The one instant at which local time in `tz` reads `s` (`YYYY-MM-DD HH:MM[:SS]`).
    fn lt(tz: Tz, s: &str) -> DateTime<Utc> {
        let wall = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
            .unwrap();
        tz.from_local_datetime(&wall)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn compile_with(
        src: &str,
        calendars: &HashMap<String, Vec<NaiveDate>>,
    ) -> Result<QuietHours, String> {
        let params: Params = toml::from_str(src).map_err(|e| e.to_string())?;
        let lexicons = BTreeMap::new();
        let pack = PackCtx {
            pack: "test",
            calendars,
            lexicons: &lexicons,
            models: &BTreeMap::new(),
        };
        QuietHours::compile(params, &Scope::default(), &pack)
    }

    fn rule(src: &str) -> QuietHours {
        compile_with(src, &HashMap::new()).unwrap()
    }

    fn calendar(id: &str, dates: &[&str]) -> HashMap<String, Vec<NaiveDate>> {
        let dates = dates.iter().map(|d| d.parse().unwrap()).collect();
        HashMap::from([(id.to_string(), dates)])
    }

    struct World {
        borrower: Borrower,
        history: History,
        attempt: ContactAttempt,
    }

    impl World {
        fn new(zones: &[Tz]) -> World {
            let mut borrower = Borrower::new("b", zones[0]);
            borrower.time_zones = zones.to_vec();
            let history = History::new(&borrower);
            let attempt = ContactAttempt::new("c", "b", utc("2026-01-01T00:00:00Z"), Channel::Call);
            World {
                borrower,
                history,
                attempt,
            }
        }

        fn designate(&mut self, at: &str, from: &str, to: &str) {
            self.history
                .record_inconvenient(&Inconvenient {
                    borrower: "b".into(),
                    at: utc(at),
                    from: hm(from),
                    to: hm(to),
                })
                .unwrap();
        }

        fn consent(&mut self, at: &str, scope: ConsentScope, until: Option<&str>) {
            self.history
                .record_consent(&Consent {
                    borrower: "b".into(),
                    at: utc(at),
                    scope,
                    channel: None,
                    until: until.map(utc),
                })
                .unwrap();
        }

        fn ctx(&self) -> Ctx<'_> {
            Ctx {
                borrower: &self.borrower,
                history: &self.history,
                attempt: &self.attempt,
            }
        }
    }

    fn passes(r: &QuietHours, ctx: &Ctx<'_>, at: DateTime<Utc>) -> bool {
        r.fires_at(ctx, at).is_none()
    }

    fn ns(n: i64) -> TimeDelta {
        TimeDelta::nanoseconds(n)
    }

    #[test]
    fn us_window_edges() {
        let r = rule(US);
        let w = World::new(&[New_York]);
        let ctx = w.ctx();
        let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 07:59")).unwrap();
        assert_eq!(var(&f, "local_time"), "07:59 Mon 2026-03-02");
        assert_eq!(var(&f, "zone"), "America/New_York");
        assert_eq!(var(&f, "window"), "08:00–21:00");
        assert_eq!(var(&f, "why"), "outside allowed hours");
        assert_eq!(
            (var(&f, "time"), var(&f, "weekday"), var(&f, "date")),
            ("07:59", "Mon", "2026-03-02")
        );
        assert!(r
            .fires_at(&ctx, lt(New_York, "2026-03-02 08:00") - ns(1))
            .is_some());
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 08:00")));
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 20:59")));
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 21:00") - ns(1)));
        let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 21:00")).unwrap();
        assert_eq!(var(&f, "local_time"), "21:00 Mon 2026-03-02");

        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 07:59")),
            Some(utc("2026-03-02T13:00:00Z"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-02T12:59:30.25Z")),
            Some(utc("2026-03-02T13:00:00Z"))
        );
        let open = utc("2026-03-02T15:17:03.5Z");
        assert_eq!(r.earliest_pass(&ctx, open), Some(open));
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 21:00")),
            Some(utc("2026-03-03T13:00:00Z"))
        );
    }

    #[test]
    fn cn_window_in_shanghai() {
        let r = rule(CN);
        let w = World::new(&[Shanghai]);
        let ctx = w.ctx();
        assert!(r.fires_at(&ctx, lt(Shanghai, "2026-03-02 07:59")).is_some());
        assert!(passes(&r, &ctx, lt(Shanghai, "2026-03-02 08:00")));
        assert!(passes(&r, &ctx, lt(Shanghai, "2026-03-02 21:59")));
        let f = r.fires_at(&ctx, lt(Shanghai, "2026-03-02 22:00")).unwrap();
        assert_eq!(var(&f, "window"), "08:00–22:00");
        assert_eq!(var(&f, "zone"), "Asia/Shanghai");
        assert_eq!(var(&f, "local_time"), "22:00 Mon 2026-03-02");
        assert_eq!(
            utc("2026-03-02T14:00:00Z"),
            lt(Shanghai, "2026-03-02 22:00")
        );
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-02T14:00:00Z")),
            Some(utc("2026-03-03T00:00:00Z"))
        );
    }

    #[test]
    fn two_zones_allow_only_the_intersection() {
        let r = rule(US);
        for zones in [[New_York, Los_Angeles], [Los_Angeles, New_York]] {
            let w = World::new(&zones);
            let ctx = w.ctx();
            // 08:00 in Los Angeles is 11:00 in New York; 21:00 in New York is 18:00 there.
            let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 10:59")).unwrap();
            assert_eq!(var(&f, "zone"), "America/Los_Angeles");
            assert_eq!(var(&f, "local_time"), "07:59 Mon 2026-03-02");
            assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 11:00")));
            assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 20:59")));
            let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 21:00")).unwrap();
            assert_eq!(var(&f, "zone"), "America/New_York");
            assert_eq!(
                r.earliest_pass(&ctx, lt(New_York, "2026-03-02 07:00")),
                Some(lt(New_York, "2026-03-02 11:00"))
            );
            assert_eq!(
                r.earliest_pass(&ctx, lt(New_York, "2026-03-02 21:00")),
                Some(lt(New_York, "2026-03-03 11:00"))
            );
            // The zones change to summer time three hours apart; the intersection opens at
            // 08:00 PDT.
            assert_eq!(
                r.earliest_pass(&ctx, utc("2026-03-08T02:00:00Z")),
                Some(utc("2026-03-08T15:00:00Z"))
            );
        }
    }

    #[test]
    fn new_york_dst_transitions() {
        let r = rule(US);
        let w = World::new(&[New_York]);
        let ctx = w.ctx();
        // Spring forward 2026-03-08 07:00Z: 08:00 EDT is 12:00Z, not 13:00Z.
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-08T02:00:00Z")),
            Some(utc("2026-03-08T12:00:00Z"))
        );
        let f = r.fires_at(&ctx, utc("2026-03-08T11:59:00Z")).unwrap();
        assert_eq!(var(&f, "local_time"), "07:59 Sun 2026-03-08");
        // Fall back 2026-11-01 06:00Z: 08:00 EST is 13:00Z.
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-11-01T01:00:00Z")),
            Some(utc("2026-11-01T13:00:00Z"))
        );
        assert!(r.fires_at(&ctx, utc("2026-11-01T12:59:59Z")).is_some());
    }

    #[test]
    fn window_starting_in_the_spring_gap_opens_at_the_transition() {
        let ny = New_York;
        let w = World::new(&[ny]);
        let ctx = w.ctx();
        let r = rule(r#"allowed = [{ days = "all", from = "02:30", to = "05:00" }]"#);
        let t = utc("2026-03-08T07:00:00Z");
        assert_eq!(r.earliest_pass(&ctx, utc("2026-03-08T05:00:00Z")), Some(t));
        assert_eq!(
            first_instant_at_or_after(
                ny,
                lt(ny, "2026-03-08 01:00").with_timezone(&ny).naive_local()
                    + TimeDelta::minutes(90)
            ),
            Some(t)
        );
        let f = r.fires_at(&ctx, t - ns(1)).unwrap();
        assert_eq!(var(&f, "local_time"), "01:59 Sun 2026-03-08");
        assert!(passes(&r, &ctx, t));
        assert!(passes(&r, &ctx, utc("2026-03-08T08:59:59Z")));
        assert!(r.fires_at(&ctx, utc("2026-03-08T09:00:00Z")).is_some());

        // A window ending in the gap closes at the transition.
        let r = rule(r#"allowed = [{ days = "all", from = "01:00", to = "02:30" }]"#);
        assert!(passes(&r, &ctx, t - ns(1)));
        assert!(r.fires_at(&ctx, t).is_some());
        assert_eq!(r.earliest_pass(&ctx, t), Some(lt(ny, "2026-03-09 01:00")));

        // A window wholly inside the gap does not exist that day.
        let r = rule(r#"allowed = [{ days = "all", from = "02:00", to = "03:00" }]"#);
        assert!(r.fires_at(&ctx, t).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-08T05:00:00Z")),
            Some(lt(ny, "2026-03-09 02:00"))
        );
    }

    #[test]
    fn fall_back_repeats_the_hour() {
        let ny = New_York;
        let w = World::new(&[ny]);
        let ctx = w.ctx();
        // 01:00-02:00 happens at 05:00Z (EDT) and again at 06:00Z (EST).
        let r = rule(r#"allowed = [{ days = "all", from = "01:00", to = "01:30" }]"#);
        assert!(passes(&r, &ctx, utc("2026-11-01T05:00:00Z")));
        assert!(r.fires_at(&ctx, utc("2026-11-01T05:30:00Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-11-01T05:30:00Z")),
            Some(utc("2026-11-01T06:00:00Z"))
        );
        assert!(passes(&r, &ctx, utc("2026-11-01T06:29:59Z")));
        assert!(r.fires_at(&ctx, utc("2026-11-01T06:30:00Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-11-01T06:30:00Z")),
            Some(utc("2026-11-02T06:00:00Z"))
        );

        // The second occurrence of a window start opens the window again.
        let r = rule(r#"allowed = [{ days = "all", from = "01:30", to = "02:00" }]"#);
        let f = r.fires_at(&ctx, utc("2026-11-01T06:00:00Z")).unwrap();
        assert_eq!(var(&f, "local_time"), "01:00 Sun 2026-11-01");
        assert_eq!(var(&f, "window"), "01:30–02:00");
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-11-01T06:00:00Z")),
            Some(utc("2026-11-01T06:30:00Z"))
        );

        // Falling back into a window re-opens it at the transition itself.
        let r = rule(r#"allowed = [{ days = "all", from = "00:30", to = "01:30" }]"#);
        assert!(r.fires_at(&ctx, utc("2026-11-01T05:59:59Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-11-01T05:30:00Z")),
            Some(utc("2026-11-01T06:00:00Z"))
        );
    }

    #[test]
    fn london_dst_transitions() {
        let w = World::new(&[London]);
        let ctx = w.ctx();
        let r = rule(US);
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-28T21:00:00Z")),
            Some(utc("2026-03-29T07:00:00Z"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-10-24T20:00:00Z")),
            Some(utc("2026-10-25T08:00:00Z"))
        );
        // 01:00 GMT -> 02:00 BST at 01:00Z on 2026-03-29.
        let r = rule(r#"allowed = [{ days = "all", from = "01:30", to = "04:00" }]"#);
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-29T00:00:00Z")),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        // 02:00 BST -> 01:00 GMT at 01:00Z on 2026-10-25.
        let r = rule(r#"allowed = [{ days = "all", from = "01:00", to = "01:30" }]"#);
        assert!(passes(&r, &ctx, utc("2026-10-25T00:00:00Z")));
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-10-25T00:30:00Z")),
            Some(utc("2026-10-25T01:00:00Z"))
        );
    }

    #[test]
    fn sydney_dst_and_weekend_windows() {
        let w = World::new(&[Sydney]);
        let ctx = w.ctx();
        // Summer time ends 2026-04-05 03:00 AEDT -> 02:00 AEST (16:00Z) and starts
        // 2026-10-04 02:00 AEST -> 03:00 AEDT (16:00Z the day before).
        assert_eq!(
            offset_seconds(Sydney, utc("2026-04-04T15:59:59Z")),
            11 * 3600
        );
        assert_eq!(
            offset_seconds(Sydney, utc("2026-04-04T16:00:00Z")),
            10 * 3600
        );
        assert_eq!(
            offset_seconds(Sydney, utc("2026-10-03T16:00:00Z")),
            11 * 3600
        );
        let r = rule(AU);
        // Saturday 21:00 AEDT -> Sunday 09:00 AEST.
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-04-04T10:00:00Z")),
            Some(utc("2026-04-04T23:00:00Z"))
        );
        // Saturday 21:00 AEST -> Sunday 09:00 AEDT.
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-10-03T11:00:00Z")),
            Some(utc("2026-10-03T22:00:00Z"))
        );
        // 02:15-02:45 does not exist on 2026-10-04 and happens twice on 2026-04-05.
        let r = rule(r#"allowed = [{ days = "all", from = "02:15", to = "02:45" }]"#);
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-10-03T14:00:00Z")),
            Some(utc("2026-10-04T15:15:00Z"))
        );
        assert!(passes(&r, &ctx, utc("2026-04-04T15:15:00Z")));
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-04-04T15:45:00Z")),
            Some(utc("2026-04-04T16:15:00Z"))
        );
    }

    #[test]
    fn au_weekday_and_weekend_windows() {
        let r = rule(AU);
        let w = World::new(&[Sydney]);
        let ctx = w.ctx();
        assert!(passes(&r, &ctx, lt(Sydney, "2026-03-06 07:30")));
        let f = r.fires_at(&ctx, lt(Sydney, "2026-03-06 07:29")).unwrap();
        assert_eq!(var(&f, "window"), "07:30–21:00");
        assert_eq!(var(&f, "weekday"), "Fri");
        let f = r.fires_at(&ctx, lt(Sydney, "2026-03-07 08:00")).unwrap();
        assert_eq!(var(&f, "window"), "09:00–21:00");
        assert_eq!(var(&f, "local_time"), "08:00 Sat 2026-03-07");
        assert!(passes(&r, &ctx, lt(Sydney, "2026-03-07 09:00")));
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-03-07 07:30")),
            Some(lt(Sydney, "2026-03-07 09:00"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-03-06 21:00")),
            Some(lt(Sydney, "2026-03-07 09:00"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-03-08 21:00")),
            Some(lt(Sydney, "2026-03-09 07:30"))
        );
    }

    #[test]
    fn public_holidays_close_the_day() {
        let cals = calendar("au-national", &["2026-01-26", "2026-12-25", "2026-12-26"]);
        let r = compile_with(&format!("{AU}\nholidays = \"au-national\""), &cals).unwrap();
        let w = World::new(&[Sydney]);
        let ctx = w.ctx();
        let f = r.fires_at(&ctx, lt(Sydney, "2026-01-26 10:00")).unwrap();
        assert_eq!(var(&f, "why"), "public holiday");
        assert_eq!(var(&f, "date"), "2026-01-26");
        assert_eq!(var(&f, "window"), "07:30–21:00");
        assert!(passes(&r, &ctx, lt(Sydney, "2026-01-27 10:00")));
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-01-26 10:00")),
            Some(lt(Sydney, "2026-01-27 07:30"))
        );
        // Christmas Friday and Boxing Day Saturday: Sunday 09:00.
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-12-24 21:00")),
            Some(lt(Sydney, "2026-12-27 09:00"))
        );

        // Holidays only: the whole day is closed, the rest open.
        let r = compile_with("holidays = \"au-national\"", &cals).unwrap();
        let f = r.fires_at(&ctx, lt(Sydney, "2026-01-26 03:00")).unwrap();
        assert_eq!(var(&f, "window"), "00:00–24:00");
        assert_eq!(
            r.earliest_pass(&ctx, lt(Sydney, "2026-01-26 03:00")),
            Some(lt(Sydney, "2026-01-27 00:00"))
        );

        let err = compile_with("holidays = \"au-natinal\"", &cals)
            .err()
            .unwrap();
        assert!(err.contains("unknown calendar `au-natinal`"), "{err}");
        assert!(err.contains("did you mean `au-national`"), "{err}");
        let err = compile_with("holidays = \"au-national\"", &HashMap::new())
            .err()
            .unwrap();
        assert!(err.contains("defines no `[[calendar]]`"), "{err}");
    }

    #[test]
    fn designated_inconvenient_times() {
        let src = format!("{US}\nhonour_designated = true");
        let r = rule(&src);
        let mut w = World::new(&[New_York]);
        w.designate("2026-03-01T15:00:00Z", "18:00", "21:00");
        w.designate("2026-03-01T15:00:00Z", "12:00", "13:00");
        // Recorded at 18:30 New York time on 2026-03-02.
        w.designate("2026-03-02T23:30:00Z", "06:00", "10:00");
        let ctx = w.ctx();
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 17:59")));
        let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 19:00")).unwrap();
        assert_eq!(var(&f, "why"), "a time the borrower said is inconvenient");
        assert_eq!(var(&f, "window"), "08:00–21:00");
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 12:30")),
            Some(lt(New_York, "2026-03-02 13:00"))
        );
        // Tomorrow 08:00-10:00 is closed by the designation recorded this evening.
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 18:00")),
            Some(lt(New_York, "2026-03-03 10:00"))
        );
        // Before it was recorded, 09:00 was fine.
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 09:00")));
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 07:00")),
            Some(lt(New_York, "2026-03-02 08:00"))
        );
        assert!(r.fires_at(&ctx, lt(New_York, "2026-03-03 09:00")).is_some());

        // Not honoured: only the hours count.
        let r = rule(US);
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 19:00")));
    }

    #[test]
    fn designated_time_wrapping_midnight() {
        let r = rule(&format!("{US}\nhonour_designated = true"));
        let mut w = World::new(&[New_York]);
        w.designate("2026-03-01T15:00:00Z", "20:00", "09:00");
        let ctx = w.ctx();
        let f = r.fires_at(&ctx, lt(New_York, "2026-03-02 08:30")).unwrap();
        assert_eq!(var(&f, "why"), "a time the borrower said is inconvenient");
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 09:00")));
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 19:59")));
        assert!(r.fires_at(&ctx, lt(New_York, "2026-03-02 20:00")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 08:00")),
            Some(lt(New_York, "2026-03-02 09:00"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 20:00")),
            Some(lt(New_York, "2026-03-03 09:00"))
        );

        // Designations alone, one covering the whole day: nothing passes.
        let r = rule("honour_designated = true");
        let mut w = World::new(&[New_York]);
        w.designate("2026-03-01T15:00:00Z", "07:00", "07:00");
        let ctx = w.ctx();
        assert!(r.fires_at(&ctx, lt(New_York, "2026-03-02 12:00")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 12:00")),
            None
        );
    }

    #[test]
    fn consent_lifts_the_rule() {
        let r = rule(&format!("{US}\nconsent_scope = \"call_outside_hours\""));
        let mut w = World::new(&[New_York]);
        w.consent("2026-03-01T00:00:00Z", ConsentScope::CallOutsideHours, None);
        let ctx = w.ctx();
        assert!(passes(&r, &ctx, lt(New_York, "2026-03-02 07:00")));
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 07:00")),
            Some(lt(New_York, "2026-03-02 07:00"))
        );
        // Without `consent_scope` the same consent does nothing.
        assert!(rule(US)
            .fires_at(&ctx, lt(New_York, "2026-03-02 07:00"))
            .is_some());

        // Another scope does not lift it.
        let mut w = World::new(&[New_York]);
        w.consent("2026-03-01T00:00:00Z", ConsentScope::CallFrequency, None);
        assert!(r
            .fires_at(&w.ctx(), lt(New_York, "2026-03-02 07:00"))
            .is_some());
    }

    #[test]
    fn consent_until_and_from() {
        let r = rule(&format!("{US}\nconsent_scope = \"call_outside_hours\""));
        let mut w = World::new(&[New_York]);
        w.consent(
            "2026-03-01T00:00:00Z",
            ConsentScope::CallOutsideHours,
            Some("2026-03-02T12:30:00Z"),
        );
        w.consent(
            "2026-03-03T10:10:00Z",
            ConsentScope::CallOutsideHours,
            Some("2026-03-03T10:20:00Z"),
        );
        let ctx = w.ctx();
        assert!(passes(&r, &ctx, utc("2026-03-02T12:00:00Z")));
        assert!(passes(&r, &ctx, utc("2026-03-02T12:30:00Z") - ns(1)));
        assert!(r.fires_at(&ctx, utc("2026-03-02T12:30:00Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-02T12:30:00Z")),
            Some(utc("2026-03-02T13:00:00Z"))
        );
        // A consent given later opens the rule when it is given.
        assert!(r.fires_at(&ctx, utc("2026-03-03T10:00:00Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-03T10:00:00Z")),
            Some(utc("2026-03-03T10:10:00Z"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-03T10:20:00Z")),
            Some(utc("2026-03-03T13:00:00Z"))
        );
    }

    #[test]
    fn windows_past_midnight_and_day_lists() {
        let r = rule(
            r#"allowed = [{ days = "fri", from = "22:00", to = "02:00" }, { days = "mon,wed", from = "10:00", to = "24:00" }]"#,
        );
        let w = World::new(&[Tz::UTC]);
        let ctx = w.ctx();
        // 2026-03-06 is a Friday.
        assert!(passes(&r, &ctx, utc("2026-03-06T22:00:00Z")));
        assert!(passes(&r, &ctx, utc("2026-03-07T01:59:59Z")));
        let f = r.fires_at(&ctx, utc("2026-03-07T02:00:00Z")).unwrap();
        assert_eq!(var(&f, "window"), "00:00–02:00");
        let f = r.fires_at(&ctx, utc("2026-03-06T21:59:00Z")).unwrap();
        assert_eq!(var(&f, "window"), "22:00–24:00");
        let f = r.fires_at(&ctx, utc("2026-03-05T23:00:00Z")).unwrap();
        assert_eq!(var(&f, "window"), "none");
        assert!(passes(&r, &ctx, utc("2026-03-09T23:59:59Z")));
        assert!(r.fires_at(&ctx, utc("2026-03-10T00:00:00Z")).is_some());
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-07T02:00:00Z")),
            Some(utc("2026-03-09T10:00:00Z"))
        );
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-10T00:00:00Z")),
            Some(utc("2026-03-11T10:00:00Z"))
        );
    }

    #[test]
    fn zones_that_never_overlap_give_none() {
        // 08:00-09:00 in New York is 21:00-23:00 in Tokyo, never 08:00-09:00.
        let r = rule(r#"allowed = [{ days = "all", from = "08:00", to = "09:00" }]"#);
        let w = World::new(&[New_York, chrono_tz::Asia::Tokyo]);
        let ctx = w.ctx();
        let t = lt(New_York, "2026-03-02 08:30");
        let f = r.fires_at(&ctx, t).unwrap();
        assert_eq!(var(&f, "zone"), "Asia/Tokyo");
        let started = std::time::Instant::now();
        assert_eq!(r.earliest_pass(&ctx, t), None);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        // With 08:00-23:00 the zones overlap: New York 08:00-09:00 is Tokyo 22:00-23:00.
        let r = rule(r#"allowed = [{ days = "all", from = "08:00", to = "23:00" }]"#);
        assert_eq!(
            r.earliest_pass(&ctx, lt(New_York, "2026-03-02 07:00")),
            Some(lt(New_York, "2026-03-02 08:00"))
        );
        assert!(r.fires_at(&ctx, lt(New_York, "2026-03-02 09:00")).is_some());
    }

    const PACK: &str = r#"[pack]
id = "t"
name = "test"
jurisdiction = "US"
"#;

    const TIMING: &str = r#"[[rule]]
id = "t.quiet-hours"
kind = "quiet_hours"
category = "quiet_hours"
severity = "deny"
citation = "12 CFR 1006.6(b)(1)(i)"
confidence = "V2"
message = "contact at {local_time} in `{zone}`: {why} ({window})"
explain = { what = "w", why = "y", instead = "i" }
scope = { channels = ["call"] }
[rule.params]
allowed = [{ days = "all", from = "08:00", to = "21:00" }]
honour_designated = true
[[rule.example]]
expect = "deny"
next_allowed_at = "2026-03-08T12:00:00Z"
events = """
{"type":"borrower","id":"b1","time_zones":["America/New_York"]}
{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-08T11:59:00Z","channel":"call"}
"""
[[rule.example]]
expect = "allow"
events = """
{"type":"borrower","id":"b1","time_zones":["America/New_York"]}
{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-08T12:00:00Z","channel":"call"}
"""
"#;

    fn pack_dir(name: &str, timing: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("collectguard-qh-{}-{name}", std::process::id()))
            .join("t");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pack.toml"), PACK).unwrap();
        std::fs::write(dir.join("timing.toml"), timing).unwrap();
        dir
    }

    #[test]
    fn through_the_engine() {
        let ok_dir = pack_dir("ok", TIMING);
        let engine = crate::Engine::builder()
            .embedded(false)
            .rules_dir(&ok_dir)
            .pack("t")
            .build()
            .unwrap();
        assert!(
            engine.run_examples("t.quiet-hours").is_empty(),
            "{:?}",
            engine.run_examples("t.quiet-hours")
        );
        let w = World::new(&[New_York]);
        let attempt =
            ContactAttempt::new("c", "b", lt(New_York, "2026-03-02 07:59"), Channel::Call);
        let v = engine
            .check_contact(&w.borrower, &w.history, &attempt)
            .unwrap();
        assert_eq!(v.reasons.len(), 1);
        assert_eq!(
            v.reasons[0].message,
            "contact at 07:59 Mon 2026-03-02 in `America/New_York`: outside allowed hours (08:00–21:00)"
        );
        assert_eq!(v.next_allowed_at, Some(utc("2026-03-02T13:00:00Z")));
        // Out of scope: an e-mail at the same time.
        let email = ContactAttempt::new("c", "b", lt(New_York, "2026-03-02 07:59"), Channel::Email);
        assert!(engine
            .check_contact(&w.borrower, &w.history, &email)
            .unwrap()
            .reasons
            .is_empty());

        let bad = TIMING.replace(r#"days = "all""#, r#"days = "mon-fir""#);
        let dir = pack_dir("bad", &bad);
        let err = crate::Engine::builder()
            .embedded(false)
            .rules_dir(&dir)
            .build()
            .unwrap_err()
            .to_string();
        // The loader points at the `[rule.params]` table.
        assert!(err.contains("timing.toml:11:1: "), "{err}");
        assert!(
            err.contains("rule `t.quiet-hours`: params: `allowed` window 1: days `mon-fir`: unknown day `fir` (did you mean `fri`?)"),
            "{err}"
        );
        for d in [ok_dir, dir] {
            let _ = std::fs::remove_dir_all(d.parent().unwrap());
        }
    }

    #[test]
    fn day_specs() {
        let (t, f) = (true, false);
        assert_eq!(parse_days("all").unwrap(), [t; 7]);
        assert_eq!(parse_days("mon-fri").unwrap(), [t, t, t, t, t, f, f]);
        assert_eq!(parse_days("Sat-Sun").unwrap(), [f, f, f, f, f, t, t]);
        assert_eq!(parse_days("mon,wed,fri").unwrap(), [t, f, t, f, t, f, f]);
        assert_eq!(parse_days("fri-mon").unwrap(), [t, f, f, f, t, t, t]);
        assert_eq!(
            parse_days("mon-tue, saturday").unwrap(),
            [t, t, f, f, f, t, f]
        );
        assert_eq!(parse_days("wed").unwrap(), [f, f, t, f, f, f, f]);
        let err = parse_days("tues-fri").unwrap_err();
        assert!(
            err.contains("unknown day `tues`") && err.contains("did you mean `tue`"),
            "{err}"
        );
        assert!(parse_days("").unwrap_err().contains("a day is missing"));
        assert!(parse_days("mon-").is_err());
    }

    #[test]
    fn compile_errors_are_clear() {
        let err = |src: &str| compile_with(src, &HashMap::new()).err().unwrap();
        let e = err(r#"allowed = [{ days = "tues-fri", from = "08:00", to = "21:00" }]"#);
        assert!(
            e.starts_with("`allowed` window 1: days `tues-fri`: unknown day `tues`"),
            "{e}"
        );
        let e = err(
            r#"allowed = [{ days = "all", from = "08:00", to = "21:00" }, { days = "all", from = "25:00", to = "21:00" }]"#,
        );
        assert!(
            e.contains("window 2: `from`: invalid local time `25:00`"),
            "{e}"
        );
        let e = err(r#"allowed = [{ days = "all", from = "08:00", to = "08:00" }]"#);
        assert!(e.contains("the window is empty"), "{e}");
        let e = err(r#"allowed = [{ days = "all", from = "24:00", to = "08:00" }]"#);
        assert!(e.contains("`24:00` may only end a window"), "{e}");
        let e = err("honor_designated = true");
        assert!(e.contains("honor_designated"), "{e}");
        let e = err("consent_scope = \"call_outside_hours\"");
        assert!(e.contains("restricts nothing"), "{e}");
        let e = err(r#"allowed = [{ days = "all", from = "08:00", to = "21:00", zone = "UTC" }]"#);
        assert!(e.contains("zone"), "{e}");
    }

    #[test]
    fn seconds_in_window_edges() {
        let r = rule(r#"allowed = [{ days = "all", from = "08:00:30", to = "21:00" }]"#);
        // A borrower without zones (the engine rejects those) is judged in UTC.
        let mut w = World::new(&[Tz::UTC]);
        w.borrower.time_zones.clear();
        assert!(r.fires_at(&w.ctx(), utc("2026-03-02T08:00:29Z")).is_some());
        assert!(passes(&r, &w.ctx(), utc("2026-03-02T08:00:30Z")));
        let w = World::new(&[Tz::UTC]);
        let ctx = w.ctx();
        let f = r.fires_at(&ctx, utc("2026-03-02T08:00:29.999Z")).unwrap();
        assert_eq!(var(&f, "window"), "08:00:30–21:00");
        assert_eq!(
            r.earliest_pass(&ctx, utc("2026-03-02T08:00:00Z")),
            Some(utc("2026-03-02T08:00:30Z"))
        );
    }

    // ---- property tests ----------------------------------------------------------------

    fn config(default_cases: u32) -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default_cases);
        ProptestConfig {
            cases,
            ..ProptestConfig::default()
        }
    }

    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// An allowed window as generated: its days, its `days` spelling, and minutes.
    #[derive(Debug, Clone)]
    struct GenWindow {
        days: [bool; 7],
        spec: String,
        from: u32,
        to: u32,
    }

    fn clock_min(m: u32) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    fn days_strategy() -> impl Strategy<Value = ([bool; 7], String)> {
        (
            0u8..3,
            0usize..7,
            0usize..7,
            any::<[bool; 7]>(),
            any::<bool>(),
        )
            .prop_map(|(kind, a, b, bits, upper)| {
                let (set, spec) = match kind {
                    0 => ([true; 7], "all".to_string()),
                    1 => {
                        let mut set = [false; 7];
                        let mut d = a;
                        loop {
                            set[d] = true;
                            if d == b {
                                break;
                            }
                            d = (d + 1) % 7;
                        }
                        (set, format!("{}-{}", NAMES[a], NAMES[b]))
                    }
                    _ => {
                        let mut set = bits;
                        set[a] = true;
                        let spec: Vec<&str> =
                            (0..7).filter(|&d| set[d]).map(|d| NAMES[d]).collect();
                        (set, spec.join(","))
                    }
                };
                (set, if upper { spec.to_uppercase() } else { spec })
            })
    }

    fn window_strategy() -> impl Strategy<Value = GenWindow> {
        (days_strategy(), 0u32..1440, 0u32..=1440)
            .prop_filter("empty window", |(_, f, t)| f != t)
            .prop_map(|((days, spec), from, to)| GenWindow {
                days,
                spec,
                from,
                to,
            })
    }

    fn toml_for(windows: &[GenWindow], honour: bool, holidays: bool, consent: bool) -> String {
        let mut s = String::from("allowed = [");
        for w in windows {
            let to = if w.to == 1440 {
                "24:00".to_string()
            } else {
                clock_min(w.to)
            };
            let _ = write!(
                s,
                "{{ days = \"{}\", from = \"{}\", to = \"{to}\" }},",
                w.spec,
                clock_min(w.from)
            );
        }
        s.push_str("]\n");
        let _ = writeln!(s, "honour_designated = {honour}");
        if holidays {
            s.push_str("holidays = \"h\"\n");
        }
        if consent {
            s.push_str("consent_scope = \"call_outside_hours\"\n");
        }
        s
    }

    /// A designation: recorded `at` minutes after the instant under test, from and to in
    /// minutes of the day.
    type GenDesignation = (i64, u32, u32);
    /// A consent: call_outside_hours or not, given `at` minutes after the instant, lasting
    /// `len` minutes (or open-ended).
    type GenConsent = (bool, i64, Option<i64>);

    fn build_world(
        zones: &[Tz],
        t: DateTime<Utc>,
        des: &[GenDesignation],
        consent: &Option<GenConsent>,
    ) -> World {
        let mut w = World::new(zones);
        let mut events: Vec<(DateTime<Utc>, Option<Inconvenient>, Option<Consent>)> = Vec::new();
        for &(at, f, to) in des {
            let at = t + TimeDelta::minutes(at);
            let i = Inconvenient {
                borrower: "b".into(),
                at,
                from: NaiveTime::from_hms_opt(f / 60, f % 60, 0).unwrap(),
                to: NaiveTime::from_hms_opt(to / 60, to % 60, 0).unwrap(),
            };
            events.push((at, Some(i), None));
        }
        if let Some((hours, at, len)) = *consent {
            let at = t + TimeDelta::minutes(at);
            let c = Consent {
                borrower: "b".into(),
                at,
                scope: if hours {
                    ConsentScope::CallOutsideHours
                } else {
                    ConsentScope::CallFrequency
                },
                channel: None,
                until: len.map(|l| at + TimeDelta::minutes(l)),
            };
            events.push((at, None, Some(c)));
        }
        events.sort_by_key(|e| e.0);
        for (_, i, c) in events {
            if let Some(i) = i {
                w.history.record_inconvenient(&i).unwrap();
            }
            if let Some(c) = c {
                w.history.record_consent(&c).unwrap();
            }
        }
        w
    }

    /// The model: convert the instant to local time in every zone and check naively.
    fn model(
        zones: &[Tz],
        at: DateTime<Utc>,
        windows: &[GenWindow],
        holidays: &[NaiveDate],
        honour: bool,
        history: &History,
        consent_rule: bool,
    ) -> Option<(Tz, NaiveDateTime, Why)> {
        if consent_rule
            && history.consents().iter().any(|c| {
                c.scope == ConsentScope::CallOutsideHours
                    && c.at <= at
                    && c.until.is_none_or(|u| at < u)
            })
        {
            return None;
        }
        for &tz in zones {
            let wall = at.with_timezone(&tz).naive_local();
            let wd = wall.weekday().num_days_from_monday() as usize;
            let s = wall.time().num_seconds_from_midnight();
            if holidays.contains(&wall.date()) {
                return Some((tz, wall, Why::Holiday));
            }
            let in_window = windows.iter().any(|w| {
                let (f, t) = (w.from * 60, w.to * 60);
                if f < t {
                    w.days[wd] && f <= s && s < t
                } else {
                    (w.days[wd] && s >= f) || (w.days[(wd + 6) % 7] && s < t)
                }
            });
            if !windows.is_empty() && !in_window {
                return Some((tz, wall, Why::Hours));
            }
            let designated = honour
                && history.inconvenient().iter().any(|i| {
                    let (f, t) = (
                        i.from.num_seconds_from_midnight(),
                        i.to.num_seconds_from_midnight(),
                    );
                    i.at <= at
                        && match f.cmp(&t) {
                            std::cmp::Ordering::Less => f <= s && s < t,
                            std::cmp::Ordering::Greater => s >= f || s < t,
                            std::cmp::Ordering::Equal => true,
                        }
                });
            if designated {
                return Some((tz, wall, Why::Designated));
            }
        }
        None
    }

    fn zone_strategy() -> impl Strategy<Value = Tz> {
        (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| chrono_tz::TZ_VARIANTS[i])
    }

    /// Zones with DST or other offset changes, including 30-minute (Lord Howe), 2-hour
    /// (Troll) and midnight (Havana, Asuncion, Santiago, Beirut) transitions.
    fn dst_zone_strategy() -> impl Strategy<Value = Tz> {
        use chrono_tz::{America, Antarctica, Asia, Australia, Europe, Pacific};
        prop::sample::select(vec![
            New_York,
            Los_Angeles,
            London,
            Sydney,
            Europe::Berlin,
            Australia::Lord_Howe,
            Australia::Adelaide,
            America::Santiago,
            America::Havana,
            America::Asuncion,
            America::Nuuk,
            America::Scoresbysund,
            Asia::Beirut,
            Asia::Tehran,
            Pacific::Auckland,
            Pacific::Chatham,
            Pacific::Apia,
            Antarctica::Troll,
        ])
    }

    fn instant(secs: i64, nanos: u32) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(secs, nanos).unwrap()
    }

    proptest! {
        #![proptest_config(config(48))]

        /// `fires_at` agrees with the naive model in every zone of the tz database (each
        /// alone) and in random sets of zones.
        #[test]
        fn fires_at_matches_the_model(
            secs in -2_208_988_800i64..4_102_444_800, // 1900..2100
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            windows in prop::collection::vec(window_strategy(), 0..4),
            holiday_days in any::<[bool; 3]>(),
            honour in any::<bool>(),
            des in prop::collection::vec((-900i64..900, 0u32..1440, 0u32..1440), 0..3),
            consent in prop::option::of((any::<bool>(), -900i64..900, prop::option::of(1i64..900))),
            consent_rule in any::<bool>(),
            extra in prop::collection::vec(zone_strategy(), 2..4),
        ) {
            let t = instant(secs, nanos);
            let utc_date = t.date_naive();
            let holidays: Vec<NaiveDate> = (0..3)
                .filter(|&i| holiday_days[i])
                .filter_map(|i| utc_date.checked_add_signed(TimeDelta::days(i as i64 - 1)))
                .collect();
            let cals = HashMap::from([("h".to_string(), holidays.clone())]);
            let r = compile_with(&toml_for(&windows, honour, true, consent_rule), &cals).unwrap();
            let mut zone_sets: Vec<Vec<Tz>> = chrono_tz::TZ_VARIANTS.iter().map(|&z| vec![z]).collect();
            zone_sets.push(extra);
            for zones in &zone_sets {
                let w = build_world(zones, t, &des, &consent);
                let got = r.fires_at(&w.ctx(), t);
                let want = model(zones, t, &windows, &holidays, honour, &w.history, consent_rule);
                match (&got, want) {
                    (None, None) => {}
                    (Some(f), Some((tz, wall, why))) => {
                        prop_assert_eq!(var(f, "zone"), tz.name());
                        prop_assert_eq!(var(f, "why"), why.as_str());
                        let local_time = wall.format("%H:%M %a %Y-%m-%d").to_string();
                        prop_assert_eq!(var(f, "local_time"), local_time.as_str());
                    }
                    _ => prop_assert!(false, "zones {:?} at {}: rule {:?}, model {:?}", zones, t, got, want),
                }
            }
        }
    }

    /// An instant near an offset change of `tz` (`None` when the zone keeps one offset in the
    /// 370 days after `from`).
    fn transition_after(tz: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut s = from;
        for _ in 0..370 {
            let e = s + TimeDelta::days(1);
            if let Some(t) = next_offset_change(tz, s, e) {
                return Some(t);
            }
            s = e;
        }
        None
    }

    /// Checks `earliest_pass(t) = r`: `r` passes, `r >= t`, and nothing in `[t, r)` does
    /// (every minute from `t`, and the last nanosecond before `r`); `r` is on an edge.
    fn check_earliest(r: &QuietHours, w: &World, t: DateTime<Utc>) -> Result<(), TestCaseError> {
        let ctx = w.ctx();
        let zones = &w.borrower.time_zones;
        let limit = TimeDelta::days(4);
        match r.earliest_pass(&ctx, t) {
            Some(e) => {
                prop_assert!(e >= t);
                prop_assert!(
                    r.fires_at(&ctx, e).is_none(),
                    "earliest_pass {} does not pass",
                    e
                );
                if e > t {
                    prop_assert!(
                        r.fires_at(&ctx, e - ns(1)).is_some(),
                        "{} - 1ns passes too",
                        e
                    );
                    // Window edges and offset changes fall on whole minutes of local time
                    // (after 1970); a consent opens when it is given.
                    let consent_start = w.history.consents().iter().any(|c| c.at == e);
                    let on_edge = e.timestamp_subsec_nanos() == 0
                        && zones.iter().any(|&tz| local(tz, e).second() == 0);
                    prop_assert!(
                        consent_start || on_edge,
                        "{} is neither on a minute boundary nor a consent",
                        e
                    );
                }
                if e - t <= limit {
                    let mut x = t;
                    while x < e {
                        prop_assert!(r.fires_at(&ctx, x).is_some(), "{} passes before {}", x, e);
                        x += TimeDelta::minutes(1);
                    }
                }
            }
            None => {
                let mut x = t;
                while x < t + limit {
                    prop_assert!(
                        r.fires_at(&ctx, x).is_some(),
                        "{} passes but earliest_pass is None",
                        x
                    );
                    x += TimeDelta::minutes(1);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(config(48))]

        /// `earliest_pass` is exact. Closed periods are short (so the minute-by-minute check
        /// stays cheap) and placed around the instant's local time so that it usually starts
        /// closed; designations may come into force during the search; consents; an
        /// occasional holiday; one or two zones (often ones with DST); instants anywhere in
        /// 1970..2037 or within hours of an offset change of the first zone.
        #[test]
        fn earliest_pass_is_exact(
            zones in prop::collection::vec(prop_oneof![dst_zone_strategy(), zone_strategy()], 1..3),
            secs in 0i64..2_114_380_800, // 1970..2037
            near_change in prop::bool::weighted(0.7),
            shift in prop_oneof![-7_200i64..600, -10_800i64..10_800, -129_600i64..129_600],
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            closed_len in 1i64..180,
            back in 0.0f64..1.2,
            second in prop::option::weighted(0.3, window_strategy()),
            des in prop::collection::vec((-1440i64..1440, -180i64..180, 1u32..90), 0..3),
            consent in prop::option::weighted(0.3, (any::<bool>(), 0i64..2880, prop::option::of(1i64..600))),
            holiday in prop::option::weighted(0.1, 0i64..3),
        ) {
            let tz = zones[0];
            let base = instant(secs, 0);
            let t = match transition_after(tz, base).filter(|_| near_change) {
                Some(change) => change + TimeDelta::seconds(shift),
                None => base + TimeDelta::seconds(shift.rem_euclid(86_400)),
            };
            let t = t + ns(i64::from(nanos));
            // The closed period [start, start + len) and the designations lie around the local
            // time of `t` in the first zone.
            let t_min = i64::from(local(tz, t).time().num_seconds_from_midnight() / 60);
            let minute = |m: i64| u32::try_from(m.rem_euclid(1440)).unwrap();
            let start = t_min - (back * closed_len as f64) as i64;
            let mut windows = vec![GenWindow {
                days: [true; 7],
                spec: "all".into(),
                from: minute(start + closed_len),
                to: minute(start),
            }];
            windows.extend(second);
            let des: Vec<GenDesignation> = des
                .iter()
                .map(|&(at, from, len)| (at, minute(t_min + from), minute(t_min + from + i64::from(len))))
                .collect();
            let holidays: Vec<NaiveDate> = holiday
                .and_then(|d| local(tz, t).date().checked_add_signed(TimeDelta::days(d)))
                .into_iter()
                .collect();
            let cals = HashMap::from([("h".to_string(), holidays)]);
            let r = compile_with(&toml_for(&windows, true, true, true), &cals).unwrap();
            let w = build_world(&zones, t, &des, &consent);
            check_earliest(&r, &w, t)?;
        }
    }
}
