//! `quiet_hours`: when a contact may be made, in the borrower's local time.
//!
//! An attempt passes when, in **every** time zone of the borrower, its local time falls in
//! one of the allowed windows for that local weekday, the local date is not a holiday of the
//! rule's calendar, and (with `honour_designated`) it is outside every inconvenient time the
//! borrower designated before the attempt. Windows are half-open `[from, to)`; `to = "24:00"`
//! means the end of the day. A consent of `consent_scope` in force lifts the rule.
//!
//! Which attempts it covers is the rule's `[rule.scope]` (channels, parties, address kinds).
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

use chrono::{DateTime, NaiveTime, Utc};
use serde::Deserialize;

use super::{Ctx, Fired, Scope, Timing};
use crate::model::ConsentScope;
use crate::pack::PackCtx;

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

/// A compiled quiet-hours rule.
#[derive(Debug)]
pub(crate) struct QuietHours {
    pub scope: Scope,
    pub consent_scope: Option<ConsentScope>,
    pub honour_designated: bool,
    // TODO(helper): compiled windows per weekday, holiday dates.
    #[allow(dead_code)]
    pub windows: Vec<(u8, NaiveTime, NaiveTime)>,
}

impl QuietHours {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<QuietHours, String> {
        Ok(QuietHours {
            scope: scope.clone(),
            consent_scope: params.consent_scope,
            honour_designated: params.honour_designated,
            windows: Vec::new(),
        })
    }
}

impl Timing for QuietHours {
    fn fires_at(&self, _ctx: &Ctx<'_>, _at: DateTime<Utc>) -> Option<Fired> {
        None
    }

    fn earliest_pass(&self, _ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(at)
    }
}
