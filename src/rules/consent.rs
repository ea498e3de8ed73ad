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

use serde::Deserialize;

use super::{Ctx, Fired, Scope};
use crate::model::{ConsentScope, Purpose};
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
    pub scope: Scope,
    pub params: Params,
}

impl ConsentRule {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<ConsentRule, String> {
        Ok(ConsentRule {
            scope: scope.clone(),
            params,
        })
    }

    /// Judges the attempt.
    pub fn check(&self, _ctx: &Ctx<'_>) -> Option<Fired> {
        None
    }
}
