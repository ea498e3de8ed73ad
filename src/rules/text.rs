//! `text`: what a message says. Phrase lists per category, allow-phrases, context patterns,
//! PII detectors, and required content.
//!
//! All text rules of a pack compile into one [`PackText`] (one automaton over every phrase
//! of every rule: triggers, allow-phrases, context words and required phrases); a message is
//! normalised once ([`crate::text::Prepared`]) and scanned once per pack.
//!
//! A rule fires on a *trigger* (a phrase of `phrases`, or of a context's `triggers`) unless
//! - an *allow-phrase* of the rule contains it (`大麻烦` contains `大麻`), or
//! - a context that applies to it says no: `require` contexts need one of their words within
//!   `within` characters (on `side`, in the same sentence unless `across_sentences`),
//!   `exempt` contexts must have none there. A context with `triggers` applies to those
//!   phrases; without, to every trigger of the rule except those it names in `except`. A
//!   `quoted` context applies only to a trigger inside quotation marks.
//!
//! Allow-phrases and context words are lawful words, written plainly: they never match across
//! a Chinese clause comma (`如您仍不联系，我们将……` holds no `联系我们`); triggers do, since
//! evasion puts filler anywhere.
//!
//! A rule reports its first finding, except that a finding of a trigger named in
//! `stands_alone` (it stands without the models' confirmation) is preferred to an earlier one.
//!
//! It also fires on validated personal data of the kinds in `pii`, and, when
//! `require_any` is given, on a message holding none of those phrases (required content).
//!
//! Phrase lists may name lexicons shared by packs: `@zh/legal:jail` is the list `jail` of
//! `rules/lexicons/zh/legal.toml`.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::{Fired, Scope};
use crate::model::{Channel, Party, Purpose};
use crate::pack::{PackCtx, Source};
use crate::text::matcher::{Hit, Matcher, MatcherBuilder};
use crate::text::pii::{self, PiiKind};
use crate::text::Prepared;

/// Default context window, in normalised characters.
fn default_within() -> usize {
    12
}

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
    /// Context patterns.
    #[serde(default)]
    pub context: Vec<ContextDef>,
    /// Whether one-word Latin phrases also match masked spellings (`f***`, `sh*t`).
    #[serde(default)]
    pub masked: bool,
    /// Personal data that fires the rule.
    #[serde(default)]
    pub pii: Vec<PiiKind>,
    /// Required content: the rule fires when the message holds none of these.
    #[serde(default)]
    pub require_any: Vec<String>,
    /// Whether the pack's text models of the rule's category confirm its findings
    /// (`confirm_at`): `false` for a rule whose messages the model does not read well, whose
    /// findings stand on their own.
    #[serde(default = "yes")]
    pub model_confirms: bool,
    /// Triggers whose findings stand without the models' confirmation when not inside
    /// quotation marks: words that condemn in any sentence they are used in (`厚颜无耻`,
    /// `a person of low character`), whose lawful uses (a quote, a denial) the rule's contexts
    /// already exempt. A long, courteous letter reads as lawful to a model and vetoed the one
    /// such word in it. Each must be a trigger of the rule.
    #[serde(default)]
    pub stands_alone: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Which side of the trigger a context word must be on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Side {
    /// Before or after.
    #[default]
    Either,
    /// Before the trigger.
    Before,
    /// After the trigger.
    After,
}

/// What a context word does to a trigger near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Polarity {
    /// The trigger fires only with a context word near it.
    Require,
    /// A context word near the trigger suppresses it.
    Exempt,
}

/// `[[rule.params.context]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContextDef {
    /// What the context is for (documentation).
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
    /// The phrases it applies to (they trigger the rule); all triggers when empty.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// The triggers it does not apply to, for a context without `triggers` (an exempt frame
    /// that must not excuse the gravest phrases). Each must be a trigger of the rule.
    #[serde(default)]
    pub except: Vec<String>,
    /// The context words.
    pub words: Vec<String>,
    /// How near, in normalised characters (a CJK character or a Latin letter each count 1).
    #[serde(default = "default_within")]
    pub within: usize,
    /// On which side.
    #[serde(default)]
    pub side: Side,
    /// Require or exempt.
    pub polarity: Polarity,
    /// Whether a context word in another sentence counts.
    #[serde(default)]
    pub across_sentences: bool,
    /// `require` contexts of one group are alternatives: one of them suffices. Contexts
    /// without a group must each be met.
    #[serde(default)]
    pub group: Option<String>,
    /// Whether the context applies only to a trigger inside quotation marks (`“坐牢”`,
    /// `'pre-legal'`): a report, warning or apology that quotes the words it is about.
    #[serde(default)]
    pub quoted: bool,
}

/// A context, compiled.
#[derive(Debug, Clone)]
struct Context {
    words: Vec<String>,
    within: usize,
    side: Side,
    polarity: Polarity,
    across_sentences: bool,
    /// Alternatives share a group number.
    group: Option<usize>,
    /// Applies only to a trigger inside quotation marks.
    quoted: bool,
}

/// Most contexts one rule may have.
const MAX_CONTEXTS: usize = 64;

/// A compiled text rule.
#[derive(Debug)]
pub(crate) struct TextRule {
    #[allow(dead_code)]
    pub scope: Scope,
    /// Trigger phrases with the contexts (bit mask) that apply to each.
    triggers: Vec<(String, u64)>,
    /// Which triggers stand without the models' confirmation (`Params::stands_alone`),
    /// by index into `triggers`.
    alone: Vec<bool>,
    allow: Vec<String>,
    contexts: Vec<Context>,
    masked: bool,
    pii: Vec<PiiKind>,
    require_any: Vec<String>,
    /// Whether the pack's text models confirm its findings (`Params::model_confirms`).
    pub model_confirms: bool,
}

impl TextRule {
    /// Compiles the parameters; errors are messages for the rule's `params` table.
    pub fn compile(params: Params, scope: &Scope, pack: &PackCtx) -> Result<TextRule, String> {
        let mut lex = Lexicons::new(pack.lexicons);
        if params.context.len() > MAX_CONTEXTS {
            return Err(format!("at most {MAX_CONTEXTS} contexts per rule"));
        }
        let general: u64 = params
            .context
            .iter()
            .enumerate()
            .filter(|(_, c)| c.triggers.is_empty())
            .fold(0, |m, (k, _)| m | (1 << k));
        let mut triggers: Vec<(String, u64)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |p: String, mask: u64| match index.get(&p) {
            Some(&i) => {
                if let Some(t) = triggers.get_mut(i) {
                    t.1 |= mask;
                }
            }
            None => {
                index.insert(p.clone(), triggers.len());
                triggers.push((p, mask));
            }
        };
        for p in lex.resolve(&params.phrases, "phrases")? {
            add(p, general);
        }
        let mut contexts = Vec::with_capacity(params.context.len());
        let mut groups: Vec<&str> = Vec::new();
        for (k, c) in params.context.iter().enumerate() {
            let what = format!("context {}", k + 1);
            if c.words.is_empty() {
                return Err(format!("{what}: `words` is empty"));
            }
            if c.within == 0 {
                return Err(format!("{what}: `within` must be at least 1"));
            }
            for p in lex.resolve(&c.triggers, &what)? {
                add(p, general | (1 << k));
            }
            let group = match &c.group {
                None => None,
                Some(_) if c.polarity == Polarity::Exempt => {
                    return Err(format!("{what}: `group` is for `require` contexts"));
                }
                Some(g) => Some(match groups.iter().position(|x| *x == g.as_str()) {
                    Some(i) => i,
                    None => {
                        groups.push(g);
                        groups.len() - 1
                    }
                }),
            };
            contexts.push(Context {
                words: lex.resolve(&c.words, &what)?,
                within: c.within,
                side: c.side,
                polarity: c.polarity,
                across_sentences: c.across_sentences,
                group,
                quoted: c.quoted,
            });
        }
        for (k, c) in params.context.iter().enumerate() {
            if c.except.is_empty() {
                continue;
            }
            let what = format!("context {}", k + 1);
            if !c.triggers.is_empty() {
                return Err(format!(
                    "{what}: `except` is for a context without `triggers`"
                ));
            }
            for p in lex.resolve(&c.except, &what)? {
                match index.get(&p).and_then(|&i| triggers.get_mut(i)) {
                    Some(t) => t.1 &= !(1 << k),
                    None => {
                        return Err(format!(
                            "{what}: `except` names `{p}`, which is not a trigger of this rule"
                        ))
                    }
                }
            }
        }
        let mut alone = vec![false; triggers.len()];
        for p in lex.resolve(&params.stands_alone, "stands_alone")? {
            match index.get(&p).and_then(|&i| alone.get_mut(i)) {
                Some(a) => *a = true,
                None => {
                    return Err(format!(
                        "`stands_alone` names `{p}`, which is not a trigger of this rule"
                    ))
                }
            }
        }
        let allow = lex.resolve(&params.allow, "allow")?;
        let require_any = lex.resolve(&params.require_any, "require_any")?;
        if triggers.is_empty() && params.pii.is_empty() && require_any.is_empty() {
            return Err(
                "a text rule needs `phrases`, context `triggers`, `pii` or `require_any`".into(),
            );
        }
        if !require_any.is_empty() && !triggers.is_empty() {
            return Err("`require_any` (required content) cannot be combined with trigger phrases in one rule".into());
        }
        // Check every phrase normalises to something matchable.
        let mut check = MatcherBuilder::default();
        for p in triggers
            .iter()
            .map(|(p, _)| p)
            .chain(&allow)
            .chain(&require_any)
            .chain(contexts.iter().flat_map(|c| &c.words))
        {
            check.add(p, 0, false, false)?;
        }
        Ok(TextRule {
            scope: scope.clone(),
            triggers,
            alone,
            allow,
            contexts,
            masked: params.masked,
            pii: params.pii,
            require_any,
            model_confirms: params.model_confirms,
        })
    }
}

impl TextRule {
    /// The trigger phrases as written (lexicon references expanded), for
    /// [`crate::Engine::bench_phrases`].
    pub(crate) fn trigger_phrases(&self) -> impl Iterator<Item = &str> {
        self.triggers.iter().map(|(p, _)| p.as_str())
    }
}

/// The phrases of `list` with `@lexicon:list` references expanded from `sources` (for a
/// rule kind other than `text` that reads phrase lists: `text_model`'s `unless_message`).
pub(crate) fn resolve_phrases(
    sources: &BTreeMap<String, Source>,
    list: &[String],
    what: &str,
) -> Result<Vec<String>, String> {
    Lexicons::new(sources).resolve(list, what)
}

/// Lexicon files, parsed on demand while compiling a rule.
struct Lexicons<'a> {
    sources: &'a BTreeMap<String, Source>,
    parsed: HashMap<String, toml::Table>,
}

/// How deep lexicon lists may refer to other lists.
const MAX_LEXICON_DEPTH: usize = 8;

impl<'a> Lexicons<'a> {
    fn new(sources: &'a BTreeMap<String, Source>) -> Lexicons<'a> {
        Lexicons {
            sources,
            parsed: HashMap::new(),
        }
    }

    /// The phrases of a list, with `@lexicon:list` references expanded.
    fn resolve(&mut self, list: &[String], what: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::with_capacity(list.len());
        for p in list {
            self.expand(p, what, 0, &mut out)?;
        }
        Ok(out)
    }

    fn expand(
        &mut self,
        p: &str,
        what: &str,
        depth: usize,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some(reference) = p.strip_prefix('@') else {
            if p.trim().is_empty() {
                return Err(format!("{what}: an empty phrase"));
            }
            out.push(p.to_string());
            return Ok(());
        };
        if depth >= MAX_LEXICON_DEPTH {
            return Err(format!("{what}: lexicon references nest deeper than {MAX_LEXICON_DEPTH} (a cycle?) at `{p}`"));
        }
        let Some((name, key)) = reference.split_once(':') else {
            return Err(format!("{what}: `{p}`: a lexicon reference reads `@<lexicon>:<list>`, e.g. `@zh/legal:jail`"));
        };
        if !self.parsed.contains_key(name) {
            let Some(src) = self.sources.get(name) else {
                let hint = crate::pack::did_you_mean(&crate::pack::closest(
                    name,
                    self.sources.keys().map(String::as_str),
                ));
                return Err(format!("{what}: unknown lexicon `{name}`{hint}"));
            };
            let table: toml::Table = toml::from_str(&src.text)
                .map_err(|e| format!("lexicon `{name}` ({}): {}", src.path, e.message().trim()))?;
            self.parsed.insert(name.to_string(), table);
        }
        let items: Vec<String> = {
            let table = self
                .parsed
                .get(name)
                .ok_or_else(|| format!("lexicon `{name}` is missing"))?;
            let Some(value) = table.get(key) else {
                let keys = table
                    .keys()
                    .filter(|k| k.as_str() != "description")
                    .map(String::as_str);
                let hint = crate::pack::did_you_mean(&crate::pack::closest(key, keys));
                return Err(format!(
                    "{what}: lexicon `{name}` has no list `{key}`{hint}"
                ));
            };
            let Some(arr) = value.as_array() else {
                return Err(format!(
                    "lexicon `{name}`: `{key}` is not a list of phrases"
                ));
            };
            arr.iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        format!("lexicon `{name}`: `{key}` holds a value that is not a string")
                    })
                })
                .collect::<Result<_, _>>()?
        };
        for item in items {
            self.expand(&item, what, depth + 1, out)?;
        }
        Ok(())
    }
}

/// What a text is checked as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextInput {
    pub channel: Channel,
    #[allow(dead_code)]
    pub to: Party,
    #[allow(dead_code)]
    pub purpose: Purpose,
}

/// What a phrase does for its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Fires the rule, subject to the contexts in the mask; whether its finding stands
    /// without the models' confirmation.
    Trigger(u64, bool),
    /// Suppresses a trigger it contains.
    Allow,
    /// A word of the rule's context `k`.
    Word(usize),
    /// Required content.
    Required,
}

/// One phrase of one rule.
#[derive(Debug, Clone, Copy)]
struct UseDef {
    slot: usize,
    role: Role,
}

/// A text rule's place in the pack and what the matcher cannot answer.
#[derive(Debug)]
struct Slot {
    /// Index of the rule in its pack.
    index: usize,
    /// How far apart (bytes of the normalised text) the starts of a trigger and of an
    /// allow-phrase or context word that bears on it can be.
    reach: usize,
    contexts: Vec<Context>,
    pii: Vec<PiiKind>,
    required: bool,
    /// Whether some trigger stands without the models' confirmation: then a finding that
    /// stands is preferred to an earlier one that does not.
    has_alone: bool,
}

/// Every text rule of a pack, compiled together.
#[derive(Debug, Default)]
pub(crate) struct PackText {
    matcher: Matcher,
    uses: Vec<UseDef>,
    slots: Vec<Slot>,
    wants_pii: bool,
}

impl PackText {
    /// Builds the pack's matcher; `rules` pairs each text rule with its index in the pack.
    pub fn build(rules: &[(usize, &TextRule)]) -> Result<PackText, String> {
        let mut b = MatcherBuilder::default();
        let mut uses = Vec::new();
        let mut slots = Vec::with_capacity(rules.len());
        let mut add = |b: &mut MatcherBuilder,
                       phrase: &str,
                       use_def: UseDef,
                       masked: bool|
         -> Result<usize, String> {
            let payload = u32::try_from(uses.len()).map_err(|_| "too many phrases".to_string())?;
            uses.push(use_def);
            // Lawful words (allow-phrases, context words) are read plainly: never across a
            // Chinese clause comma. Triggers are, as evasion puts filler anywhere.
            let plain = matches!(use_def.role, Role::Allow | Role::Word(_));
            b.add(phrase, payload, masked, plain).map(|norm| norm.len())
        };
        for (slot, (index, rule)) in rules.iter().enumerate() {
            // The longest normalised phrase of the rule, to bound how far apart two hits
            // that matter to each other can start.
            let mut longest = 0usize;
            for (k, (p, mask)) in rule.triggers.iter().enumerate() {
                let alone = rule.alone.get(k).copied().unwrap_or(false);
                add(
                    &mut b,
                    p,
                    UseDef {
                        slot,
                        role: Role::Trigger(*mask, alone),
                    },
                    rule.masked,
                )
                .map(|n| longest = longest.max(n))?;
            }
            for p in &rule.allow {
                add(
                    &mut b,
                    p,
                    UseDef {
                        slot,
                        role: Role::Allow,
                    },
                    false,
                )
                .map(|n| longest = longest.max(n))?;
            }
            for (k, c) in rule.contexts.iter().enumerate() {
                for w in &c.words {
                    add(
                        &mut b,
                        w,
                        UseDef {
                            slot,
                            role: Role::Word(k),
                        },
                        false,
                    )
                    .map(|n| longest = longest.max(n))?;
                }
            }
            for p in &rule.require_any {
                add(
                    &mut b,
                    p,
                    UseDef {
                        slot,
                        role: Role::Required,
                    },
                    false,
                )?;
            }
            let widest = rule.contexts.iter().map(|c| c.within).max().unwrap_or(0);
            slots.push(Slot {
                index: *index,
                reach: widest
                    .saturating_mul(4)
                    .saturating_add(longest)
                    .saturating_add(8),
                contexts: rule.contexts.clone(),
                pii: rule.pii.clone(),
                required: !rule.require_any.is_empty(),
                has_alone: rule.alone.contains(&true),
            });
        }
        let wants_pii = slots.iter().any(|s| !s.pii.is_empty());
        Ok(PackText {
            matcher: b.build()?,
            uses,
            slots,
            wants_pii,
        })
    }

    /// Whether the pack has any text rule.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Runs every text rule over a prepared message; pushes `(rule index, fired)`, at most
    /// one per rule (its first finding).
    #[cfg(test)]
    pub fn check(&self, prepared: &mut Prepared, input: &TextInput, out: &mut Vec<(usize, Fired)>) {
        self.check_where(prepared, input, |_| true, out);
    }

    /// [`PackText::check`] for the rules whose index `applies` accepts (the engine passes the
    /// rules whose scope covers the attempt): the others are not judged, so nothing is
    /// written for a finding that would be dropped, and personal data is looked for only
    /// when a rule that applies asks for it.
    pub fn check_where(
        &self,
        prepared: &mut Prepared,
        input: &TextInput,
        applies: impl Fn(usize) -> bool,
        out: &mut Vec<(usize, Fired)>,
    ) {
        if self.slots.is_empty() || !self.slots.iter().any(|s| applies(s.index)) {
            return;
        }
        let mut hits = std::mem::take(&mut prepared.scratch.hits);
        hits.clear();
        self.matcher.scan(prepared, &mut hits);
        // In a transcript, the other party's words are not the collector's, nor is the
        // transcriber's label of the collector (`催收员：`).
        let others = prepared.has_other_turns(input.channel);
        if others || prepared.has_labels(input.channel) {
            hits.retain(|h| !prepared.spoken_by_other(h.start) && !prepared.in_label(h.start));
        }
        let slot_of = |h: &Hit| {
            self.uses
                .get(h.payload as usize)
                .map_or(usize::MAX, |u| u.slot)
        };
        // By rule, then by position; at one position the longest match first (it is the
        // better evidence).
        hits.sort_unstable_by_key(|h| (slot_of(h), h.start, std::cmp::Reverse(h.end)));
        let wants_pii = self.wants_pii
            && self
                .slots
                .iter()
                .any(|s| !s.pii.is_empty() && applies(s.index));
        if wants_pii && !prepared.scratch.pii_done {
            let mut found = std::mem::take(&mut prepared.scratch.pii);
            found.clear();
            pii::scan(prepared.original(), &PiiKind::ALL, &mut found);
            prepared.scratch.pii = found;
            prepared.scratch.pii_done = true;
        }
        let mut pos = 0;
        for (slot_no, slot) in self.slots.iter().enumerate() {
            let begin = pos;
            while hits.get(pos).is_some_and(|h| slot_of(h) == slot_no) {
                pos += 1;
            }
            let mine = hits.get(begin..pos).unwrap_or(&[]);
            if !applies(slot.index) {
                continue;
            }
            if let Some(f) = self.judge(slot, mine, prepared) {
                out.push((slot.index, f));
            }
        }
        prepared.scratch.hits = hits;
    }

    fn role(&self, h: &Hit) -> Option<Role> {
        self.uses.get(h.payload as usize).map(|u| u.role)
    }

    /// The first finding of one rule, from its hits (sorted by start).
    fn judge(&self, slot: &Slot, mine: &[Hit], prepared: &Prepared) -> Option<Fired> {
        if slot.required {
            let present = mine.iter().any(|h| self.role(h) == Some(Role::Required));
            return (!present).then(Fired::default);
        }
        let norm = prepared.norm();
        // The first finding, kept while a later one that stands alone is looked for.
        let mut first: Option<Fired> = None;
        for t in mine {
            let Some(Role::Trigger(mask, alone)) = self.role(t) else {
                continue;
            };
            // Only hits that start near the trigger can bear on it (`mine` is sorted by
            // start): this keeps a long message linear.
            let from = mine.partition_point(|h| h.start + slot.reach < t.start);
            let to = mine.partition_point(|h| h.start <= t.end + slot.reach);
            let near_hits = mine.get(from..to.max(from)).unwrap_or(&[]);
            let allowed = near_hits
                .iter()
                .any(|a| self.role(a) == Some(Role::Allow) && a.start <= t.start && t.end <= a.end);
            if allowed {
                continue;
            }
            let found = |k: usize, c: &Context| {
                near_hits
                    .iter()
                    .any(|w| self.role(w) == Some(Role::Word(k)) && near(w, t, c, norm))
            };
            let applies = |k: usize| mask & (1 << k) != 0;
            // Asked at most once per trigger, and only by a context that needs it.
            let mut quoted: Option<bool> = None;
            let mut in_quotes = || {
                *quoted.get_or_insert_with(|| {
                    prepared
                        .span(t.start, t.end)
                        .is_some_and(|s| crate::text::quotes::inside(prepared.original(), s))
                })
            };
            // Exempt contexts: none may match. Ungrouped require contexts: each must match.
            // Grouped require contexts: in each group that applies, one must match.
            let mut groups_met: u64 = 0;
            let mut groups_seen: u64 = 0;
            let mut pass = true;
            for (k, c) in slot.contexts.iter().enumerate() {
                if !applies(k) || (c.quoted && !in_quotes()) {
                    continue;
                }
                match (c.polarity, c.group) {
                    // An exempt word inside the trigger is part of the phrase the rule
                    // names ("nobody is going to protect you"), not a lawful frame around it.
                    (Polarity::Exempt, _) => {
                        pass &= !near_hits.iter().any(|w| {
                            self.role(w) == Some(Role::Word(k))
                                && !(t.start <= w.start && w.end <= t.end)
                                && near(w, t, c, norm)
                        })
                    }
                    (Polarity::Require, None) => pass &= found(k, c),
                    (Polarity::Require, Some(g)) => {
                        let bit = 1u64 << (g % 64);
                        groups_seen |= bit;
                        if groups_met & bit == 0 && found(k, c) {
                            groups_met |= bit;
                        }
                    }
                }
                if !pass {
                    break;
                }
            }
            if !pass || groups_met != groups_seen {
                continue;
            }
            let Some(span) = prepared.span(t.start, t.end) else {
                continue;
            };
            let phrase = span.text(prepared.original()).unwrap_or("").to_string();
            let fired = Fired {
                vars: vec![("phrase", phrase.clone())],
                span: Some(span),
                evidence: Some(phrase),
                stands_alone: alone && !in_quotes(),
            };
            if fired.stands_alone || !slot.has_alone {
                return Some(fired);
            }
            first.get_or_insert(fired);
        }
        if first.is_some() {
            return first;
        }
        if !slot.pii.is_empty() {
            let m = prepared
                .scratch
                .pii
                .iter()
                .find(|m| slot.pii.contains(&m.kind))?;
            return Some(Fired {
                vars: vec![
                    ("kind", m.kind.label().to_string()),
                    ("phrase", m.masked.clone()),
                ],
                span: Some(m.span),
                evidence: Some(m.masked.clone()),
                stands_alone: false,
            });
        }
        None
    }
}

/// Whether context word `w` is near trigger `t` as context `c` asks.
fn near(w: &Hit, t: &Hit, c: &Context, norm: &str) -> bool {
    let (from, to) = if w.end <= t.start {
        if c.side == Side::After {
            return false;
        }
        (w.end, t.start)
    } else if w.start >= t.end {
        if c.side == Side::Before {
            return false;
        }
        (t.end, w.start)
    } else {
        // Overlapping: as near as can be.
        return true;
    };
    let Some(gap) = norm.get(from..to) else {
        return false;
    };
    // A quick bound before counting: a counted character takes at most 9 bytes (a Hangul
    // syllable spelled as three jamo; any other character 4 at most).
    if gap.len() > c.within.saturating_mul(9) {
        return false;
    }
    if !c.across_sentences && gap.contains('\n') {
        return false;
    }
    // Spaces and sentence breaks are not characters of the text: a header line is as near
    // its body as the words are. A Hangul syllable counts once whether it is written composed
    // or as conjoining jamo (NFKC composes them): only its leading consonant is counted.
    gap.chars()
        .filter(|&ch| ch != ' ' && ch != '\n' && !('\u{1160}'..='\u{11FF}').contains(&ch))
        .count()
        <= c.within
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn pack_text(params: &str, lexicons: &[(&str, &str)]) -> Result<PackText, String> {
        let params: Params = toml::from_str(params).map_err(|e| e.to_string())?;
        let lex: BTreeMap<String, Source> = lexicons
            .iter()
            .map(|(n, t)| {
                (
                    n.to_string(),
                    Source {
                        path: format!("lexicons/{n}.toml"),
                        text: Cow::Owned(t.to_string()),
                    },
                )
            })
            .collect();
        let calendars = HashMap::new();
        let ctx = PackCtx {
            pack: "t",
            calendars: &calendars,
            lexicons: &lex,
            models: &BTreeMap::new(),
        };
        let rule = TextRule::compile(params, &Scope::default(), &ctx)?;
        PackText::build(&[(0, &rule)])
    }

    /// The first finding of `pt` on `text`, sent by SMS to the borrower.
    fn first_finding(pt: &PackText, text: &str) -> Option<Fired> {
        let mut p = Prepared::default();
        p.prepare(text);
        let input = TextInput {
            channel: Channel::Sms,
            to: Party::Borrower,
            purpose: Purpose::Collection,
        };
        let mut out = Vec::new();
        pt.check(&mut p, &input, &mut out);
        out.into_iter().next().map(|(_, f)| f)
    }

    fn fired(pt: &PackText, text: &str) -> Option<String> {
        first_finding(pt, text).map(|f| f.evidence.unwrap_or_default())
    }

    #[test]
    fn stands_alone_outside_quotes_only() {
        let pt = pack_text(
            "phrases = [\"厚颜无耻\", \"老赖\"]\nstands_alone = [\"厚颜无耻\"]",
            &[],
        )
        .unwrap();
        let alone = |text: &str| first_finding(&pt, text).map(|f| f.stands_alone);
        assert_eq!(
            alone("鉴于阁下一贯厚颜无耻的还款态度，请于七日内清偿。"),
            Some(true)
        );
        assert_eq!(alone("您这个老赖"), Some(false));
        // Quoted, it is judged like any finding (a complaint reply quoting the word).
        assert_eq!(alone("您投诉催收员骂您“厚颜无耻”"), Some(false));
    }

    #[test]
    fn allow_phrases_suppress_what_they_contain() {
        let pt = pack_text(
            r#"phrases = ["大麻"]
allow = ["大麻烦"]"#,
            &[],
        )
        .unwrap();
        assert_eq!(fired(&pt, "这不是什么大麻烦").as_deref(), None);
        assert_eq!(fired(&pt, "他在卖大麻").as_deref(), Some("大麻"));
        assert_eq!(fired(&pt, "大麻烦，大麻").as_deref(), Some("大麻"));
    }

    #[test]
    fn exempt_context_by_side_and_sentence() {
        let pt = pack_text(
            r#"phrases = ["起诉"]
[[context]]
words = ["依法", "可能"]
within = 6
side = "before"
polarity = "exempt""#,
            &[],
        )
        .unwrap();
        assert_eq!(fired(&pt, "明天就起诉你").as_deref(), Some("起诉"));
        assert_eq!(fired(&pt, "我司将依法起诉").as_deref(), None);
        assert_eq!(fired(&pt, "我们可能会向法院起诉").as_deref(), None);
        // After the trigger, or in another sentence, the word does not count.
        assert_eq!(fired(&pt, "起诉是依法的").as_deref(), Some("起诉"));
        assert_eq!(fired(&pt, "依法。起诉你").as_deref(), Some("起诉"));
    }

    #[test]
    fn except_keeps_named_triggers_out_of_a_general_context() {
        let pt = pack_text(
            r#"phrases = ["坐牢", "砍死你"]
[[context]]
words = ["谨防诈骗"]
within = 20
polarity = "exempt"
except = ["砍死你"]"#,
            &[],
        )
        .unwrap();
        assert_eq!(fired(&pt, "谨防诈骗：说你要坐牢的都是骗子"), None);
        assert_eq!(fired(&pt, "谨防诈骗？砍死你").as_deref(), Some("砍死你"));
        let not_a_trigger = pack_text(
            r#"phrases = ["坐牢"]
[[context]]
words = ["谨防诈骗"]
polarity = "exempt"
except = ["拘留"]"#,
            &[],
        );
        assert!(not_a_trigger.unwrap_err().contains("not a trigger"));
        let with_triggers = pack_text(
            r#"phrases = ["坐牢"]
[[context]]
triggers = ["坐牢"]
words = ["谨防诈骗"]
polarity = "exempt"
except = ["坐牢"]"#,
            &[],
        );
        assert!(with_triggers.unwrap_err().contains("without `triggers`"));
    }

    #[test]
    fn quoted_context_applies_only_to_quoted_triggers() {
        let pt = pack_text(
            r#"phrases = ["坐牢", "加油"]
[[context]]
words = ["短信", "通报", "冒充"]
within = 30
across_sentences = true
polarity = "exempt"
quoted = true"#,
            &[],
        )
        .unwrap();
        // A report quoting the threat passes; the same words unquoted, or scare quotes
        // without a reporting word, still fire.
        assert_eq!(
            fired(&pt, "警情通报：有人冒充平台发送“不还钱就坐牢”的短信"),
            None
        );
        assert_eq!(fired(&pt, "通报：不还钱就坐牢").as_deref(), Some("坐牢"));
        assert_eq!(
            fired(&pt, "你女儿中考那天，我们也会有人去“加油”的").as_deref(),
            Some("加油")
        );
    }

    #[test]
    fn exempt_word_inside_the_trigger_does_not_exempt_it() {
        let pt = pack_text(
            r#"phrases = ["nobody can save you", "save you"]
[[context]]
words = ["nobody"]
within = 20
side = "before"
polarity = "exempt""#,
            &[],
        )
        .unwrap();
        assert_eq!(
            fired(&pt, "Pay now: nobody can save you").as_deref(),
            Some("nobody can save you")
        );
        assert_eq!(fired(&pt, "Nobody here wants to save you trouble"), None);
    }

    #[test]
    fn require_context_within_window() {
        let pt = pack_text(
            r#"[[context]]
triggers = ["通讯录"]
words = ["发给", "曝光"]
within = 8
polarity = "require""#,
            &[],
        )
        .unwrap();
        assert_eq!(
            fired(&pt, "把你的欠款信息发给你通讯录里所有人").as_deref(),
            Some("通讯录")
        );
        assert_eq!(fired(&pt, "请更新您的通讯录").as_deref(), None);
        assert_eq!(
            fired(&pt, "发给我们一份材料，我们会核对很久很久之后再看通讯录").as_deref(),
            None
        );
    }

    #[test]
    fn grouped_contexts_are_alternatives() {
        let pt = pack_text(
            r#"[[context]]
triggers = ["通讯录"]
words = ["发给"]
within = 4
polarity = "require"
group = "tell"
[[context]]
triggers = ["通讯录"]
words = ["标注"]
within = 30
polarity = "require"
group = "tell"
[[context]]
triggers = ["通讯录"]
words = ["不会"]
within = 10
side = "before"
polarity = "exempt""#,
            &[],
        )
        .unwrap();
        assert!(fired(&pt, "发给你通讯录").is_some());
        assert!(fired(&pt, "你通讯录里这几个人我们已经标注好了").is_some());
        assert!(fired(&pt, "我们不会发给你通讯录").is_none());
        assert!(fired(&pt, "你的通讯录").is_none());
    }

    #[test]
    fn lexicon_references_expand() {
        let lex = [(
            "zh/legal",
            "description = \"x\"\njail = [\"坐牢\", \"@zh/legal:detain\"]\ndetain = [\"拘留\"]\n",
        )];
        let pt = pack_text(r#"phrases = ["@zh/legal:jail"]"#, &lex).unwrap();
        assert_eq!(fired(&pt, "要拘留你").as_deref(), Some("拘留"));
        let err = pack_text(r#"phrases = ["@zh/legl:jail"]"#, &lex).unwrap_err();
        assert!(
            err.contains("unknown lexicon `zh/legl` (did you mean `zh/legal`?)"),
            "{err}"
        );
        let err = pack_text(r#"phrases = ["@zh/legal:jial"]"#, &lex).unwrap_err();
        assert!(err.contains("has no list `jial`"), "{err}");
        let cyc = [("a", "x = [\"@a:x\"]")];
        assert!(pack_text(r#"phrases = ["@a:x"]"#, &cyc)
            .unwrap_err()
            .contains("nest deeper"));
    }

    #[test]
    fn required_content() {
        let pt = pack_text(r#"require_any = ["reply stop", "opt out"]"#, &[]).unwrap();
        assert!(fired(&pt, "Your payment is due. Reply STOP to opt out.").is_none());
        assert!(fired(&pt, "Your payment is due.").is_some());
    }

    #[test]
    fn pii_fires_with_masked_evidence() {
        let pt = pack_text(r#"pii = ["cn_id"]"#, &[]).unwrap();
        assert_eq!(
            fired(&pt, "身份证号110105198503123416").as_deref(),
            Some("110105********3416")
        );
        assert_eq!(fired(&pt, "身份证号110105198503123411"), None);
        assert_eq!(fired(&pt, "证件号110105********3416"), None);
    }

    #[test]
    fn bad_params_are_errors() {
        // `stands_alone` names triggers of the rule only.
        let err =
            pack_text("phrases = [\"厚颜无耻\"]\nstands_alone = [\"老赖\"]", &[]).unwrap_err();
        assert!(err.contains("not a trigger"), "{err}");
        assert!(pack_text("allow = [\"x\"]", &[]).is_err());
        assert!(pack_text("phrases = [\"***\"]", &[]).is_err());
        assert!(pack_text("phrases = [\"a\"]\nrequire_any = [\"b\"]", &[]).is_err());
        assert!(pack_text(
            "phrases = [\"a\"]\n[[context]]\nwords = []\npolarity = \"require\"",
            &[]
        )
        .is_err());
        assert!(pack_text("phrases = [\"a\"]\nbogus = 1", &[]).is_err());
    }
}
