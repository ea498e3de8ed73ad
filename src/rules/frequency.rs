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

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Ctx, Fired, Scope, Timing};
use crate::model::{ConsentScope, Outcome};
use crate::pack::PackCtx;

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

/// A compiled frequency rule.
#[derive(Debug)]
pub(crate) struct Frequency {
    pub scope: Scope,
    pub params: Params,
}

impl Frequency {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<Frequency, String> {
        Ok(Frequency {
            scope: scope.clone(),
            params,
        })
    }

    /// Days of ledger the rule reads.
    pub fn horizon_days(&self) -> u32 {
        let minutes_days = self.params.window_minutes.map_or(0, |m| m / (24 * 60) + 1);
        self.params
            .window_days
            .unwrap_or(0)
            .max(minutes_days)
            .max(self.params.consent_days.unwrap_or(0))
            + 1
    }
}

impl Timing for Frequency {
    fn fires_at(&self, _ctx: &Ctx<'_>, _at: DateTime<Utc>) -> Option<Fired> {
        None
    }

    fn earliest_pass(&self, _ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(at)
    }
}
