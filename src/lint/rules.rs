//! The linter's own rules (`lint.*`): what the packs' text rules cannot see in a template
//! before data is filled in, and the hygiene of suppressions. Documented under the same
//! headings as pack rules, so `collectguard explain` prints them alike.

use std::fmt::Write as _;

use crate::pack::{Confidence, Expect};
use crate::verdict::{Category, Severity};

/// A full identity or card number in a template.
pub const PLACEHOLDER_PII: &str = "lint.placeholder-pii";
/// A debt fact in a template for a third party.
pub const PLACEHOLDER_DEBT: &str = "lint.placeholder-debt-to-third-party";
/// A placeholder the registry does not know.
pub const UNKNOWN_PLACEHOLDER: &str = "lint.unknown-placeholder";
/// A suppression that cannot be honoured (no reason, unknown rule, bad syntax).
pub const INVALID_SUPPRESSION: &str = "lint.invalid-suppression";
/// A suppression that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "lint.unused-suppression";

/// One example of a lint rule: a template file's content and what the rule decides.
#[derive(Debug, Clone, Copy)]
pub struct LintExample {
    /// What the case shows.
    pub name: &'static str,
    /// Whether the rule fires (`deny`/`review`) or not (`allow`).
    pub expect: Expect,
    /// The template, as a `.txt` file would hold it.
    pub template: &'static str,
}

/// A rule of the linter itself.
#[derive(Debug, Clone, Copy)]
pub struct LintRule {
    /// Stable id, `lint.*`.
    pub id: &'static str,
    /// Its category; `None` for the rules about suppressions, which concern the tool.
    pub category: Option<Category>,
    /// Its severity.
    pub severity: Severity,
    /// The regulation behind it (or the note that there is none).
    pub citation: &'static str,
    /// How sure we are of that basis.
    pub confidence: Confidence,
    /// One line: what a finding means.
    pub summary: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why.
    pub why: &'static str,
    /// What is allowed instead.
    pub instead: &'static str,
    /// Caveats.
    pub notes: Option<&'static str>,
    /// Templates it decides, run by the test suite.
    pub examples: &'static [LintExample],
}

impl LintRule {
    /// The documentation under the fixed headings `collectguard explain` prints.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        let category = self.category.map_or("tooling", |c| c.as_str());
        let _ = writeln!(
            s,
            "{} ({} · {} · lint)",
            self.id,
            category,
            self.severity.as_str()
        );
        let _ = writeln!(s, "\n## What it checks\n{}", self.what.trim());
        let _ = writeln!(s, "\n## Why\n{}", self.why.trim());
        let _ = writeln!(s, "\n## Example");
        for ex in self.examples {
            let verdict = match ex.expect {
                Expect::Allow => "allowed",
                Expect::Review => "review",
                Expect::Deny => "denied",
            };
            let _ = writeln!(s, "- {verdict}: {}", ex.name);
            for line in ex.template.lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
        let _ = writeln!(s, "\n## Allowed instead\n{}", self.instead.trim());
        let _ = writeln!(
            s,
            "\n## Citation\n{} (confidence {})",
            self.citation,
            self.confidence.as_str()
        );
        if let Some(n) = self.notes {
            let _ = writeln!(s, "\n## Notes\n{}", n.trim());
        }
        let _ = writeln!(s, "\nDefined at src/lint/rules.rs");
        s
    }
}

pub(crate) static PII: LintRule = LintRule {
    id: PLACEHOLDER_PII,
    category: Some(Category::Privacy),
    severity: Severity::Deny,
    citation: "个人信息保护法 第十条、第二十八条、第五十一条; PCI DSS v4.0 Req. 4.2.2",
    confidence: Confidence::S,
    summary: "a placeholder puts a full identity or card number into the message",
    what: "A placeholder whose type is a full identity number (`{{id_number}}`, PRC resident ID or \
SSN) or a full bank-card number (`{{card_number}}`), in any template, to anyone. The template is \
filled with a valid sample of the type and checked by the packs' own PII rules; this rule fires when \
none of them already flags the placeholder.",
    why: "Identity and financial-account numbers are sensitive personal information (个人信息保护法 \
第二十八条) that the handler must protect by de-identification (第五十一条) and never disclose \
unlawfully (第十条). A text message or e-mail is read on lock screens, shared phones and forwarded \
threads; card numbers must not travel unprotected over end-user messaging (PCI DSS v4.0 Req. 4.2.2).",
    instead: "Name the account by its last four digits (`{{card_last4}}`) or the loan number \
(`{{loan_id}}`); never send a full identity or card number.",
    notes: Some("PCI DSS is an industry standard, not a law. The 个人信息保护法 articles are cited \
from the law's text; REGULATIONS.md lists 第十条、第二十五条 for disclosure to others."),
    examples: &[
        LintExample {
            name: "an identity number in a reminder",
            expect: Expect::Deny,
            template: "您好{{name}}，您的身份证号{{id_number}}已登记，请按时还款。",
        },
        LintExample {
            name: "a full card number",
            expect: Expect::Deny,
            template: "Hi {{name}}, card {{card_number}} will be charged on {{due_date}}.",
        },
        LintExample {
            name: "the last four digits only",
            expect: Expect::Allow,
            template: "您好{{name}}，您尾号{{card_last4}}的银行卡将于{{due_date}}扣款。",
        },
    ],

};

pub(crate) static DEBT: LintRule = LintRule {
    id: PLACEHOLDER_DEBT,
    category: Some(Category::Privacy),
    severity: Severity::Deny,
    citation: "互联网金融逾期债务催收自律公约（试行）第十八条; 个人信息保护法 第十条; 15 USC 1692b(2), 1692c(b); 12 CFR 1006.6(d); FCA CONC 7",
    confidence: Confidence::S,
    summary: "a placeholder discloses the debt to a third party",
    what: "A placeholder that carries a fact about the debt or the account (`{{amount}}`, \
`{{due_date}}`, `{{overdue_days}}`, `{{loan_id}}`, `{{account_number}}`, `{{card_last4}}`) in a \
template whose audience is a third party other than the borrower's attorney. The template is \
filled with a sample and checked by the packs' own rules; this rule fires when none of them already \
flags the placeholder.",
    why: "A collector may contact a third party only to re-establish contact with the borrower \
(China) or to learn the borrower's location (United States), and must never tell the third party \
about the debt: 自律公约 第十八条 and 个人信息保护法 第十条 in China; 15 USC 1692b(2) (\"shall not \
state that such consumer owes any debt\"), 1692c(b) and 12 CFR 1006.6(d) in the United States; the \
FCA's CONC 7 expects firms to keep third parties from learning of the debt.",
    instead: "Ask the third party only to pass on a request to call back: the company \
(`{{company}}`), a name and a number (`{{hotline}}`), nothing about money, dates or accounts.",
    notes: None,
    examples: &[
        LintExample {
            name: "the amount in a note to a family member",
            expect: Expect::Deny,
            template: "---\naudience: third_party\nrelation: family\n---\n请转告{{name}}尽快归还{{amount}}元。\n",
        },
        LintExample {
            name: "a call-back request to a family member",
            expect: Expect::Allow,
            template: "---\naudience: third_party\nrelation: family\n---\n您好，我是{{company}}的{{agent}}，请{{name}}回电{{hotline}}。\n",
        },
        LintExample {
            name: "the amount in a reminder to the borrower",
            expect: Expect::Allow,
            template: "您本期应还{{amount}}元，还款日{{due_date}}。",
        },
    ],

};

pub(crate) static UNKNOWN: LintRule = LintRule {
    id: UNKNOWN_PLACEHOLDER,
    category: Some(Category::Privacy),
    severity: Severity::Review,
    citation: "none (tooling): an untyped placeholder cannot be checked for the disclosures 个人信息保护法 第十条 and 15 USC 1692c(b) forbid",
    confidence: Confidence::S,
    summary: "a placeholder the registry does not know, so what it will hold cannot be checked",
    what: "A `{{name}}` whose name is not in the placeholder registry (the built-in types, \
their aliases, and names added with `--placeholder NAME=TYPE`).",
    why: "The linter judges a template before real data is filled in, by the type of each \
placeholder. An unknown placeholder could hold anything, including an identity number or the \
debt, so a person should look.",
    instead: "Use a registry name (`collectguard lint --help` and the README list them), or map \
your name to a type with `--placeholder nickname=name`.",
    notes: None,
    examples: &[
        LintExample {
            name: "a misspelt name",
            expect: Expect::Review,
            template: "Hi {{nmae}}, your payment of {{amount}} is due on {{due_date}}.",
        },
        LintExample {
            name: "registry names",
            expect: Expect::Allow,
            template: "Hi {{name}}, your payment of {{amount}} is due on {{due_date}}.",
        },
    ],

};

pub(crate) static INVALID: LintRule = LintRule {
    id: INVALID_SUPPRESSION,
    category: None,
    severity: Severity::Deny,
    citation: "none (tooling): a suppression records why a finding was accepted",
    confidence: Confidence::V1,
    summary: "a suppression that cannot be honoured: no reason, an unknown rule, or bad syntax",
    what: "A `collectguard: allow RULE_ID reason=\"...\"` comment line (or a catalogue \
`suppress` entry) without a reason, with an empty reason, naming a rule that does not exist, or \
naming one of the suppression rules themselves. Such a suppression suppresses nothing.",
    why: "Accepting a compliance finding is a decision someone must be able to audit; the \
reason is that record. A suppression of a misspelt rule would silently fail to suppress.",
    instead: "`# collectguard: allow RULE_ID reason=\"why this is acceptable\"` with a rule id \
from `collectguard rules list`.",
    notes: None,
    examples: &[
        LintExample {
            name: "no reason",
            expect: Expect::Deny,
            template: "# collectguard: allow lint.unknown-placeholder\nHi {{nickname}}, please call us.\n",
        },
        LintExample {
            name: "with a reason",
            expect: Expect::Allow,
            template: "# collectguard: allow lint.unknown-placeholder reason=\"nickname is the name the borrower chose\"\nHi {{nickname}}, please call us.\n",
        },
    ],

};

pub(crate) static UNUSED: LintRule = LintRule {
    id: UNUSED_SUPPRESSION,
    category: None,
    severity: Severity::Review,
    citation: "none (tooling): a suppression that no longer applies should be removed",
    confidence: Confidence::V1,
    summary: "a suppression that suppresses nothing",
    what: "A valid suppression whose rule produced no finding where the suppression applies \
(the whole template, or the next line of text).",
    why: "A stale suppression would silently accept the finding if it came back, without anyone \
re-reading the template.",
    instead: "Remove the suppression.",
    notes: None,
    examples: &[
        LintExample {
            name: "nothing left to suppress",
            expect: Expect::Review,
            template: "# collectguard: allow lint.unknown-placeholder reason=\"legacy name\"\nHi {{name}}, please call us.\n",
        },
        LintExample {
            name: "a suppression in use",
            expect: Expect::Allow,
            template: "# collectguard: allow lint.unknown-placeholder reason=\"nickname is the name the borrower chose\"\nHi {{nickname}}, please call us.\n",
        },
    ],

};

static RULES: &[&LintRule] = &[&PII, &DEBT, &UNKNOWN, &INVALID, &UNUSED];

/// Every rule of the linter itself.
pub fn lint_rules() -> &'static [&'static LintRule] {
    RULES
}

/// A linter rule by id.
pub fn lint_rule(id: &str) -> Option<&'static LintRule> {
    RULES.iter().copied().find(|r| r.id == id)
}
