//! Rule kinds: the semantics of each kind lives in its own file; the parameters, phrase
//! lists, citations and examples live in `rules/`. This module is the seam between the two:
//! [`Ctx`] is what a rule sees, [`Fired`] what it answers, [`Kind`] dispatches.

pub(crate) mod consent;
pub(crate) mod frequency;
pub(crate) mod quiet_hours;
#[cfg(test)]
mod test_util;
pub(crate) mod text;
pub(crate) mod text_model;
pub(crate) mod third_party;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::history::History;
use crate::model::{AddressKind, Borrower, Channel, ContactAttempt, Direction, Party, Relation};
use crate::verdict::Span;

/// What a rule sees when it judges a contact attempt.
pub(crate) struct Ctx<'a> {
    /// The borrower (time zones).
    pub borrower: &'a Borrower,
    /// Everything recorded before the attempt.
    pub history: &'a History,
    /// The attempt being judged.
    pub attempt: &'a ContactAttempt,
}

/// A rule fired. The engine turns it into a [`crate::Reason`], filling the rule's message
/// template (`{name}` placeholders) from `vars`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fired {
    /// Values for the message template, e.g. `("count", "7")`.
    pub vars: Vec<(&'static str, String)>,
    /// For text rules: where in the original text.
    pub span: Option<Span>,
    /// The matched words, personal data already masked.
    pub evidence: Option<String>,
    /// For text rules: found on a phrase that stands without the pack's text models'
    /// confirmation (`stands_alone`), outside quotation marks.
    pub stands_alone: bool,
}

impl Fired {
    /// A fired rule with template values.
    pub fn with_vars(vars: Vec<(&'static str, String)>) -> Fired {
        Fired {
            vars,
            ..Fired::default()
        }
    }
}

/// Fills `{name}` placeholders of a message template; unknown names are left as they are.
pub(crate) fn render(template: &str, vars: &[(&'static str, String)]) -> String {
    if vars.is_empty() || !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let name_end = after.find('}');
        let replaced = name_end.and_then(|end| {
            let name = after.get(1..end)?;
            let value = vars.iter().find(|(k, _)| *k == name)?;
            Some((end, &value.1))
        });
        match replaced {
            Some((end, value)) => {
                out.push_str(value);
                rest = after.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// Which parties a rule is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PartyFilter {
    /// Everyone.
    #[default]
    Any,
    /// The borrower only.
    Borrower,
    /// Third parties only.
    ThirdParty,
}

impl PartyFilter {
    pub fn matches(self, party: Party) -> bool {
        matches!(
            (self, party),
            (PartyFilter::Any, _)
                | (PartyFilter::Borrower, Party::Borrower)
                | (PartyFilter::ThirdParty, Party::ThirdParty { .. })
        )
    }
}

/// Filters that many kinds share: which attempts a rule applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Scope {
    /// Channels the rule applies to; all when absent.
    #[serde(default)]
    pub channels: Option<Vec<Channel>>,
    /// Parties the rule applies to.
    #[serde(default)]
    pub parties: PartyFilter,
    /// Address kinds the rule applies to; all when absent. An attempt with no address kind
    /// is treated as possibly any kind (the stricter reading).
    #[serde(default)]
    pub address_kinds: Option<Vec<AddressKind>>,
    /// Relations excluded (e.g. the borrower's attorney).
    #[serde(default)]
    pub except_relations: Vec<Relation>,
    /// Whether inbound (borrower-initiated) contacts are covered.
    #[serde(default)]
    pub inbound: bool,
}

impl Scope {
    /// Whether an attempt with these attributes is covered.
    pub fn covers(
        &self,
        channel: Channel,
        party: Party,
        kind: Option<AddressKind>,
        direction: Direction,
    ) -> bool {
        if direction == Direction::Inbound && !self.inbound {
            return false;
        }
        if let Some(chs) = &self.channels {
            if !chs.contains(&channel) {
                return false;
            }
        }
        if !self.parties.matches(party) {
            return false;
        }
        if let (Some(kinds), Some(k)) = (&self.address_kinds, kind) {
            if !kinds.contains(&k) {
                return false;
            }
        }
        if let Some(r) = party.relation() {
            if self.except_relations.contains(&r) {
                return false;
            }
        }
        true
    }

    /// Whether the attempt is covered (possibly: see [`Scope::coverage`]).
    pub fn covers_attempt(&self, a: &ContactAttempt) -> bool {
        self.coverage(a) != Coverage::No
    }

    /// Whether the attempt is covered, not covered, or covered only if its unknown address
    /// kind is one of the rule's `address_kinds`.
    pub fn coverage(&self, a: &ContactAttempt) -> Coverage {
        if !self.covers(a.channel, a.to, a.address_kind, a.direction) {
            Coverage::No
        } else if self.address_kinds.is_some() && a.address_kind.is_none() {
            Coverage::Unknown
        } else {
            Coverage::Yes
        }
    }
}

/// Whether a rule's scope covers an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coverage {
    /// Not covered: the rule does not apply.
    No,
    /// Covered.
    Yes,
    /// Covered if the attempt's address kind, which it does not give, is one the rule is
    /// limited to: a finding is reported as `review`, never `deny` and never dropped.
    Unknown,
}

/// A rule kind whose verdict depends on when the attempt is made. The engine uses these to
/// compute `next_allowed_at` as a fixpoint over every timing rule in force.
pub(crate) trait Timing {
    /// Whether the rule fires for the attempt of `ctx` placed at `at` instead of
    /// `ctx.attempt.at` (the history stays as it is).
    fn fires_at(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<Fired>;

    /// The earliest instant `>= at` at which [`Timing::fires_at`] is `None`; `None` when no
    /// such instant exists within a year. Computed from window edges and counts, never by
    /// stepping through time.
    fn earliest_pass(&self, ctx: &Ctx<'_>, at: DateTime<Utc>) -> Option<DateTime<Utc>>;
}

/// A compiled rule of some kind.
#[derive(Debug)]
pub(crate) enum Kind {
    QuietHours(quiet_hours::QuietHours),
    Frequency(frequency::Frequency),
    Consent(consent::ConsentRule),
    ThirdParty(third_party::ThirdParty),
    Text(text::TextRule),
    TextModel(text_model::TextModel),
}

impl Kind {
    /// The timing view of the rule, if it has one.
    pub fn timing(&self) -> Option<&dyn Timing> {
        match self {
            Kind::QuietHours(r) => Some(r),
            Kind::Frequency(r) => Some(r),
            _ => None,
        }
    }

    /// Judges a contact attempt (text and text-model rules are run by the pack's
    /// [`crate::pack::CompiledPack::check_text`] instead).
    pub fn check_contact(&self, ctx: &Ctx<'_>) -> Option<Fired> {
        match self {
            Kind::QuietHours(r) => r.fires_at(ctx, ctx.attempt.at),
            Kind::Frequency(r) => r.fires_at(ctx, ctx.attempt.at),
            Kind::Consent(r) => r.check(ctx),
            Kind::ThirdParty(r) => r.check(ctx),
            Kind::Text(_) | Kind::TextModel(_) => None,
        }
    }

    /// The longest look-back, in days, the rule needs from the ledger (for pruning).
    pub fn horizon_days(&self) -> u32 {
        match self {
            Kind::Frequency(r) => r.horizon_days(),
            _ => 0,
        }
    }

    /// How many of the most recent contacts the rule needs kept whatever their age.
    pub fn keep_last(&self) -> usize {
        match self {
            Kind::ThirdParty(r) => r.keep_last(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_known_names_only() {
        let vars = vec![("count", "8".to_string()), ("debt", "d1".to_string())];
        assert_eq!(
            render(
                "{count}th call in 7 days about debt {debt} {unknown} {",
                &vars
            ),
            "8th call in 7 days about debt d1 {unknown} {"
        );
        assert_eq!(render("第{count}次", &vars), "第8次");
    }
}
