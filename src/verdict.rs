//! What the engine answers: a [`Verdict`] with its [`Decision`] and the [`Reason`]s that
//! produced it. The serde form is the CLI's JSON contract.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The outcome of a check. Ordered: `Allow < Review < Deny`, so the most restrictive of
/// several decisions is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// No rule fired.
    Allow,
    /// Only `review` rules fired: a person should look.
    Review,
    /// At least one `deny` rule fired.
    Deny,
}

impl Decision {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Review => "review",
            Decision::Deny => "deny",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a rule is when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A person should look; used where the rule's basis is unverified or the text alone
    /// cannot decide.
    Review,
    /// The contact must not be made (or was not compliant).
    Deny,
}

impl Severity {
    /// The decision a rule of this severity produces when it fires.
    pub fn decision(self) -> Decision {
        match self {
            Severity::Review => Decision::Review,
            Severity::Deny => Decision::Deny,
        }
    }

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Review => "review",
            Severity::Deny => "deny",
        }
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// When a contact may be made.
    QuietHours,
    /// How often.
    Frequency,
    /// Opt-outs, cease requests, attorney representation, workplace.
    Consent,
    /// Who may be contacted at all.
    ThirdParty,
    /// Threats, false legal claims, impersonation, threats to expose the debt.
    Coercion,
    /// Insults, shaming, profanity.
    Abuse,
    /// The debt disclosed to others; unmasked identity or card numbers.
    Privacy,
    /// Required content missing.
    Disclosure,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 8] = [
        Category::QuietHours,
        Category::Frequency,
        Category::Consent,
        Category::ThirdParty,
        Category::Coercion,
        Category::Abuse,
        Category::Privacy,
        Category::Disclosure,
    ];

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::QuietHours => "quiet_hours",
            Category::Frequency => "frequency",
            Category::Consent => "consent",
            Category::ThirdParty => "third_party",
            Category::Coercion => "coercion",
            Category::Abuse => "abuse",
            Category::Privacy => "privacy",
            Category::Disclosure => "disclosure",
        }
    }

    /// Whether `next_allowed_at` is meaningful for a denial in this category.
    pub fn is_timing(self) -> bool {
        matches!(self, Category::QuietHours | Category::Frequency)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte range `[start, end)` in the original text, always on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span; `start <= end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start.min(end),
            end,
        }
    }

    /// The spanned text, or `None` if the span is not on character boundaries of `text`.
    pub fn text<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}

/// One fired rule: which, why, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable rule id, e.g. `us.regf.call-frequency`.
    pub rule: String,
    /// What the rule is about.
    pub category: Category,
    /// How serious it is.
    pub severity: Severity,
    /// The regulation behind the rule.
    pub citation: String,
    /// Human-readable explanation (English).
    pub message: String,
    /// The same in Chinese, for packs that provide it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    /// For text rules: the words that triggered it, as byte offsets into the original text.
    pub span: Option<Span>,
    /// The matched words, with personal data masked.
    pub evidence: Option<String>,
}

/// The answer to a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Allow, review or deny.
    pub decision: Decision,
    /// Every rule that fired, sorted by `(span.start, rule)` (reasons without a span first).
    pub reasons: Vec<Reason>,
    /// For a timing or frequency denial: the earliest instant at which the same attempt
    /// would pass every timing and frequency rule. `None` when no such rule denied, or when
    /// no such instant exists within the search horizon.
    pub next_allowed_at: Option<DateTime<Utc>>,
}

impl Verdict {
    /// A verdict from its reasons: the decision is the most restrictive severity among them.
    pub fn from_reasons(
        mut reasons: Vec<Reason>,
        next_allowed_at: Option<DateTime<Utc>>,
    ) -> Verdict {
        reasons.sort_by(|a, b| {
            let ka = (a.span.map(|s| s.start), &a.rule, a.span.map(|s| s.end));
            let kb = (b.span.map(|s| s.start), &b.rule, b.span.map(|s| s.end));
            ka.cmp(&kb)
        });
        reasons.dedup();
        let decision = reasons
            .iter()
            .map(|r| r.severity.decision())
            .max()
            .unwrap_or(Decision::Allow);
        Verdict {
            decision,
            reasons,
            next_allowed_at,
        }
    }

    /// An `allow` with no reasons.
    pub fn allow() -> Verdict {
        Verdict {
            decision: Decision::Allow,
            reasons: Vec::new(),
            next_allowed_at: None,
        }
    }

    /// Whether the decision is `allow`.
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// Whether any reason comes from the rule `id`.
    pub fn fired(&self, id: &str) -> bool {
        self.reasons.iter().any(|r| r.rule == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(rule: &str, severity: Severity, span: Option<Span>) -> Reason {
        Reason {
            rule: rule.into(),
            category: Category::Abuse,
            severity,
            citation: "x".into(),
            message: "m".into(),
            message_zh: None,
            span,
            evidence: None,
        }
    }

    #[test]
    fn most_restrictive_wins_and_order_is_stable() {
        let v = Verdict::from_reasons(
            vec![
                reason("b", Severity::Review, Some(Span::new(5, 6))),
                reason("a", Severity::Deny, Some(Span::new(5, 6))),
                reason("z", Severity::Review, None),
            ],
            None,
        );
        assert_eq!(v.decision, Decision::Deny);
        let ids: Vec<_> = v.reasons.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(ids, ["z", "a", "b"]);
        assert_eq!(
            Verdict::from_reasons(vec![], None).decision,
            Decision::Allow
        );
    }

    #[test]
    fn serde_shape_matches_contract() {
        let v = Verdict::from_reasons(vec![reason("r", Severity::Deny, None)], None);
        let json = serde_json::to_string(&v).unwrap();
        assert!(
            json.starts_with(
                r#"{"decision":"deny","reasons":[{"rule":"r","category":"abuse","severity":"deny""#
            ),
            "{json}"
        );
        assert!(json.contains(r#""span":null,"evidence":null"#), "{json}");
        assert!(json.ends_with(r#""next_allowed_at":null}"#), "{json}");
    }
}
