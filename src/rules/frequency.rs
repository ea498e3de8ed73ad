//! `frequency`: how often a contact may be made.
//!
//! Two modes. **cap**: the attempt is denied when `max` counted contacts already fall in the
//! window that ends with it (so `max = 7` allows the 7th and denies the 8th). **cooloff**:
//! the attempt is denied when a triggering contact (a conversation) falls in the window.
//!
//! Windows: `window_days = N` counts calendar days in the borrower's first time zone, the
//! attempt's day included (day 1 is the day of the earlier event for a cool-off: a
//! conversation on Monday with `window_days = 7` blocks through Sunday); `window_minutes = N`
//! is an exact rolling window `(at - N min, at]`.
//!
//! What counts: contacts covered by the rule's `[rule.scope]` (channels, parties, address
//! kinds, excluded relations such as the attorney; inbound only when `scope.inbound`), whose
//! outcome is in `count_outcomes`, grouped by `per` (each debt separately, each address, or
//! the borrower as a whole). A contact about several debts counts for each. Contacts within
//! `consent_days` calendar days of a consent of `consent_scope` (the consent day is day 1) do
//! not count, and an attempt in that period is not limited. A recorded attempt whose own
//! outcome would not count (e.g. `not_connected`) is not limited either; a planned attempt
//! (no outcome) always is.
//!
//! ```toml
//! [rule.params]
//! mode = "cap"                      # cap | cooloff
//! window_days = 7                   # or window_minutes = 5
//! max = 7                           # cap only
//! per = "debt"                      # debt | address | borrower
//! count_outcomes = ["conversation", "no_answer", "voicemail", "delivered", "failed"]
//! trigger_outcomes = ["conversation"]   # cooloff only
//! trigger_inbound = true            # cooloff: inbound conversations start it too
//! consent_scope = "call_frequency"  # optional
//! consent_days = 7                  # optional: consent lasts this many calendar days
//! ```
//!
//! # Details
//!
//! - Exactly one of `window_days` (1–3660) and `window_minutes` (1–527040) is required.
//!   `max` (at least 1) is required in mode `cap` and refused in mode `cooloff`;
//!   `trigger_outcomes` and `trigger_inbound` are refused in mode `cap`; `consent_days`
//!   needs `consent_scope`. `per` defaults to `borrower`.
//! - `count_outcomes` defaults to every outcome except `not_connected`. A past contact
//!   recorded without an outcome always counts (the stricter reading: it was made, and
//!   nothing shows it did not count). In mode `cooloff` the count is reported in the
//!   message and `count_outcomes` still decides whether a recorded attempt is limited.
//! - Cool-off triggers: contacts covered by the scope whose outcome is in
//!   `trigger_outcomes` (default `conversation`; a contact without an outcome never
//!   triggers). Outbound ones always; inbound ones when `trigger_inbound` or `scope.inbound`
//!   (Reg F: a consumer-initiated call does not count, but a conversation in it starts the
//!   7-day period). A conversation inside a consent period still starts a cool-off (the
//!   stricter reading of 12 CFR 1006.14(b)(3)(i), which exempts *calls placed*, not
//!   conversations had); the attempt itself is exempt while the consent lasts.
//! - A consent counts from its own instant (a call earlier on the consent day counts) and
//!   ends at its `until`, or after `consent_days` calendar days, whichever comes first;
//!   without `consent_days` it lasts until its `until`.
//! - `per = "address"` groups by the address exactly as given (surrounding white space
//!   trimmed); an attempt without an address is grouped with past contacts without one.
//!   `per = "debt"` uses the debt ids; a contact naming no debt is about the unnamed debt.
//! - Calendar days assume local dates never run backwards (true of every zone in use:
//!   fall-back transitions at midnight go from 24:00 to 23:00 of the same day).
//!
//! # Message values
//!
//! The rule's `message` may use these placeholders:
//!
//! | name | value |
//! |---|---|
//! | `count` | the number the attempt would be in its window, e.g. `8` |
//! | `nth` | the same as an ordinal, e.g. `8th`, `2nd` |
//! | `max` | the cap (mode `cap` only) |
//! | `window` | e.g. `7 days`, `1 day`, `5 minutes` |
//! | `debt` | the debt that blocks (with `per = "debt"`; otherwise the attempt's first debt); `(unnamed)` for the unnamed debt |
//! | `address` | the attempt's address, masked to its last 4 characters (`****0100`); `(none)` without one |
//! | `last_conversation` | mode `cooloff`: the local date (`YYYY-MM-DD`) of the latest trigger |
//!
//! # Notes for packs
//!
//! - Reg F 7-in-7: `count_outcomes` may stay the default (not-connected calls do not count);
//!   scope `channels = ["call"]`, `parties = "borrower"`, `except_relations = ["attorney"]`.
//! - China, unanswered attempts per contact method per day: `per = "address"`,
//!   `window_days = 1`, `max = 6`, `count_outcomes = ["no_answer", "voicemail",
//!   "not_connected"]` — 未接通 is every attempt that did not reach the person, a failed
//!   connection included; a planned attempt counts, a recorded conversation is not limited.
//! - Australia's "actual contacts" are contacts that reached the debtor:
//!   `count_outcomes = ["conversation", "delivered"]` (a week and a month as 7 and 30
//!   calendar days).

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::{Ctx, Fired, Scope, Timing};
use crate::history::{History, PastContact};
use crate::model::{ConsentScope, Direction, Outcome};
use crate::pack::PackCtx;
use crate::time::{date_text, day_date, day_start, DayNum};

/// The longest `window_days` accepted (ten years).
const MAX_WINDOW_DAYS: u32 = 3660;
/// The longest `window_minutes` accepted (366 days).
const MAX_WINDOW_MINUTES: u32 = 366 * 24 * 60;
/// An upper bound on the length of one local calendar day, in hours (DST shifts are at most
/// two hours).
const LONGEST_DAY_HOURS: i64 = 26;
/// Debts judged in one pass over the history; an attempt about more takes more passes.
const GROUPS: usize = 8;

/// Cap or cool-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Mode {
    #[default]
    Cap,
    Cooloff,
}

/// What contacts are counted separately.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Per {
    /// Each debt separately (a contact about two debts counts for both).
    Debt,
    /// Each address (phone number, e-mail address) separately.
    Address,
    /// The borrower as a whole.
    #[default]
    Borrower,
}

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub window_days: Option<u32>,
    #[serde(default)]
    pub window_minutes: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
    #[serde(default)]
    pub per: Per,
    /// Outcomes that count; default: every outcome except `not_connected`.
    #[serde(default)]
    pub count_outcomes: Option<Vec<Outcome>>,
    /// Outcomes that start a cool-off; default `conversation`.
    #[serde(default)]
    pub trigger_outcomes: Option<Vec<Outcome>>,
    /// Whether inbound contacts start a cool-off.
    #[serde(default)]
    pub trigger_inbound: bool,
    #[serde(default)]
    pub consent_scope: Option<ConsentScope>,
    #[serde(default)]
    pub consent_days: Option<u32>,
}

/// A set of outcomes, with "no outcome" as a member of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcomes(u8);

impl Outcomes {
    const NONE_BIT: u8 = 1 << 6;

    fn bit(o: Option<Outcome>) -> u8 {
        match o {
            Some(Outcome::Conversation) => 1,
            Some(Outcome::NoAnswer) => 1 << 1,
            Some(Outcome::Voicemail) => 1 << 2,
            Some(Outcome::NotConnected) => 1 << 3,
            Some(Outcome::Delivered) => 1 << 4,
            Some(Outcome::Failed) => 1 << 5,
            None => Outcomes::NONE_BIT,
        }
    }

    /// The listed outcomes (without "no outcome").
    pub(crate) fn of(list: &[Outcome]) -> Outcomes {
        Outcomes(list.iter().fold(0, |m, o| m | Outcomes::bit(Some(*o))))
    }

    /// Adds "no outcome".
    fn with_none(self) -> Outcomes {
        Outcomes(self.0 | Outcomes::NONE_BIT)
    }

    /// Whether `o` is in the set.
    pub(crate) fn contains(self, o: Option<Outcome>) -> bool {
        self.0 & Outcomes::bit(o) != 0
    }

    fn is_empty(self) -> bool {
        self.0 & !Outcomes::NONE_BIT == 0
    }
}

/// The window a rule counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// `N` local calendar days, the attempt's day included.
    Days(u32),
    /// An exact rolling window of `N` minutes.
    Minutes(u32),
}

impl Window {
    fn describe(self) -> String {
        match self {
            Window::Days(1) => "1 day".to_string(),
            Window::Days(n) => format!("{n} days"),
            Window::Minutes(1) => "1 minute".to_string(),
            Window::Minutes(n) => format!("{n} minutes"),
        }
    }
}

/// A compiled frequency rule.
#[derive(Debug)]
pub(crate) struct Frequency {
    scope: Scope,
    mode: Mode,
    window: Window,
    /// The cap (mode `cap`); unused in mode `cooloff`.
    max: u32,
    per: Per,
    count: Outcomes,
    trigger: Outcomes,
    trigger_inbound: bool,
    consent_scope: Option<ConsentScope>,
    consent_days: Option<u32>,
}

/// A contact that decides when a group stops blocking: for a cap, the `max`-th newest
/// counted contact; for a cool-off, the newest trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    at: DateTime<Utc>,
    day: DayNum,
}

/// What one pass learns about one group (a debt, an address, the borrower).
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    count: u32,
    release: Option<Edge>,
    trigger: Option<Edge>,
}

/// The group that blocks the attempt longest.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    /// The debt id (`per = "debt"`), else `""`.
    debt: &'a str,
    /// Counted contacts of the group in the window.
    count: u32,
    /// When the group stops blocking (see [`Edge`]).
    edge: Edge,
}

/// What a pass needs to know about the attempt.
struct Probe<'a> {
    history: &'a History,
    at: DateTime<Utc>,
    /// The attempt's local day (day windows only).
    day: DayNum,
    /// The attempt's address, trimmed.
    address: Option<&'a str>,
    /// Whether the history holds any consent of the rule's `consent_scope`.
    consents: bool,
    /// Those consents with their local day, read once per evaluation rather than once per
    /// contact (`None` when there are more than fit: then they are read as needed).
    granted: Option<([Granted; MAX_GRANTED], usize)>,
}

/// A consent of the rule's scope: when given, until when, and its local day.
#[derive(Debug, Clone, Copy)]
struct Granted {
    at: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    day: DayNum,
}

/// Consents of one scope kept with their day for a pass (more are read as needed).
const MAX_GRANTED: usize = 8;

impl Frequency {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<Frequency, String> {
        let window = match (params.window_days, params.window_minutes) {
            (Some(_), Some(_)) => {
                return Err("give either `window_days` or `window_minutes`, not both".into())
            }
            (None, None) => {
                return Err("a window is required: `window_days` or `window_minutes`".into())
            }
            (Some(d), None) => {
                if d == 0 || d > MAX_WINDOW_DAYS {
                    return Err(format!(
                        "`window_days` must be between 1 and {MAX_WINDOW_DAYS}, not `{d}`"
                    ));
                }
                Window::Days(d)
            }
            (None, Some(m)) => {
                if m == 0 || m > MAX_WINDOW_MINUTES {
                    return Err(format!(
                        "`window_minutes` must be between 1 and {MAX_WINDOW_MINUTES}, not `{m}`"
                    ));
                }
                Window::Minutes(m)
            }
        };
        let max = match params.mode {
            Mode::Cap => {
                if params.trigger_outcomes.is_some() || params.trigger_inbound {
                    return Err(
                        "`trigger_outcomes` and `trigger_inbound` apply to mode `cooloff` only"
                            .into(),
                    );
                }
                match params.max {
                    None => return Err("mode `cap` needs `max`".into()),
                    Some(0) => {
                        return Err("`max` must be at least 1 (to forbid a channel outright, use a `consent` rule with `check = \"channel\"`)".into())
                    }
                    Some(m) => m,
                }
            }
            Mode::Cooloff => {
                if params.max.is_some() {
                    return Err("`max` applies to mode `cap` only".into());
                }
                0
            }
        };
        let count = match &params.count_outcomes {
            Some(list) => {
                let set = Outcomes::of(list);
                if set.is_empty() {
                    return Err("`count_outcomes` is empty: nothing would count".into());
                }
                set
            }
            None => Outcomes::of(&[
                Outcome::Conversation,
                Outcome::NoAnswer,
                Outcome::Voicemail,
                Outcome::Delivered,
                Outcome::Failed,
            ]),
        }
        .with_none();
        let trigger = match &params.trigger_outcomes {
            Some(list) => {
                let set = Outcomes::of(list);
                if set.is_empty() {
                    return Err(
                        "`trigger_outcomes` is empty: nothing would start a cool-off".into(),
                    );
                }
                set
            }
            None => Outcomes::of(&[Outcome::Conversation]),
        };
        match (params.consent_scope, params.consent_days) {
            (None, Some(_)) => return Err("`consent_days` needs `consent_scope`".into()),
            (_, Some(d)) if d == 0 || d > MAX_WINDOW_DAYS => {
                return Err(format!(
                    "`consent_days` must be between 1 and {MAX_WINDOW_DAYS}, not `{d}`"
                ))
            }
            _ => {}
        }
        Ok(Frequency {
            scope: scope.clone(),
            mode: params.mode,
            window,
            max,
            per: params.per,
            count,
            trigger,
            trigger_inbound: params.trigger_inbound,
            consent_scope: params.consent_scope,
            consent_days: params.consent_days,
        })
    }

    /// Days of ledger the rule reads.
    pub fn horizon_days(&self) -> u32 {
        let window = match self.window {
            Window::Days(d) => d,
            Window::Minutes(m) => m / (24 * 60) + 1,
        };
        window.max(self.consent_days.unwrap_or(0)) + 1
    }

    /// Whether a past contact counts toward the cap (before consent).
    fn counts(&self, p: &PastContact) -> bool {
        self.count.contains(p.outcome)
            && self
                .scope
                .covers(p.channel, p.to, p.address_kind, p.direction)
    }

    /// Whether a past contact starts a cool-off.
    fn triggers(&self, p: &PastContact) -> bool {
        self.mode == Mode::Cooloff
            && self.trigger.contains(p.outcome)
            && (p.direction == Direction::Outbound || self.trigger_inbound || self.scope.inbound)
            && self
                .scope
                .covers(p.channel, p.to, p.address_kind, Direction::Outbound)
    }

    /// Whether a contact at `t` (local day `day`, when known) falls in a consent period.
    fn in_consent(&self, history: &History, t: DateTime<Utc>, day: Option<DayNum>) -> bool {
        let Some(scope) = self.consent_scope else {
            return false;
        };
        history.consents().iter().any(|c| {
            if c.scope != scope || c.at > t || c.until.is_some_and(|u| t >= u) {
                return false;
            }
            let Some(n) = self.consent_days else {
                return true;
            };
            // Far past the consent: surely outside, without a time-zone conversion.
            if t - c.at >= Duration::hours(LONGEST_DAY_HOURS * (i64::from(n) + 1)) {
                return false;
            }
            let day = day.unwrap_or_else(|| history.day_of(t));
            day < history.day_of(c.at).saturating_add(days_i32(n))
        })
    }

    /// The consents of the rule's scope with their local days, if they fit.
    fn granted(&self, history: &History) -> Option<([Granted; MAX_GRANTED], usize)> {
        let scope = self.consent_scope?;
        let mut out = [Granted {
            at: DateTime::<Utc>::MIN_UTC,
            until: None,
            day: 0,
        }; MAX_GRANTED];
        let mut n = 0;
        for c in history.consents().iter().filter(|c| c.scope == scope) {
            let slot = out.get_mut(n)?;
            *slot = Granted {
                at: c.at,
                until: c.until,
                day: if self.consent_days.is_some() {
                    history.day_of(c.at)
                } else {
                    0
                },
            };
            n += 1;
        }
        Some((out, n))
    }

    /// [`Frequency::in_consent`] for a contact at `t` on local day `day`, with the consents
    /// read once for the pass.
    fn in_consent_during(&self, probe: &Probe<'_>, t: DateTime<Utc>, day: DayNum) -> bool {
        let Some((granted, n)) = &probe.granted else {
            return self.in_consent(probe.history, t, Some(day));
        };
        granted.get(..*n).unwrap_or(&[]).iter().any(|g| {
            if g.at > t || g.until.is_some_and(|u| t >= u) {
                return false;
            }
            let Some(n) = self.consent_days else {
                return true;
            };
            if t - g.at >= Duration::hours(LONGEST_DAY_HOURS * (i64::from(n) + 1)) {
                return false;
            }
            day < g.day.saturating_add(days_i32(n))
        })
    }

    /// Whether `p` belongs to the group `debt` (or the attempt's address, or the borrower).
    fn member(&self, p: &PastContact, debt: &str, address: Option<&str>) -> bool {
        match self.per {
            Per::Debt => p.is_about(debt),
            Per::Address => p.address.as_deref().map(str::trim) == address,
            Per::Borrower => true,
        }
    }

    /// Which of two blocks lasts longer.
    fn later(&self, a: Edge, b: Edge) -> bool {
        match self.window {
            Window::Days(_) => (a.day, a.at) > (b.day, b.at),
            Window::Minutes(_) => a.at > b.at,
        }
    }

    /// The group blocking the attempt of `ctx` placed at `at` the longest, if any.
    fn evaluate<'a>(&self, ctx: &Ctx<'a>, at: DateTime<Utc>) -> Option<Block<'a>> {
        let a = ctx.attempt;
        if !self.scope.covers_attempt(a) {
            return None;
        }
        if a.outcome.is_some() && !self.count.contains(a.outcome) {
            return None;
        }
        let history = ctx.history;
        let day = match self.window {
            Window::Days(_) => Some(history.day_of(at)),
            Window::Minutes(_) => None,
        };
        let consents = self
            .consent_scope
            .is_some_and(|s| history.consents().iter().any(|c| c.scope == s));
        if consents && self.in_consent(history, at, day) {
            return None;
        }
        let contacts = history.contacts();
        let end = if contacts.last().is_none_or(|c| c.at <= at) {
            contacts.len()
        } else {
            contacts.partition_point(|c| c.at <= at)
        };
        let recent = contacts.get(..end).unwrap_or(&[]);
        let probe = Probe {
            history,
            at,
            day: day.unwrap_or(0),
            address: a.address.as_deref().map(str::trim),
            consents,
            granted: if consents {
                self.granted(history)
            } else {
                None
            },
        };
        let mut best: Option<Block<'a>> = None;
        match self.per {
            Per::Debt => {
                let mut keys = [""; GROUPS];
                let mut n = 0;
                for k in a.debt_keys() {
                    if let Some(slot) = keys.get_mut(n) {
                        *slot = k;
                        n += 1;
                    }
                    if n == GROUPS {
                        self.scan(&probe, recent, &keys, &mut best);
                        n = 0;
                    }
                }
                if n > 0 {
                    self.scan(&probe, recent, keys.get(..n).unwrap_or(&[]), &mut best);
                }
            }
            Per::Address | Per::Borrower => self.scan(&probe, recent, &[""], &mut best),
        }
        best
    }

    /// One pass over the contacts in the window, newest first, for up to [`GROUPS`] debts.
    fn scan<'a>(
        &self,
        probe: &Probe<'_>,
        recent: &[PastContact],
        debts: &[&'a str],
        best: &mut Option<Block<'a>>,
    ) {
        let mut groups = [Group::default(); GROUPS];
        let first_day = match self.window {
            Window::Days(n) => probe.day.saturating_sub(days_i32(n) - 1),
            Window::Minutes(_) => 0,
        };
        let after = match self.window {
            Window::Minutes(m) => probe
                .at
                .checked_sub_signed(Duration::minutes(i64::from(m)))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            Window::Days(_) => DateTime::<Utc>::MIN_UTC,
        };
        for p in recent.iter().rev() {
            match self.window {
                Window::Days(_) => {
                    if p.day < first_day {
                        // Local days never run backwards by more than one.
                        if p.day < first_day.saturating_sub(1) {
                            break;
                        }
                        continue;
                    }
                }
                Window::Minutes(_) => {
                    if p.at <= after {
                        break;
                    }
                }
            }
            let mut counted = self.counts(p);
            let trigger = self.triggers(p);
            if !counted && !trigger {
                continue;
            }
            if counted && probe.consents && self.in_consent_during(probe, p.at, p.day) {
                counted = false;
                if !trigger {
                    continue;
                }
            }
            let edge = Edge {
                at: p.at,
                day: p.day,
            };
            for (g, debt) in groups.iter_mut().zip(debts) {
                if !self.member(p, debt, probe.address) {
                    continue;
                }
                if counted {
                    g.count = g.count.saturating_add(1);
                    if g.count == self.max && self.mode == Mode::Cap {
                        g.release = Some(edge);
                    }
                }
                if trigger && g.trigger.is_none() {
                    g.trigger = Some(edge);
                }
            }
        }
        for (g, debt) in groups.iter().zip(debts) {
            let edge = match self.mode {
                Mode::Cap => g.release,
                Mode::Cooloff => g.trigger,
            };
            let Some(edge) = edge else { continue };
            if best.is_none_or(|b| self.later(edge, b.edge)) {
                *best = Some(Block {
                    debt,
                    count: g.count,
                    edge,
                });
            }
        }
    }

    /// The reason's values for a blocking group.
    fn fired(&self, ctx: &Ctx<'_>, b: &Block<'_>) -> Fired {
        let count = b.count.saturating_add(1);
        let mut vars = Vec::with_capacity(7);
        vars.push(("count", count.to_string()));
        vars.push(("nth", ordinal(count)));
        if self.mode == Mode::Cap {
            vars.push(("max", self.max.to_string()));
        }
        vars.push(("window", self.window.describe()));
        let debt = match self.per {
            Per::Debt => b.debt,
            Per::Address | Per::Borrower => ctx.attempt.debt_keys().next().unwrap_or(""),
        };
        vars.push(("debt", debt_label(debt).to_string()));
        vars.push(("address", mask_opt(ctx.attempt.address.as_deref())));
        if self.mode == Mode::Cooloff {
            vars.push(("last_conversation", date_label(b.edge.day)));
        }
        Fired::with_vars(vars)
    }
}

impl Timing for Frequency {
    fn fires_at(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<Fired> {
        let b = self.evaluate(ctx, at)?;
        Some(self.fired(ctx, &b))
    }

    fn earliest_pass(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Some(b) = self.evaluate(ctx, at) else {
            return Some(at);
        };
        let pass = match self.window {
            Window::Days(n) => day_start(ctx.history.zone(), b.edge.day.checked_add(days_i32(n))?)?,
            Window::Minutes(m) => b
                .edge
                .at
                .checked_add_signed(Duration::minutes(i64::from(m)))?,
        };
        Some(pass.max(at))
    }
}

/// A day count as a day-number offset (windows are validated to fit).
fn days_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, ...
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// An address masked to its last 4 characters: `+12125550100` → `****0100`. Addresses of
/// 4 characters or fewer are masked entirely.
pub(crate) fn mask_address(address: &str) -> String {
    let a = address.trim();
    let n = a.chars().count();
    let mut out = String::with_capacity(8);
    out.push_str("****");
    if n > 4 {
        out.extend(a.chars().skip(n - 4));
    }
    out
}

/// A masked address, or `(none)`.
pub(crate) fn mask_opt(address: Option<&str>) -> String {
    address.map_or_else(|| "(none)".to_string(), mask_address)
}

/// A debt id for messages: `(unnamed)` for the unnamed debt.
fn debt_label(debt: &str) -> &str {
    if debt.is_empty() {
        "(unnamed)"
    } else {
        debt
    }
}

/// A local day as `YYYY-MM-DD`.
pub(crate) fn date_label(day: DayNum) -> String {
    day_date(day).map_or_else(String::new, date_text)
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{
        AddressKind, Borrower, Channel, Consent, ContactAttempt, Event, Party, Relation,
    };
    use crate::rules::test_util::{try_compile, utc, var, Def};

    fn try_rule(src: &str) -> Result<Frequency, String> {
        try_compile(src, Frequency::compile)
    }

    fn rule(src: &str) -> Frequency {
        try_rule(src).unwrap()
    }

    const US_7_IN_7: &str = r#"
        [scope]
        channels = ["call"]
        except_relations = ["attorney"]
        [params]
        mode = "cap"
        window_days = 7
        max = 7
        per = "debt"
        consent_scope = "call_frequency"
        consent_days = 7
    "#;

    const US_COOLOFF: &str = r#"
        [scope]
        channels = ["call"]
        parties = "borrower"
        [params]
        mode = "cooloff"
        window_days = 7
        per = "debt"
        trigger_inbound = true
        consent_scope = "call_frequency"
        consent_days = 7
    "#;

    const NY: Tz = chrono_tz::America::New_York;
    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    /// A ledger with its borrower, built through the public API.
    struct Ledger {
        borrower: Borrower,
        history: History,
    }

    impl Ledger {
        fn new(zone: Tz) -> Ledger {
            let borrower = Borrower::new("b", zone);
            let history = History::new(&borrower);
            Ledger { borrower, history }
        }

        fn call(&mut self, at: &str, outcome: Outcome, debts: &[&str]) -> &mut Ledger {
            self.push(
                call(at)
                    .with_outcome(outcome)
                    .with_debts(debts.iter().copied()),
            )
        }

        fn push(&mut self, c: ContactAttempt) -> &mut Ledger {
            self.history.record_contact(&c).unwrap();
            self
        }

        fn consent(&mut self, at: &str, scope: ConsentScope) -> &mut Ledger {
            self.history
                .record(&Event::Consent(Consent {
                    borrower: "b".into(),
                    at: utc(at),
                    scope,
                    channel: None,
                    until: None,
                }))
                .unwrap();
            self
        }

        fn fires(&self, r: &Frequency, a: &ContactAttempt) -> Option<Fired> {
            let ctx = Ctx {
                borrower: &self.borrower,
                history: &self.history,
                attempt: a,
            };
            r.fires_at(&ctx, a.at)
        }

        fn next(&self, r: &Frequency, a: &ContactAttempt) -> Option<DateTime<Utc>> {
            let ctx = Ctx {
                borrower: &self.borrower,
                history: &self.history,
                attempt: a,
            };
            r.earliest_pass(&ctx, a.at)
        }
    }

    fn call(at: &str) -> ContactAttempt {
        ContactAttempt::new("c", "b", utc(at), Channel::Call)
    }

    /// One call a day about `debts` at 15:00Z on 2026-03-`days` (New York: 10:00 EST before
    /// 03-08, 11:00 EDT from 03-08).
    fn daily_calls(
        l: &mut Ledger,
        days: std::ops::RangeInclusive<u32>,
        outcome: Outcome,
        debts: &[&str],
    ) {
        for d in days {
            l.call(&format!("2026-03-{d:02}T15:00:00Z"), outcome, debts);
        }
    }

    /// Seven unanswered calls about `d1`, one a day, 2026-03-02 .. 03-08 (New York), 10:00 local.
    fn seven_calls(l: &mut Ledger) {
        daily_calls(l, 2..=8, Outcome::NoAnswer, &["d1"]);
    }

    #[test]
    fn us_seven_calls_allowed_eighth_denied_until_the_oldest_leaves() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        daily_calls(&mut l, 2..=7, Outcome::NoAnswer, &["d1"]);
        let seventh = call("2026-03-08T15:00:00Z").with_debts(["d1"]);
        assert!(l.fires(&r, &seventh).is_none(), "the 7th call is allowed");
        assert_eq!(l.next(&r, &seventh), Some(seventh.at));

        l.call("2026-03-08T15:00:00Z", Outcome::NoAnswer, &["d1"]);
        let eighth = call("2026-03-08T20:00:00Z").with_debts(["d1"]);
        let f = l
            .fires(&r, &eighth)
            .expect("the 8th call in 7 days is denied");
        assert_eq!(var(&f, "count"), "8");
        assert_eq!(var(&f, "nth"), "8th");
        assert_eq!(var(&f, "max"), "7");
        assert_eq!(var(&f, "window"), "7 days");
        assert_eq!(var(&f, "debt"), "d1");
        // The 03-02 call leaves the window at local midnight starting 03-09, which is EDT
        // (the clocks went forward on 03-08): 04:00Z, not 05:00Z.
        let next = l.next(&r, &eighth).unwrap();
        assert_eq!(next, utc("2026-03-09T04:00:00Z"));
        assert!(l
            .fires(&r, &call("2026-03-09T04:00:00Z").with_debts(["d1"]))
            .is_none());
        assert!(l
            .fires(&r, &call("2026-03-09T03:59:59Z").with_debts(["d1"]))
            .is_some());
    }

    #[test]
    fn not_connected_and_attorney_calls_do_not_count() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        daily_calls(&mut l, 2..=7, Outcome::NoAnswer, &["d1"]);
        for h in 16..=20 {
            l.call(
                &format!("2026-03-07T{h}:00:00Z"),
                Outcome::NotConnected,
                &["d1"],
            );
        }
        let attorney = Party::ThirdParty {
            relation: Relation::Attorney,
            designated: false,
        };
        for h in 16..=19 {
            l.push(
                call(&format!("2026-03-08T{h}:00:00Z"))
                    .with_debts(["d1"])
                    .to(attorney)
                    .with_outcome(Outcome::Conversation),
            );
        }
        let a = call("2026-03-08T21:00:00Z").with_debts(["d1"]);
        assert!(
            l.fires(&r, &a).is_none(),
            "6 counted calls: the 7th is allowed"
        );
        // A family member's calls do count (only the attorney is excluded).
        l.push(
            call("2026-03-08T20:00:00Z")
                .with_debts(["d1"])
                .to(Party::ThirdParty {
                    relation: Relation::Family,
                    designated: true,
                })
                .with_outcome(Outcome::NoAnswer),
        );
        assert!(l.fires(&r, &a).is_some());
    }

    #[test]
    fn a_recorded_attempt_that_would_not_count_is_not_limited() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        seven_calls(&mut l);
        let at = "2026-03-08T20:00:00Z";
        assert!(l
            .fires(
                &r,
                &call(at)
                    .with_debts(["d1"])
                    .with_outcome(Outcome::NotConnected)
            )
            .is_none());
        assert!(l
            .fires(
                &r,
                &call(at).with_debts(["d1"]).with_outcome(Outcome::NoAnswer)
            )
            .is_some());
        assert!(
            l.fires(&r, &call(at).with_debts(["d1"])).is_some(),
            "planned"
        );
    }

    #[test]
    fn calls_within_seven_days_of_consent_do_not_count() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        // Consent on 03-04 at 09:00 EST; the consent period is 03-04 .. 03-10.
        l.consent("2026-03-04T14:00:00Z", ConsentScope::CallFrequency);
        for d in 4..=10 {
            l.call(
                &format!("2026-03-{d:02}T16:00:00Z"),
                Outcome::NoAnswer,
                &["d1"],
            );
        }
        l.call("2026-03-10T18:00:00Z", Outcome::NoAnswer, &["d1"]);
        // Inside the consent period the attempt is not limited at all.
        assert!(l
            .fires(&r, &call("2026-03-10T20:00:00Z").with_debts(["d1"]))
            .is_none());
        // On 03-11 (day 8) the window 03-05 .. 03-11 holds 7 calls, all within the consent.
        let a = call("2026-03-11T16:00:00Z").with_debts(["d1"]);
        assert!(l.fires(&r, &a).is_none());
        // The same history without the consent denies.
        let mut plain = Ledger::new(NY);
        for c in l.history.contacts() {
            plain.call(&c.at.to_rfc3339(), c.outcome.unwrap(), &["d1"]);
        }
        assert!(plain.fires(&r, &a).is_some());
        // A consent of another scope does not help.
        let mut other = Ledger::new(NY);
        other.consent("2026-03-04T14:00:00Z", ConsentScope::Workplace);
        for c in l.history.contacts() {
            other.call(&c.at.to_rfc3339(), c.outcome.unwrap(), &["d1"]);
        }
        assert!(other.fires(&r, &a).is_some());
    }

    #[test]
    fn calls_earlier_on_the_consent_day_count() {
        // A consent lasting 1 day (the consent day only), so 03-05 is judged without it.
        let r = rule(&US_7_IN_7.replace("consent_days = 7", "consent_days = 1"));
        let mut l = Ledger::new(NY);
        for h in 9..=15 {
            l.call(
                &format!("2026-03-04T{h:02}:00:00Z"),
                Outcome::NoAnswer,
                &["d1"],
            );
        }
        l.consent("2026-03-04T16:00:00Z", ConsentScope::CallFrequency);
        for h in 17..=20 {
            l.call(
                &format!("2026-03-04T{h:02}:00:00Z"),
                Outcome::NoAnswer,
                &["d1"],
            );
        }
        let f = l
            .fires(&r, &call("2026-03-05T20:00:00Z").with_debts(["d1"]))
            .expect("the 7 calls before the consent count");
        assert_eq!(
            var(&f, "count"),
            "8",
            "the 4 calls after the consent do not"
        );
    }

    #[test]
    fn counted_per_debt_and_a_contact_about_two_debts_counts_for_both() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        seven_calls(&mut l);
        let at = "2026-03-08T20:00:00Z";
        assert!(l.fires(&r, &call(at).with_debts(["d2"])).is_none());
        let f = l.fires(&r, &call(at).with_debts(["d2", "d1"])).unwrap();
        assert_eq!(var(&f, "debt"), "d1");

        let mut both = Ledger::new(NY);
        daily_calls(&mut both, 2..=8, Outcome::Voicemail, &["d1", "d2"]);
        assert!(both.fires(&r, &call(at).with_debts(["d2"])).is_some());
        assert!(both.fires(&r, &call(at).with_debts(["d1"])).is_some());
        assert!(both.fires(&r, &call(at).with_debts(["d3"])).is_none());
        assert!(
            both.fires(&r, &call(at)).is_none(),
            "the unnamed debt is a debt of its own"
        );
    }

    #[test]
    fn more_debts_than_one_pass_holds() {
        let r = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        daily_calls(&mut l, 2..=8, Outcome::NoAnswer, &["d10"]);
        let debts: Vec<String> = (0..=10).map(|i| format!("d{i}")).collect();
        let f = l
            .fires(&r, &call("2026-03-08T20:00:00Z").with_debts(debts.clone()))
            .unwrap();
        assert_eq!(var(&f, "debt"), "d10");
        let fewer: Vec<String> = debts.into_iter().take(10).collect();
        assert!(l
            .fires(&r, &call("2026-03-08T20:00:00Z").with_debts(fewer))
            .is_none());
    }

    #[test]
    fn conversation_day_is_day_one_of_the_cooloff() {
        let r = rule(US_COOLOFF);
        let mut l = Ledger::new(NY);
        // Monday 2026-03-02, 15:00 EST.
        l.call("2026-03-02T20:00:00Z", Outcome::Conversation, &["d1"]);
        let same_day = call("2026-03-02T22:00:00Z").with_debts(["d1"]);
        let f = l.fires(&r, &same_day).expect("same day is day 1");
        assert_eq!(var(&f, "last_conversation"), "2026-03-02");
        // Sunday 03-08 23:59 EDT is day 7: still blocked.
        assert!(l
            .fires(&r, &call("2026-03-09T03:59:00Z").with_debts(["d1"]))
            .is_some());
        // Monday 03-09 00:00 EDT is day 8.
        assert!(l
            .fires(&r, &call("2026-03-09T04:00:00Z").with_debts(["d1"]))
            .is_none());
        assert_eq!(l.next(&r, &same_day), Some(utc("2026-03-09T04:00:00Z")));
        // Another debt is not in cool-off.
        assert!(l
            .fires(&r, &call("2026-03-03T15:00:00Z").with_debts(["d2"]))
            .is_none());
        // An unanswered call does not start one.
        let mut l2 = Ledger::new(NY);
        l2.call("2026-03-02T20:00:00Z", Outcome::NoAnswer, &["d1"]);
        assert!(l2.fires(&r, &same_day).is_none());
    }

    #[test]
    fn a_conversation_about_two_debts_starts_a_cooloff_for_each() {
        let r = rule(US_COOLOFF);
        let mut l = Ledger::new(NY);
        l.call("2026-03-02T20:00:00Z", Outcome::Conversation, &["d1", "d2"]);
        assert!(l
            .fires(&r, &call("2026-03-04T15:00:00Z").with_debts(["d2"]))
            .is_some());
        assert!(l
            .fires(&r, &call("2026-03-04T15:00:00Z").with_debts(["d1"]))
            .is_some());
    }

    #[test]
    fn an_inbound_conversation_starts_the_cooloff_but_inbound_calls_do_not_count() {
        let r = rule(US_COOLOFF);
        let mut l = Ledger::new(NY);
        l.push(
            call("2026-03-02T20:00:00Z")
                .with_debts(["d1"])
                .with_direction(Direction::Inbound)
                .with_outcome(Outcome::Conversation),
        );
        assert!(l
            .fires(&r, &call("2026-03-04T15:00:00Z").with_debts(["d1"]))
            .is_some());
        let no_inbound = rule(&US_COOLOFF.replace("trigger_inbound = true", ""));
        assert!(l
            .fires(
                &no_inbound,
                &call("2026-03-04T15:00:00Z").with_debts(["d1"])
            )
            .is_none());

        let cap = rule(US_7_IN_7);
        let mut l = Ledger::new(NY);
        for d in 2..=8 {
            l.push(
                call(&format!("2026-03-{d:02}T15:00:00Z"))
                    .with_debts(["d1"])
                    .with_direction(Direction::Inbound)
                    .with_outcome(Outcome::NoAnswer),
            );
        }
        assert!(l
            .fires(&cap, &call("2026-03-08T20:00:00Z").with_debts(["d1"]))
            .is_none());
    }

    const CN_UNANSWERED: &str = r#"
        [scope]
        channels = ["call"]
        [params]
        window_days = 1
        max = 6
        per = "address"
        count_outcomes = ["no_answer", "voicemail", "not_connected"]
    "#;

    const CN_CONVERSATIONS: &str = r#"
        [scope]
        channels = ["call"]
        parties = "borrower"
        [params]
        window_days = 1
        max = 3
        count_outcomes = ["conversation"]
    "#;

    #[test]
    fn cn_six_unanswered_per_number_per_day() {
        let r = rule(CN_UNANSWERED);
        let mut l = Ledger::new(SHANGHAI);
        let n1 = "+8613800000001";
        // 2026-03-02 09:00 .. 14:00 Beijing time.
        for h in 1..=6 {
            let outcome = if h == 3 {
                Outcome::NotConnected
            } else {
                Outcome::NoAnswer
            };
            l.push(
                call(&format!("2026-03-02T{h:02}:00:00Z"))
                    .with_address(n1, AddressKind::Personal)
                    .with_outcome(outcome),
            );
        }
        let seventh = call("2026-03-02T08:00:00Z").with_address(n1, AddressKind::Personal);
        let f = l
            .fires(&r, &seventh)
            .expect("7th unanswered attempt to the same number");
        assert_eq!(var(&f, "count"), "7");
        assert_eq!(var(&f, "address"), "****0001");
        assert_eq!(var(&f, "window"), "1 day");
        // Beijing midnight of 03-03 is 16:00Z on 03-02.
        assert_eq!(l.next(&r, &seventh), Some(utc("2026-03-02T16:00:00Z")));
        assert!(l
            .fires(
                &r,
                &call("2026-03-02T16:00:00Z").with_address(n1, AddressKind::Personal)
            )
            .is_none());
        // Another number is another contact method.
        let other =
            call("2026-03-02T08:00:00Z").with_address("+8613800000002", AddressKind::Personal);
        assert!(l.fires(&r, &other).is_none());
        // The same number written with surrounding spaces is the same number.
        let spaced =
            call("2026-03-02T08:00:00Z").with_address(" +8613800000001 ", AddressKind::Personal);
        assert!(l.fires(&r, &spaced).is_some());
        // A recorded attempt that was answered is not an unanswered attempt.
        assert!(l
            .fires(&r, &seventh.clone().with_outcome(Outcome::Conversation))
            .is_none());
    }

    #[test]
    fn cn_three_conversations_per_day_next_day_at_local_midnight() {
        let r = rule(CN_CONVERSATIONS);
        let mut l = Ledger::new(SHANGHAI);
        for (h, o) in [
            (1, Outcome::Conversation),
            (2, Outcome::NoAnswer),
            (3, Outcome::Conversation),
            (4, Outcome::NoAnswer),
        ] {
            l.push(
                call(&format!("2026-03-02T{h:02}:00:00Z"))
                    .with_address("+8613800000001", AddressKind::Personal)
                    .with_outcome(o),
            );
        }
        // Two conversations: a third is allowed.
        let a = call("2026-03-02T06:00:00Z").with_address("+8613800000002", AddressKind::Personal);
        assert!(l.fires(&r, &a).is_none());
        l.push(
            call("2026-03-02T05:00:00Z")
                .with_address("+8613800000002", AddressKind::Personal)
                .with_outcome(Outcome::Conversation),
        );
        let f = l.fires(&r, &a).expect("a 4th call after 3 conversations");
        assert_eq!(var(&f, "nth"), "4th");
        assert_eq!(l.next(&r, &a), Some(utc("2026-03-02T16:00:00Z")));
        // Yesterday's (Beijing) conversations do not count: 2026-03-01T15:59Z is 03-01 23:59.
        let mut l2 = Ledger::new(SHANGHAI);
        for m in 55..=57 {
            l2.push(call(&format!("2026-03-01T15:{m}:00Z")).with_outcome(Outcome::Conversation));
        }
        assert!(l2.fires(&r, &call("2026-03-01T16:00:00Z")).is_none());
        assert!(l2.fires(&r, &call("2026-03-01T15:59:00Z")).is_some());
    }

    const MA_PERSONAL: &str = r#"
        [scope]
        channels = ["call", "sms"]
        address_kinds = ["personal"]
        [params]
        window_days = 7
        max = 2
        per = "debt"
    "#;

    const MA_OTHER: &str = r#"
        [scope]
        channels = ["call", "sms"]
        address_kinds = ["work", "other"]
        [params]
        window_days = 30
        max = 2
        per = "debt"
    "#;

    #[test]
    fn ma_personal_and_other_numbers_are_capped_separately() {
        let personal = rule(MA_PERSONAL);
        let other = rule(MA_OTHER);
        let mut l = Ledger::new(NY);
        let home = |at: &str| {
            call(at)
                .with_debts(["d1"])
                .with_address("+16175550100", AddressKind::Personal)
        };
        let work = |at: &str| {
            call(at)
                .with_debts(["d1"])
                .with_address("+16175550199", AddressKind::Work)
        };
        l.push(home("2026-03-02T15:00:00Z").with_outcome(Outcome::Voicemail));
        l.push(
            ContactAttempt::new("s", "b", utc("2026-03-03T15:00:00Z"), Channel::Sms)
                .with_debts(["d1"])
                .with_address("+16175550100", AddressKind::Personal)
                .with_outcome(Outcome::Delivered),
        );
        assert!(l.fires(&personal, &home("2026-03-04T15:00:00Z")).is_some());
        assert!(l.fires(&other, &work("2026-03-04T15:00:00Z")).is_none());
        // Day 8 after the first personal contact: allowed again.
        assert!(l.fires(&personal, &home("2026-03-09T05:00:00Z")).is_none());
        l.push(work("2026-03-05T15:00:00Z").with_outcome(Outcome::NoAnswer));
        l.push(work("2026-03-20T15:00:00Z").with_outcome(Outcome::NoAnswer));
        assert!(
            l.fires(&other, &work("2026-03-31T15:00:00Z")).is_some(),
            "3rd in 30 days"
        );
        // 30 calendar days from 03-05 run through 04-03; 04-04 is free.
        assert_eq!(
            l.next(&other, &work("2026-03-31T15:00:00Z")),
            Some(utc("2026-04-04T04:00:00Z"))
        );
        assert!(l.fires(&personal, &home("2026-03-31T15:00:00Z")).is_none());
    }

    #[test]
    fn minutes_window_is_exact() {
        let r = rule(
            r#"
            [scope]
            channels = ["call"]
            [params]
            window_minutes = 5
            max = 1
            per = "address"
            "#,
        );
        let mut l = Ledger::new(NY);
        let n = "+12125550100";
        l.push(
            call("2026-03-02T15:00:00Z")
                .with_address(n, AddressKind::Personal)
                .with_outcome(Outcome::NoAnswer),
        );
        let a = call("2026-03-02T15:04:59Z").with_address(n, AddressKind::Personal);
        let f = l.fires(&r, &a).expect("a redial within 5 minutes");
        assert_eq!(var(&f, "window"), "5 minutes");
        assert_eq!(var(&f, "nth"), "2nd");
        assert_eq!(l.next(&r, &a), Some(utc("2026-03-02T15:05:00Z")));
        assert!(l
            .fires(
                &r,
                &call("2026-03-02T15:05:00Z").with_address(n, AddressKind::Personal)
            )
            .is_none());
        assert!(l
            .fires(
                &r,
                &call("2026-03-02T15:01:00Z").with_address("+12125550101", AddressKind::Personal)
            )
            .is_none());
    }

    #[test]
    fn parameters_are_validated() {
        let bad = [
            ("[params]\nmax = 3", "a window is required"),
            (
                "[params]\nwindow_days = 1\nwindow_minutes = 5\nmax = 1",
                "not both",
            ),
            ("[params]\nwindow_days = 0\nmax = 1", "between 1 and"),
            ("[params]\nwindow_days = 7", "mode `cap` needs `max`"),
            ("[params]\nwindow_days = 7\nmax = 0", "at least 1"),
            (
                "[params]\nmode = \"cooloff\"\nwindow_days = 7\nmax = 2",
                "cap` only",
            ),
            (
                "[params]\nwindow_days = 7\nmax = 2\ntrigger_inbound = true",
                "cooloff` only",
            ),
            (
                "[params]\nwindow_days = 7\nmax = 2\nconsent_days = 7",
                "needs `consent_scope`",
            ),
            (
                "[params]\nwindow_days = 7\nmax = 2\ncount_outcomes = []",
                "empty",
            ),
        ];
        for (src, want) in bad {
            let err = try_rule(src).unwrap_err();
            assert!(err.contains(want), "{src:?}: {err}");
        }
        assert!(try_rule("[params]\nwindow_days = 7\nmax = 2\nwindw = 3").is_err());
        assert_eq!(rule(US_7_IN_7).horizon_days(), 8);
    }

    #[test]
    fn helpers() {
        assert_eq!(mask_address("+12125550100"), "****0100");
        assert_eq!(mask_address("b1@example.com"), "****.com");
        assert_eq!(mask_address("123"), "****");
        assert_eq!(mask_address("电话号码一二三四五"), "****二三四五");
        let ords: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]
            .iter()
            .map(|n| ordinal(*n))
            .collect();
        assert_eq!(
            ords,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
    }

    // ---- model-based property tests -------------------------------------------------------

    /// A naive reading of the module documentation, with no shortcuts: every contact is
    /// looked at, days come straight from chrono-tz.
    struct Naive<'a> {
        zone: Tz,
        p: &'a Params,
        scope: &'a Scope,
    }

    impl Naive<'_> {
        fn day(&self, t: DateTime<Utc>) -> i64 {
            use chrono::Datelike;
            i64::from(t.with_timezone(&self.zone).date_naive().num_days_from_ce())
        }

        fn in_window(&self, attempt_at: DateTime<Utc>, t: DateTime<Utc>) -> bool {
            if t > attempt_at {
                return false;
            }
            match (self.p.window_days, self.p.window_minutes) {
                (Some(n), _) => self.day(attempt_at) - self.day(t) < i64::from(n),
                (_, Some(m)) => attempt_at - t < Duration::minutes(i64::from(m)),
                _ => unreachable!(),
            }
        }

        fn consented(&self, h: &History, t: DateTime<Utc>) -> bool {
            let Some(scope) = self.p.consent_scope else {
                return false;
            };
            h.consents().iter().any(|c| {
                c.scope == scope
                    && c.at <= t
                    && c.until.is_none_or(|u| t < u)
                    && self
                        .p
                        .consent_days
                        .is_none_or(|n| self.day(t) - self.day(c.at) < i64::from(n))
            })
        }

        fn group_of(&self, p: &PastContact, a: &ContactAttempt, debt: &str) -> bool {
            match self.p.per {
                Per::Debt => {
                    if p.debts.is_empty() {
                        debt.is_empty()
                    } else {
                        p.debts.iter().any(|d| d == debt)
                    }
                }
                Per::Address => {
                    p.address.as_ref().map(|s| s.trim().to_string())
                        == a.address.as_ref().map(|s| s.trim().to_string())
                }
                Per::Borrower => true,
            }
        }

        fn count_set(&self) -> Vec<Outcome> {
            self.p.count_outcomes.clone().unwrap_or(vec![
                Outcome::Conversation,
                Outcome::NoAnswer,
                Outcome::Voicemail,
                Outcome::Delivered,
                Outcome::Failed,
            ])
        }

        fn covered(
            &self,
            channel: Channel,
            party: Party,
            kind: Option<AddressKind>,
            dir: Direction,
        ) -> bool {
            (dir == Direction::Outbound || self.scope.inbound)
                && self
                    .scope
                    .channels
                    .as_ref()
                    .is_none_or(|c| c.contains(&channel))
                && match self.scope.parties {
                    super::super::PartyFilter::Any => true,
                    super::super::PartyFilter::Borrower => party == Party::Borrower,
                    super::super::PartyFilter::ThirdParty => party != Party::Borrower,
                }
                && match (&self.scope.address_kinds, kind) {
                    (Some(ks), Some(k)) => ks.contains(&k),
                    _ => true,
                }
                && party
                    .relation()
                    .is_none_or(|r| !self.scope.except_relations.contains(&r))
        }

        /// Whether the attempt placed at `at` is limited.
        fn fires(&self, h: &History, a: &ContactAttempt, at: DateTime<Utc>) -> bool {
            if !self.covered(a.channel, a.to, a.address_kind, a.direction) {
                return false;
            }
            if let Some(o) = a.outcome {
                if !self.count_set().contains(&o) {
                    return false;
                }
            }
            if self.consented(h, at) {
                return false;
            }
            let debts: Vec<&str> = a.debt_keys().collect();
            let groups: Vec<&str> = if self.p.per == Per::Debt {
                debts
            } else {
                vec![""]
            };
            groups.iter().any(|debt| {
                let mine = h
                    .contacts()
                    .iter()
                    .filter(|p| self.in_window(at, p.at) && self.group_of(p, a, debt));
                match self.p.mode {
                    Mode::Cap => {
                        let n = mine
                            .filter(|p| {
                                self.covered(p.channel, p.to, p.address_kind, p.direction)
                                    && p.outcome.is_none_or(|o| self.count_set().contains(&o))
                                    && !self.consented(h, p.at)
                            })
                            .count();
                        n >= self.p.max.unwrap() as usize
                    }
                    Mode::Cooloff => mine.into_iter().any(|p| {
                        let triggers = self
                            .p
                            .trigger_outcomes
                            .clone()
                            .unwrap_or(vec![Outcome::Conversation]);
                        (p.direction == Direction::Outbound
                            || self.p.trigger_inbound
                            || self.scope.inbound)
                            && self.covered(p.channel, p.to, p.address_kind, Direction::Outbound)
                            && p.outcome.is_some_and(|o| triggers.contains(&o))
                    }),
                }
            })
        }
    }

    #[derive(Debug, Clone)]
    struct Case {
        zone: Tz,
        scope_toml: String,
        params_toml: String,
        start: DateTime<Utc>,
        contacts: Vec<ContactAttempt>,
        consent: Option<(i64, ConsentScope)>,
        attempt: ContactAttempt,
    }

    fn arb_outcome() -> impl Strategy<Value = Option<Outcome>> {
        prop_oneof![
            Just(None),
            Just(Some(Outcome::Conversation)),
            Just(Some(Outcome::NoAnswer)),
            Just(Some(Outcome::Voicemail)),
            Just(Some(Outcome::NotConnected)),
            Just(Some(Outcome::Delivered)),
            Just(Some(Outcome::Failed)),
        ]
    }

    prop_compose! {
        fn arb_contact(start: DateTime<Utc>)(
            minute in 0i64..(20 * 24 * 60),
            sms in prop::bool::weighted(0.2),
            inbound in prop::bool::weighted(0.2),
            outcome in arb_outcome(),
            debts in prop::sample::select(vec![vec![], vec!["d1"], vec!["d2"], vec!["d1", "d2"]]),
            party in 0u8..4,
            addr in 0u8..4,
            kind in 0u8..4,
        ) -> ContactAttempt {
            let mut c = ContactAttempt::new("x", "b", start + Duration::minutes(minute), if sms { Channel::Sms } else { Channel::Call })
                .with_debts(debts)
                .with_direction(if inbound { Direction::Inbound } else { Direction::Outbound })
                .to(match party {
                    0 => Party::ThirdParty { relation: Relation::Attorney, designated: false },
                    1 => Party::ThirdParty { relation: Relation::Family, designated: true },
                    _ => Party::Borrower,
                });
            c.outcome = outcome;
            c.address = match addr { 0 => None, 1 => Some("+111".into()), 2 => Some("+222".into()), _ => Some(" +222 ".into()) };
            c.address_kind = match kind { 0 => None, 1 => Some(AddressKind::Personal), 2 => Some(AddressKind::Work), _ => Some(AddressKind::Other) };
            c
        }
    }

    fn arb_case() -> impl Strategy<Value = Case> {
        let zones = prop::sample::select(vec![
            chrono_tz::UTC,
            chrono_tz::America::New_York,
            chrono_tz::Asia::Shanghai,
            chrono_tz::America::Santiago,
            chrono_tz::Australia::Lord_Howe,
        ]);
        let starts = prop::sample::select(vec![
            "2026-02-20T00:00:00Z", // New York springs forward on 03-08
            "2026-03-20T07:30:00Z", // Santiago falls back on 04-05 (24:00 -> 23:00), Lord Howe on 04-05
            "2026-08-25T12:00:00Z", // Santiago springs forward at midnight on 09-06
            "2026-10-20T03:00:00Z", // New York falls back on 11-01
        ]);
        let scopes = prop::sample::select(vec![
            "",
            "channels = [\"call\"]\nexcept_relations = [\"attorney\"]",
            "channels = [\"call\"]\nparties = \"borrower\"\ninbound = true",
            "address_kinds = [\"personal\"]",
            "address_kinds = [\"work\", \"other\"]\ninbound = true",
        ]);
        let params = prop_oneof![
            (1u32..=8, 1u32..=7, 0usize..3, any::<bool>()).prop_map(|(days, max, per, custom)| {
                let per = ["debt", "address", "borrower"][per];
                let outcomes = if custom { "count_outcomes = [\"no_answer\", \"voicemail\", \"not_connected\"]\n" } else { "" };
                format!("window_days = {days}\nmax = {max}\nper = \"{per}\"\n{outcomes}consent_scope = \"call_frequency\"\nconsent_days = 7")
            }),
            (1u32..=8, 0usize..3, any::<bool>()).prop_map(|(days, per, inbound)| {
                let per = ["debt", "address", "borrower"][per];
                format!("mode = \"cooloff\"\nwindow_days = {days}\nper = \"{per}\"\ntrigger_inbound = {inbound}\nconsent_scope = \"call_frequency\"\nconsent_days = 3")
            }),
            (1u32..=600, 1u32..=4, 0usize..3).prop_map(|(minutes, max, per)| {
                let per = ["debt", "address", "borrower"][per];
                format!("window_minutes = {minutes}\nmax = {max}\nper = \"{per}\"")
            }),
            (1u32..=1500, 0usize..3).prop_map(|(minutes, per)| {
                let per = ["debt", "address", "borrower"][per];
                format!("mode = \"cooloff\"\nwindow_minutes = {minutes}\nper = \"{per}\"\ntrigger_outcomes = [\"conversation\", \"voicemail\"]")
            }),
        ];
        (zones, starts, scopes, params).prop_flat_map(|(zone, start, scope, params)| {
            let start = utc(start);
            (
                Just(zone),
                Just(scope.to_string()),
                Just(params),
                prop::collection::vec(arb_contact(start), 0..50),
                prop::option::weighted(
                    0.4,
                    ((5 * 24 * 60)..(15 * 24 * 60i64), prop::bool::weighted(0.8)),
                ),
                arb_contact(start + Duration::days(14)),
                any::<bool>(),
            )
                .prop_map(
                    move |(
                        zone,
                        scope_toml,
                        params_toml,
                        mut contacts,
                        consent,
                        mut attempt,
                        planned,
                    )| {
                        contacts.sort_by_key(|c| c.at);
                        if planned {
                            attempt.outcome = None;
                        }
                        attempt.direction = Direction::Outbound;
                        // The attempt comes after its history.
                        if let Some(last) = contacts.last() {
                            if attempt.at < last.at {
                                attempt.at = last.at + Duration::minutes(1);
                            }
                        }
                        let consent = consent.map(|(m, cf)| {
                            (
                                m,
                                if cf {
                                    ConsentScope::CallFrequency
                                } else {
                                    ConsentScope::Workplace
                                },
                            )
                        });
                        Case {
                            zone,
                            scope_toml,
                            params_toml,
                            start,
                            contacts,
                            consent,
                            attempt,
                        }
                    },
                )
        })
    }

    fn build(case: &Case) -> (Borrower, History, Frequency, Params, Scope) {
        let src = format!(
            "[scope]\n{}\n[params]\n{}\n",
            case.scope_toml, case.params_toml
        );
        let def: Def<Params> = toml::from_str(&src).unwrap();
        let r = rule(&src);
        let borrower = Borrower::new("b", case.zone);
        let mut history = History::new(&borrower);
        let consent_at = case
            .consent
            .map(|(m, s)| (case.start + Duration::minutes(m), s));
        let mut consent_done = consent_at.is_none_or(|(t, _)| t > case.attempt.at);
        for c in &case.contacts {
            if let Some((t, scope)) = consent_at {
                if !consent_done && t <= c.at {
                    history
                        .record_consent(&Consent {
                            borrower: "b".into(),
                            at: t,
                            scope,
                            channel: None,
                            until: None,
                        })
                        .unwrap();
                    consent_done = true;
                }
            }
            history.record_contact(c).unwrap();
        }
        if !consent_done {
            if let Some((t, scope)) = consent_at {
                history
                    .record_consent(&Consent {
                        borrower: "b".into(),
                        at: t,
                        scope,
                        channel: None,
                        until: None,
                    })
                    .unwrap();
            }
        }
        (borrower, history, r, def.params, def.scope)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn matches_a_naive_counter(case in arb_case()) {
            let (borrower, history, r, params, scope) = build(&case);
            let naive = Naive { zone: case.zone, p: &params, scope: &scope };
            let ctx = Ctx { borrower: &borrower, history: &history, attempt: &case.attempt };
            for offset in [0i64, 37, 600, 1440, 3 * 1440 + 5, 8 * 1440] {
                let at = case.attempt.at + Duration::minutes(offset);
                let got = r.fires_at(&ctx, at).is_some();
                let want = naive.fires(&history, &case.attempt, at);
                prop_assert_eq!(got, want, "at {} (+{} min)", at, offset);
            }
        }

        #[test]
        fn earliest_pass_passes_and_the_instant_before_does_not(case in arb_case()) {
            let (borrower, history, r, _, _) = build(&case);
            let ctx = Ctx { borrower: &borrower, history: &history, attempt: &case.attempt };
            let at = case.attempt.at;
            let e = r.earliest_pass(&ctx, at).expect("within a year");
            prop_assert!(e >= at);
            prop_assert!(r.fires_at(&ctx, e).is_none(), "earliest pass {} fires", e);
            if e > at {
                prop_assert!(r.fires_at(&ctx, at).is_some());
                let before = e - Duration::seconds(1);
                if before >= at {
                    prop_assert!(r.fires_at(&ctx, before).is_some(), "{} passes before {}", before, e);
                }
                // For day windows, the whole previous local day is still blocked.
                if let Window::Days(_) = r.window {
                    let prev = history.day_of(e) - 1;
                    if let Some(prev_start) = day_start(history.zone(), prev) {
                        if prev_start >= at {
                            prop_assert!(r.fires_at(&ctx, prev_start).is_some());
                        }
                    }
                }
            } else {
                prop_assert!(r.fires_at(&ctx, at).is_none());
            }
        }
    }
}
