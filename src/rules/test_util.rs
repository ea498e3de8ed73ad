//! Helpers shared by the unit tests of the rule kinds.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{Fired, Scope};
use crate::pack::PackCtx;

/// An instant written in RFC 3339 (`2026-03-02T15:00:00Z`).
pub(crate) fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A rule's `[scope]` and `[params]` tables, as a rule file writes them.
#[derive(Deserialize)]
pub(crate) struct Def<P> {
    #[serde(default)]
    pub scope: Scope,
    pub params: P,
}

/// Compiles a rule from its `[scope]` (optional) and `[params]` tables in a pack with no
/// calendars and no lexicons; errors are TOML errors or the rule kind's own.
pub(crate) fn try_compile<P: DeserializeOwned, R>(
    src: &str,
    compile: impl FnOnce(P, &Scope, &PackCtx<'_>) -> Result<R, String>,
) -> Result<R, String> {
    let def: Def<P> = toml::from_str(src).map_err(|e| e.to_string())?;
    let calendars = HashMap::new();
    let lexicons = BTreeMap::new();
    let pack = PackCtx {
        pack: "t",
        calendars: &calendars,
        lexicons: &lexicons,
        models: &BTreeMap::new(),
    };
    compile(def.params, &def.scope, &pack)
}

/// The value a fired rule gives its message template for `name`.
pub(crate) fn var<'f>(f: &'f Fired, name: &str) -> &'f str {
    f.vars
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no var {name} in {:?}", f.vars))
}
