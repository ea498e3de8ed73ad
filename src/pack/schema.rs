//! The rule-file schema (serde). A pack is a folder `rules/<pack>/` of TOML files: one
//! `pack.toml` with a `[pack]` header, and any number of files with `[[rule]]` and
//! `[[calendar]]` tables. Unknown keys are errors.

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Channel, Party, Purpose};
use crate::rules::Scope;
use crate::verdict::{Category, Severity};

/// One TOML file of a pack.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub pack: Option<PackHeader>,
    #[serde(default)]
    pub calendar: Vec<CalendarDef>,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
}

/// `[pack]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackHeader {
    pub id: Spanned<String>,
    pub name: String,
    /// Where it applies, e.g. `CN`, `US-MA`.
    pub jurisdiction: String,
    #[serde(default)]
    pub description: String,
    /// Packs this one builds on; selecting this pack selects them too.
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
}

/// `[[calendar]]`: named dates (public holidays).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarDef {
    pub id: String,
    /// Where the dates come from (read by people; required so every date has a source).
    #[allow(dead_code)]
    pub source: String,
    /// `YYYY-MM-DD` dates.
    pub dates: Vec<Spanned<String>>,
}

/// How sure we are of a rule's basis (see REGULATIONS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Confidence {
    /// The law's own text.
    V1,
    /// Official text relayed by a third party.
    V2,
    /// Secondary sources agree.
    S,
    /// Unverified: such a rule may only be `review`.
    U,
}

impl Confidence {
    /// The spelling used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::V1 => "V1",
            Confidence::V2 => "V2",
            Confidence::S => "S",
            Confidence::U => "U",
        }
    }
}

/// The kind of a rule: which file of `src/rules/` gives it meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// `src/rules/quiet_hours.rs`
    QuietHours,
    /// `src/rules/frequency.rs`
    Frequency,
    /// `src/rules/consent.rs`
    Consent,
    /// `src/rules/third_party.rs`
    ThirdParty,
    /// `src/rules/text.rs`
    Text,
    /// `src/rules/text_model.rs`
    TextModel,
}

impl RuleKind {
    /// The spelling used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::QuietHours => "quiet_hours",
            RuleKind::Frequency => "frequency",
            RuleKind::Consent => "consent",
            RuleKind::ThirdParty => "third_party",
            RuleKind::Text => "text",
            RuleKind::TextModel => "text_model",
        }
    }
}

/// `[rule.explain]`: documentation under fixed headings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExplainDef {
    /// What it checks.
    pub what: String,
    /// Why: the harm and the law.
    pub why: String,
    /// What to do instead.
    pub instead: String,
}

/// `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: Spanned<String>,
    pub kind: RuleKind,
    pub category: Category,
    pub severity: Severity,
    pub citation: String,
    pub confidence: Confidence,
    /// English message; `{name}` placeholders are filled by the rule kind.
    pub message: String,
    #[serde(default)]
    pub message_zh: Option<String>,
    /// Caveats, e.g. why a value is unverified.
    #[serde(default)]
    pub notes: Option<String>,
    pub explain: ExplainDef,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub params: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub example: Vec<ExampleDef>,
}

/// What an example expects of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// The rule fires (with its severity `deny`).
    Deny,
    /// The rule fires (with its severity `review`).
    Review,
    /// The rule does not fire.
    Allow,
}

/// `[[rule.example]]`: a case the rule must decide as stated. Either `events` (JSON Lines
/// in the CLI's contract; the last `contact` is judged, everything before it is history) or
/// `text` (judged with `channel` and `to`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleDef {
    /// What the case shows.
    #[serde(default)]
    pub name: Option<String>,
    /// The rule's expected answer.
    pub expect: Expect,
    /// JSON Lines events.
    #[serde(default)]
    pub events: Option<String>,
    /// The expected `next_allowed_at` of the verdict, RFC 3339.
    #[serde(default)]
    pub next_allowed_at: Option<String>,
    /// A message text.
    #[serde(default)]
    pub text: Option<String>,
    /// The text's channel (default `sms`).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The text's addressee (default the borrower).
    #[serde(default)]
    pub to: Option<Party>,
    /// The text's purpose (default `collection`).
    #[serde(default)]
    pub purpose: Option<Purpose>,
    /// The expected evidence (the matched words of the original text).
    #[serde(default)]
    pub evidence: Option<String>,
}
