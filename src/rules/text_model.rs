//! `text_model`: what a message reads as, for what no phrase list names. A linear model
//! (logistic regression) over the character n-grams of the normalised text, trained on the
//! labelled corpus by `examples/train_text_model.rs`; its weights are data, in
//! `rules/models/<lang>/<category>.toml`: a `[model]` header and `weights`, one line per
//! n-gram (`n-gram<TAB>weight`).
//!
//! A message's features are its distinct n-grams (`n` in the model's `ngrams` range, inside
//! one clause of the normalised text: `\n` ends a clause) and its addressee (`@to=borrower`,
//! `@to=third_party`), each worth `1 / sqrt(count)`. The score is
//! `sigmoid(bias + Σ weight × value)`, a number in `[0, 1]`.
//!
//! The rule fires when the score reaches `fire_at`; its evidence is the clause that adds most
//! to the score, personal data masked. With `confirm_at`, it also *confirms* the pack's other
//! text rules of its category: their findings stand only when the message scores at least
//! `confirm_at` (with `confirm_parties`, only on messages to those addressees). The score
//! that confirms may come from a model of its own (`confirm_model`): one trained to tell
//! the category's messages from lawful ones only, where the firing model is trained against
//! every other message too, so that it reads an insult as abuse and not as a threat. A phrase list
//! names words, and lawful messages use the same words; the model has read both kinds, and a
//! finding that it scores near zero is a lawful use (measured on sets the model was not
//! trained on: see `tests/data/corpus/README.md`). A finding the message does not confirm
//! may still stand on its own passage (`passage_model`): its clause and `passage_radius`
//! clauses either side, read alone, scoring at least `passage_at`; a threat buried in a long,
//! otherwise lawful letter is one sentence. A quoted finding never does: read alone, the words
//! a report or a training note quotes look like the threat itself. A message shorter
//! than `min_chars` is left to the phrase rules. In a transcript, the clauses the other party
//! said (`text::turns`) are left out of the n-grams, as the phrase rules leave them out.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use serde::Deserialize;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::text::TextInput;
use super::{Fired, PartyFilter};
use crate::model::{Channel, Party};
use crate::pack::{LoadError, PackCtx, Source};
use crate::text::matcher::{Matcher, MatcherBuilder};
use crate::text::pii;
use crate::text::{Ngrams, Prepared};
use crate::verdict::Category;

/// The rule file's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// The model: `zh/coercion` is `rules/models/zh/coercion.toml`.
    pub model: String,
    /// The score at or above which the rule fires.
    pub fire_at: f64,
    /// When given, the pack's other text rules of the rule's category keep a finding only
    /// when the message scores at least this much.
    #[serde(default)]
    pub confirm_at: Option<f64>,
    /// The model whose score `confirm_at` compares (`zh/coercion-confirm`); by default the
    /// rule's own. It must be trained for the rule's category.
    #[serde(default)]
    pub confirm_model: Option<String>,
    /// The messages whose findings `confirm_at` judges, by addressee (`any`, `borrower`,
    /// `third_party`); to others the phrase rules' findings stand as they are.
    #[serde(default)]
    pub confirm_parties: PartyFilter,
    /// The model judges only a message of at least this many characters (of the normalised
    /// text, spaces and breaks not counted, nor the other party's turns in a transcript): a
    /// short message's score rests on few n-grams,
    /// so it neither fires nor withholds confirmation; the phrase rules alone judge it.
    #[serde(default)]
    pub min_chars: usize,
    /// Phrases that keep the rule from firing when the clause the model weighs most (the one
    /// it quotes) holds one: a denial or a policy that names the words it is about (`you're
    /// not a loser`, `never use words like "deadbeat"`). The phrase rules still judge the
    /// message; this only stops the model reading a reassurance as what it denies.
    #[serde(default)]
    pub unless_clause: Vec<String>,
    /// Phrases (and `@lexicon:list` references) that keep the rule from firing when the
    /// message holds one anywhere: the header of a staff note, a training quiz or a report
    /// (`内部培训`, `call audits`), whose every sentence may quote what it is about. The
    /// model still confirms or withholds confirmation of the phrase rules' findings, and the
    /// phrase rules still judge the message.
    #[serde(default)]
    pub unless_message: Vec<String>,
    /// A model that reads one passage: when the message scores under `confirm_at`, a
    /// finding still stands if the passage around it (the clause holding it and
    /// `passage_radius` clauses either side) scores at least `passage_at` on this model,
    /// read alone. A threat buried in a long, otherwise lawful letter is one sentence; the
    /// whole letter reads as lawful (`zh/coercion-passage`).
    #[serde(default)]
    pub passage_model: Option<String>,
    /// The score at or above which `passage_model` keeps a finding.
    #[serde(default)]
    pub passage_at: Option<f64>,
    /// Clauses either side of the finding's own that make its passage (default 1).
    #[serde(default = "default_radius")]
    pub passage_radius: usize,
    /// Whether a finding whose passage scores under `passage_at` may still stand on its
    /// segment: the words between the pauses around it (a space or a `.!?;` after a Chinese
    /// character, where a chat message leaves out its full stops: `你是老赖 由于…`), read
    /// alone. For insults, which say what they say wherever they stand; a threat's meaning
    /// leans on the words around it (`会把你列入失信名单` after a judgment is true).
    #[serde(default)]
    pub passage_segments: bool,
    /// Whether a finding whose passage scores under `passage_at` may still stand on its
    /// neighbourhood: its clause and this many clauses either side, read alone as a message,
    /// scoring at least `confirm_at` on the confirming model. A long, courteous letter reads
    /// as lawful as a whole; the few sentences around its one threat read like the short
    /// message that threat would be on its own.
    #[serde(default)]
    pub confirm_radius: Option<usize>,
}

fn default_radius() -> usize {
    1
}

/// A model file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    model: Header,
}

/// `[model]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    /// What the model was trained for.
    category: Category,
    /// The shortest and longest n-gram, in characters.
    ngrams: [usize; 2],
    bias: f64,
    /// How it was trained (read by people).
    #[allow(dead_code)]
    #[serde(default)]
    trained: String,
    /// One line per n-gram: the n-gram, a tab, its weight. A TOML table of tens of thousands
    /// of keys would take longer to read than the whole pack.
    weights: toml::Spanned<String>,
}

/// The longest n-gram a model may use.
const MAX_N: usize = 8;

/// Feature names for the addressee.
const TO_BORROWER: &str = "@to=borrower";
const TO_THIRD_PARTY: &str = "@to=third_party";

/// The weights of a model, shared by the packs that use it.
#[derive(Debug)]
pub(crate) struct Weights {
    category: Category,
    min_n: usize,
    max_n: usize,
    bias: f64,
    /// By [`gram_hash`] of the n-gram: a message's n-grams are hashed once and looked up
    /// without building a string.
    weights: FxHashMap<u64, f64>,
}

impl Weights {
    /// Parses a model file; errors name the file and line.
    fn parse(src: &Source) -> Result<Weights, LoadError> {
        let file: ModelFile = toml::from_str(&src.text)
            .map_err(|e| src.error_at(e.span().map_or(0, |s| s.start), e.message().trim()))?;
        let h = file.model;
        let header_err = |m: String| src.error_at(0, format!("`[model]`: {m}"));
        let [min_n, max_n] = h.ngrams;
        if min_n == 0 || min_n > max_n || max_n > MAX_N {
            return Err(header_err(format!(
                "`ngrams` is `[min, max]` with 1 <= min <= max <= {MAX_N}"
            )));
        }
        if !h.bias.is_finite() {
            return Err(header_err("`bias` is not a number".into()));
        }
        let block = weights_start(&src.text, h.weights.span());
        let text = h.weights.into_inner();
        let mut weights = FxHashMap::with_capacity_and_hasher(text.len() / 12, Default::default());
        let mut offset = block;
        for line in text.split('\n') {
            let at = offset;
            offset += line.len() + 1;
            if line.is_empty() {
                continue;
            }
            let parsed = line
                .rsplit_once('\t')
                .and_then(|(g, w)| Some((g, w.parse::<f64>().ok()?)))
                .filter(|(g, w)| !g.is_empty() && w.is_finite());
            let Some((gram, w)) = parsed else {
                return Err(src.error_at(
                    at,
                    "`weights`: a line is an n-gram, a tab and a finite number",
                ));
            };
            weights.insert(gram_hash(gram), w);
        }
        Ok(Weights {
            category: h.category,
            min_n,
            max_n,
            bias: h.bias,
            weights,
        })
    }

    fn weight(&self, hash: u64) -> f64 {
        self.weights.get(&hash).copied().unwrap_or(0.0)
    }

    /// The score, in `[0, 1]`, of a message with these distinct n-grams (`(hash, start)`,
    /// from [`hashed_ngrams`] with this model's range) sent to `to`.
    fn score(&self, grams: &[(u64, usize)], to: Party) -> f64 {
        let count = grams.len() + 1;
        let sum: f64 = grams.iter().map(|&(h, _)| self.weight(h)).sum::<f64>()
            + self.weight(gram_hash(to_feature(to)));
        sigmoid(self.bias + sum / (count as f64).sqrt())
    }

    /// The index of the clause of `text` (the text the n-grams were read from) whose n-grams
    /// add most to the score.
    fn strongest_clause(&self, text: &str, grams: &[(u64, usize)], skip: &[bool]) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        let mut start = 0;
        for (k, clause) in text.split('\n').enumerate() {
            if skip.get(k).copied().unwrap_or(false) {
                start += clause.len() + 1;
                continue;
            }
            let end = start + clause.len();
            let sum: f64 = grams
                .iter()
                .filter(|&&(_, s)| start <= s && s < end)
                .map(|&(h, _)| self.weight(h))
                .sum();
            if !clause.trim().is_empty() && best.is_none_or(|(_, b)| sum > b) {
                best = Some((k, sum));
            }
            start = end + 1;
        }
        best.map(|(k, _)| k)
    }
}

/// Where the text of the `weights` string starts in the file, to name a bad line by its line
/// in the file: `span` is the whole string, its quotes included. The lines are meant for a
/// literal (`'''`) string, whose text is as written; TOML drops a break right after the
/// opening quotes.
fn weights_start(file: &str, span: std::ops::Range<usize>) -> usize {
    let rest = file.get(span.clone()).unwrap_or("");
    let quotes = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|q| rest.starts_with(q))
        .map_or(0, str::len);
    let after = rest.get(quotes..).unwrap_or("");
    let newline = if after.starts_with("\r\n") {
        2
    } else {
        usize::from(after.starts_with('\n'))
    };
    span.start + quotes + newline
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn to_feature(to: Party) -> &'static str {
    match to {
        Party::Borrower => TO_BORROWER,
        Party::ThirdParty { .. } => TO_THIRD_PARTY,
    }
}

/// The hash an n-gram is looked up by.
fn gram_hash(gram: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(gram.as_bytes());
    h.finish()
}

/// Calls `f(start, end)` for every character n-gram (`min..=max` characters, inside one
/// clause, not all spaces) of normalised text, as byte ranges, repeats included; clause `k`
/// is left out when `skip[k]` is true.
fn each_ngram(norm: &str, min: usize, max: usize, skip: &[bool], mut f: impl FnMut(usize, usize)) {
    let mut bounds = Vec::new();
    each_ngram_with(norm, min, max, skip, &mut bounds, &mut f);
}

/// [`each_ngram`] with a buffer to reuse for the character boundaries of a clause.
fn each_ngram_with(
    norm: &str,
    min: usize,
    max: usize,
    skip: &[bool],
    bounds: &mut Vec<usize>,
    mut f: impl FnMut(usize, usize),
) {
    let mut start = 0;
    for (k, clause) in norm.split('\n').enumerate() {
        if skip.get(k).copied().unwrap_or(false) {
            start += clause.len() + 1;
            continue;
        }
        bounds.clear();
        bounds.extend(clause.char_indices().map(|(i, _)| start + i));
        bounds.push(start + clause.len());
        for (i, &s) in bounds.iter().enumerate() {
            for n in min..=max {
                let Some(&e) = bounds.get(i + n) else { break };
                if norm.get(s..e).is_some_and(|g| !g.trim().is_empty()) {
                    f(s, e);
                }
            }
        }
        start += clause.len() + 1;
    }
}

/// The distinct n-grams of normalised text as `(hash, start of the first occurrence)`, in
/// the order of their first occurrence, in `buf.list`. `buf.seen` is a set with a keyed hash
/// (SipHash, a key per set): a message is untrusted, and n-grams made to collide in an
/// unkeyed set would make this quadratic.
fn hashed_ngrams(norm: &str, min: usize, max: usize, buf: &mut Ngrams) {
    let Ngrams {
        list,
        seen,
        bounds,
        skip,
    } = buf;
    list.clear();
    seen.clear();
    each_ngram_with(norm, min, max, skip, bounds, |s, e| {
        let h = gram_hash(norm.get(s..e).unwrap_or(""));
        if seen.insert(h) {
            list.push((h, s));
        }
    });
}

/// The text the models read: the normalised text in NFC. The normaliser keeps a Hangul
/// syllable as it was written, composed or as conjoining jamo (the phrase rules count either
/// as one character); n-grams must see one spelling, so that a text and its NFKC form score
/// alike. Borrowed unless the text holds something NFC would change.
fn model_text(norm: &str) -> Cow<'_, str> {
    if is_nfc_quick(norm.chars()) == IsNormalized::Yes {
        Cow::Borrowed(norm)
    } else {
        Cow::Owned(norm.nfc().collect())
    }
}

/// Marks in `skip` the clauses of the normalised text that the other party said in a
/// transcript (`text::turns`); leaves it empty when there are none.
fn other_clauses(prepared: &mut Prepared, channel: Channel, skip: &mut Vec<bool>) {
    skip.clear();
    if !prepared.has_other_turns(channel) {
        return;
    }
    let mut start = 0;
    for clause in prepared.norm().split('\n') {
        let first = start + (clause.len() - clause.trim_start().len());
        skip.push(first < start + clause.len() && prepared.spoken_by_other(first));
        start += clause.len() + 1;
    }
}

/// How many characters of the models' text the collector said: spaces and breaks are not
/// counted, nor the clauses `skip` marks as the other party's in a transcript, so that a
/// borrower's long answer does not make a short line of the collector's long enough to
/// judge.
fn judged_chars(text: &str, skip: &[bool]) -> usize {
    text.split('\n')
        .enumerate()
        .filter(|&(k, _)| !skip.get(k).copied().unwrap_or(false))
        .map(|(_, clause)| clause.chars().filter(|c| *c != ' ').count())
        .sum()
}

/// The features of a message as the trainer sees them: its distinct n-grams and its
/// addressee feature.
pub(crate) fn features(
    text: &str,
    channel: Channel,
    to: Party,
    min: usize,
    max: usize,
) -> Vec<String> {
    let (norm, skip) = trainer_text(text, channel);
    feature_strings(&norm, min, max, &skip, to)
}

/// The features of each passage of a message as the trainer of a `passage_model` sees them:
/// for each clause the collector said (in order), the distinct n-grams of it and of
/// `radius` clauses either side, and the addressee feature.
pub(crate) fn passage_features(
    text: &str,
    channel: Channel,
    to: Party,
    min: usize,
    max: usize,
    radius: usize,
) -> Vec<Vec<String>> {
    let (norm, other) = trainer_text(text, channel);
    let n = norm.split('\n').count();
    let mut skip = Vec::new();
    norm.split('\n')
        .enumerate()
        .filter(|&(k, clause)| !other.get(k).copied().unwrap_or(false) && !clause.trim().is_empty())
        .map(|(k, _)| {
            passage_skip(k, radius, &other, n, &mut skip);
            feature_strings(&norm, min, max, &skip, to)
        })
        .collect()
}

/// The models' text of a message, and which of its clauses the other party said.
fn trainer_text(text: &str, channel: Channel) -> (String, Vec<bool>) {
    let mut p = Prepared::default();
    p.prepare(text);
    let mut other = Vec::new();
    other_clauses(&mut p, channel, &mut other);
    (model_text(p.norm()).into_owned(), other)
}

/// The distinct n-grams of `norm` (clauses `skip` marks left out), sorted, and the addressee
/// feature last.
fn feature_strings(norm: &str, min: usize, max: usize, skip: &[bool], to: Party) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    each_ngram(norm, min, max, skip, |s, e| {
        out.push(norm.get(s..e).unwrap_or("").to_string());
    });
    out.sort_unstable();
    out.dedup();
    out.push(to_feature(to).to_string());
    out
}

/// Makes `skip` mark, of `n` clauses, those outside the passage of clause `k` (`radius`
/// clauses either side) and those `other` marks (the other party's).
fn passage_skip(k: usize, radius: usize, other: &[bool], n: usize, skip: &mut Vec<bool>) {
    let (lo, hi) = (k.saturating_sub(radius), k + radius);
    skip.clear();
    skip.extend((0..n).map(|j| j < lo || j > hi || other.get(j).copied().unwrap_or(false)));
}

/// The byte range of each clause of normalised text (`\n` ends a clause).
fn clause_ranges(norm: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    norm.split('\n').map(move |c| {
        let r = (start, start + c.len());
        start += c.len() + 1;
        r
    })
}

/// Parses every model of a source set once, for all the packs that use them.
pub(crate) fn parse_models(
    sources: &BTreeMap<String, Source>,
) -> Result<BTreeMap<String, Arc<Weights>>, LoadError> {
    sources
        .iter()
        .map(|(name, src)| {
            if src.text.len() > crate::pack::limits::MAX_FILE_BYTES {
                return Err(crate::pack::file_too_large(
                    &src.path,
                    src.text.len() as u64,
                ));
            }
            Ok((name.clone(), Arc::new(Weights::parse(src)?)))
        })
        .collect()
}

/// A compiled `text_model` rule (its weights shared: cloning it is cheap).
#[derive(Debug, Clone)]
pub(crate) struct TextModel {
    weights: Arc<Weights>,
    /// The model that confirms, when not the rule's own.
    confirm_weights: Option<Arc<Weights>>,
    fire_at: f64,
    confirm_at: Option<f64>,
    confirm_parties: PartyFilter,
    min_chars: usize,
    /// `Params::unless_clause`, normalised.
    unless_clause: Vec<String>,
    /// `Params::unless_message`, expanded, as a matcher (phrase syntax as in a `text` rule:
    /// word boundaries, `*` for an open end).
    unless_message: Option<Arc<Matcher>>,
    /// `Params::passage_model` and what goes with it.
    passage: Option<PassageModel>,
}

/// `Params::passage_model`, `passage_at`, `passage_radius`, `passage_segments` and
/// `confirm_radius` (with the confirming model and `confirm_at`).
#[derive(Debug, Clone)]
struct PassageModel {
    weights: Arc<Weights>,
    at: f64,
    radius: usize,
    segments: bool,
    neighbourhood: Option<(Arc<Weights>, f64, usize)>,
}

impl TextModel {
    /// Compiles the parameters of a rule of `category`.
    pub fn compile(
        params: Params,
        category: Category,
        pack: &PackCtx,
    ) -> Result<TextModel, String> {
        let model = |name: &str| {
            let weights = pack.models.get(name).ok_or_else(|| {
                let hint = crate::pack::did_you_mean(&crate::pack::closest(
                    name,
                    pack.models.keys().map(String::as_str),
                ));
                format!("unknown model `{name}`{hint}")
            })?;
            if weights.category != category {
                return Err(format!(
                    "model `{name}` was trained for `{}`, the rule is `{category}`",
                    weights.category
                ));
            }
            Ok(weights)
        };
        let weights = model(&params.model)?;
        let confirm_weights = match &params.confirm_model {
            Some(_) if params.confirm_at.is_none() => {
                return Err("`confirm_model` needs `confirm_at`".into());
            }
            Some(name) => Some(Arc::clone(model(name)?)),
            None => None,
        };
        if params.confirm_at.is_some_and(|c| c > params.fire_at) {
            return Err(
                "`confirm_at` is at most `fire_at`: a message the rule flags confirms the others"
                    .into(),
            );
        }
        if params.confirm_radius.is_some() && params.passage_model.is_none() {
            return Err("`confirm_radius` needs `passage_model`".into());
        }
        let passage = match (&params.passage_model, params.passage_at) {
            (Some(_), _) | (_, Some(_)) if params.confirm_at.is_none() => {
                return Err("`passage_model` needs `confirm_at`".into());
            }
            (Some(name), Some(at)) => Some(PassageModel {
                weights: Arc::clone(model(name)?),
                at,
                radius: params.passage_radius,
                segments: params.passage_segments,
                neighbourhood: match (params.confirm_radius, params.confirm_at) {
                    (Some(r), Some(c)) => Some((
                        Arc::clone(confirm_weights.as_ref().unwrap_or(weights)),
                        c,
                        r,
                    )),
                    _ => None,
                },
            }),
            (None, None) => None,
            _ => return Err("`passage_model` and `passage_at` go together".into()),
        };
        for (name, v) in [
            ("fire_at", Some(params.fire_at)),
            ("confirm_at", params.confirm_at),
            ("passage_at", params.passage_at),
        ] {
            if let Some(v) = v {
                if !(0.0..=1.0).contains(&v) {
                    return Err(format!("`{name}` is a score between 0 and 1"));
                }
            }
        }
        let mut buf = Prepared::default();
        let mut unless_clause = Vec::with_capacity(params.unless_clause.len());
        for p in &params.unless_clause {
            let norm = crate::text::normalize::normalize_phrase(p, &mut buf);
            if norm.is_empty() || norm.contains('\n') {
                return Err(format!(
                    "`unless_clause`: `{p}` is not a phrase within one clause"
                ));
            }
            unless_clause.push(model_text(&norm).into_owned());
        }
        let unless_message = if params.unless_message.is_empty() {
            None
        } else {
            let mut builder = MatcherBuilder::default();
            let phrases = super::text::resolve_phrases(
                pack.lexicons,
                &params.unless_message,
                "`unless_message`",
            )?;
            for p in phrases {
                builder
                    .add(&p, 0, false, true)
                    .map_err(|e| format!("`unless_message`: {e}"))?;
            }
            Some(Arc::new(builder.build()?))
        };
        Ok(TextModel {
            weights: Arc::clone(weights),
            confirm_weights,
            fire_at: params.fire_at,
            confirm_at: params.confirm_at,
            confirm_parties: params.confirm_parties,
            min_chars: params.min_chars,
            unless_clause,
            unless_message,
            passage,
        })
    }
}

/// A model rule and its index in the pack.
#[derive(Debug)]
struct Slot {
    index: usize,
    rule: TextModel,
}

/// Every `text_model` rule of a pack.
#[derive(Debug, Default)]
pub(crate) struct PackModels {
    slots: Vec<Slot>,
}

impl PackModels {
    /// `rules` pairs each model rule with its index in the pack.
    pub fn build(rules: &[(usize, &TextModel)]) -> PackModels {
        PackModels {
            slots: rules
                .iter()
                .map(|&(index, rule)| Slot {
                    index,
                    rule: rule.clone(),
                })
                .collect(),
        }
    }

    /// Whether the pack has any model rule.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Scores the message with every model rule that `applies` accepts: drops the findings
    /// in `out` (rule index, finding) that a model does not confirm (`category_of` gives a
    /// rule's category), then pushes the model rules that fire.
    pub fn check(
        &self,
        prepared: &mut Prepared,
        input: &TextInput,
        applies: impl Fn(usize) -> bool,
        category_of: impl Fn(usize) -> Option<Category>,
        out: &mut Vec<(usize, Fired)>,
    ) {
        if !self.slots.iter().any(|s| applies(s.index)) {
            return;
        }
        let mut grams = std::mem::take(&mut prepared.scratch.grams);
        // The matchers' hit buffer, for `unless_message` (the text rules are done with it).
        let mut hits = std::mem::take(&mut prepared.scratch.hits);
        other_clauses(prepared, input.channel, &mut grams.skip);
        // The n-gram range `grams` holds: models of one language share it.
        let mut range = None;
        let text = model_text(prepared.norm());
        let chars = judged_chars(&text, &grams.skip);
        for &Slot { index, ref rule } in self.slots.iter().filter(|s| applies(s.index)) {
            let model = &rule.weights;
            if chars < rule.min_chars {
                continue;
            }
            // A confirming model of its own is read only when there is a finding to confirm.
            let to_confirm = || {
                out.iter()
                    .any(|(i, _)| category_of(*i) == Some(model.category))
            };
            if let Some(min) = rule
                .confirm_at
                .filter(|_| rule.confirm_parties.matches(input.to))
                .filter(|_| rule.confirm_weights.is_none() || to_confirm())
            {
                let confirming = rule.confirm_weights.as_deref().unwrap_or(model);
                ngrams_for(confirming, &text, &mut range, &mut grams);
                if confirming.score(&grams.list, input.to) < min {
                    let mut passage =
                        Passage::new(prepared, &text, &grams.skip, rule.passage.as_ref());
                    out.retain(|(i, f)| {
                        f.stands_alone
                            || category_of(*i) != Some(model.category)
                            || passage.stands(f, input.to)
                    });
                }
            }
            ngrams_for(model, &text, &mut range, &mut grams);
            let score = model.score(&grams.list, input.to);
            if score >= rule.fire_at {
                let clause = model.strongest_clause(&text, &grams.list, &grams.skip);
                let quiet = clause
                    .and_then(|k| text.split('\n').nth(k))
                    .is_some_and(|c| rule.unless_clause.iter().any(|p| c.contains(p.as_str())))
                    || rule.unless_message.as_deref().is_some_and(|m| {
                        hits.clear();
                        m.scan(prepared, &mut hits);
                        !hits.is_empty()
                    });
                if !quiet {
                    out.push((index, fired(prepared, clause, score)));
                }
            }
        }
        prepared.scratch.grams = grams;
        prepared.scratch.hits = hits;
    }
}

/// The passages of a message that a `passage_model` reads: a finding's clause and its
/// neighbours, read alone.
struct Passage<'a> {
    /// The model, its threshold and radius; with none, no finding stands.
    model: Option<&'a PassageModel>,
    text: &'a str,
    /// The prepared message: its original text, to tell whether a finding is quoted, and
    /// its segments ([`Prepared::segment`]).
    prepared: &'a Prepared,
    /// The other party's clauses (never read).
    other: &'a [bool],
    /// The span in the original text of each clause of `text`.
    clauses: Vec<Option<crate::verdict::Span>>,
    grams: Ngrams,
}

impl<'a> Passage<'a> {
    fn new(
        prepared: &'a Prepared,
        text: &'a str,
        other: &'a [bool],
        model: Option<&'a PassageModel>,
    ) -> Passage<'a> {
        // Clause `k` of the models' text is clause `k` of the normalised text.
        let clauses = match model {
            Some(_) => clause_ranges(prepared.norm())
                .map(|(s, e)| prepared.span(s, e))
                .collect(),
            None => Vec::new(),
        };
        Passage {
            model,
            text,
            prepared,
            other,
            clauses,
            grams: Ngrams::default(),
        }
    }

    /// Whether finding `f` stands although the message reads as lawful: its passage scores
    /// at least the passage model's threshold, or its neighbourhood the confirming model's
    /// (`confirm_radius`), or its segment the passage model's (`passage_segments`).
    fn stands(&mut self, f: &Fired, to: Party) -> bool {
        let (Some(model), Some(span)) = (self.model, f.span) else {
            return false;
        };
        let PassageModel {
            ref weights,
            at,
            radius,
            segments,
            ref neighbourhood,
        } = *model;
        // Read alone, a quoted threat or insult is the words a report, an apology or a
        // training note is about: only the whole message shows the frame around them.
        if crate::text::quotes::inside(self.prepared.original(), span) {
            return false;
        }
        let Some(k) = self
            .clauses
            .iter()
            .position(|c| c.is_some_and(|c| c.start <= span.start && span.start < c.end))
        else {
            return false;
        };
        passage_skip(
            k,
            radius,
            self.other,
            self.clauses.len(),
            &mut self.grams.skip,
        );
        hashed_ngrams(self.text, weights.min_n, weights.max_n, &mut self.grams);
        if weights.score(&self.grams.list, to) >= at {
            return true;
        }
        if let Some((confirming, c, r)) = neighbourhood {
            passage_skip(k, *r, self.other, self.clauses.len(), &mut self.grams.skip);
            hashed_ngrams(
                self.text,
                confirming.min_n,
                confirming.max_n,
                &mut self.grams,
            );
            if confirming.score(&self.grams.list, to) >= *c {
                return true;
            }
        }
        if !segments {
            return false;
        }
        // A clause may run several sentences together with spaces (`你是老赖 由于…`, the
        // full stop a Chinese text leaves out): the segment that holds the finding, read
        // alone, stands as the clause would.
        let Some((s, e)) = self.prepared.segment(span) else {
            return false;
        };
        let Some(segment) = self.prepared.norm().get(s..e).map(model_text) else {
            return false;
        };
        self.grams.skip.clear();
        hashed_ngrams(&segment, weights.min_n, weights.max_n, &mut self.grams);
        weights.score(&self.grams.list, to) >= at
    }
}

/// Makes `grams` hold the n-grams of `text` in the range `model` reads; `range` is the range
/// they are in, if any, so that models sharing a range hash the message once.
fn ngrams_for(model: &Weights, text: &str, range: &mut Option<(usize, usize)>, grams: &mut Ngrams) {
    let want = (model.min_n, model.max_n);
    if *range != Some(want) {
        hashed_ngrams(text, want.0, want.1, grams);
        *range = Some(want);
    }
}

/// The longest evidence quoted, in characters.
const MAX_EVIDENCE_CHARS: usize = 60;

/// The finding of a model rule that fires, quoting clause `clause` (the strongest) of the
/// models' text.
fn fired(prepared: &Prepared, clause: Option<usize>, score: f64) -> Fired {
    // Clause `k` of the models' text is clause `k` of the normalised text: composing Hangul
    // leaves the breaks where they are.
    let clause = clause.and_then(|k| clause_ranges(prepared.norm()).nth(k));
    let span = clause.and_then(|(s, e)| prepared.span(s, e));
    let evidence = span
        .and_then(|s| s.text(prepared.original()))
        .map(|t| masked_excerpt(t.trim()));
    Fired {
        vars: vec![
            ("score", format!("{score:.2}")),
            ("phrase", evidence.clone().unwrap_or_default()),
        ],
        span,
        evidence,
        stands_alone: false,
    }
}

/// `text` with personal data masked, cut to [`MAX_EVIDENCE_CHARS`] characters.
fn masked_excerpt(text: &str) -> String {
    let mut found = Vec::new();
    pii::scan(text, &pii::PiiKind::ALL, &mut found);
    found.sort_by_key(|m| m.span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in &found {
        if m.span.start < at {
            continue;
        }
        out.push_str(text.get(at..m.span.start).unwrap_or(""));
        out.push_str(&m.masked);
        at = m.span.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    match out.char_indices().nth(MAX_EVIDENCE_CHARS) {
        Some((cut, _)) => format!("{}…", out.get(..cut).unwrap_or("")),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use std::collections::HashMap as Map;

    const MODEL: &str = "
[model]
category = \"coercion\"
ngrams = [1, 2]
bias = -1.0
weights = '''
坐牢\t6.0
诉讼\t-2.0
@to=third_party\t0.5
'''
";

    fn compile(params: &str, model: &str) -> Result<TextModel, String> {
        compile_with(params, &[("zh/coercion", model)])
    }

    /// Compiles `params` of a coercion rule in a pack with the models `files` (name, text).
    fn compile_with(params: &str, files: &[(&str, &str)]) -> Result<TextModel, String> {
        let params: Params = toml::from_str(params).map_err(|e| e.to_string())?;
        let sources: BTreeMap<String, Source> = files
            .iter()
            .map(|&(name, text)| {
                (
                    name.to_string(),
                    Source {
                        path: format!("models/{name}.toml"),
                        text: Cow::Owned(text.to_string()),
                    },
                )
            })
            .collect();
        let models = parse_models(&sources).map_err(|e| e.to_string())?;
        let lexicons = BTreeMap::new();
        let calendars = Map::new();
        let ctx = PackCtx {
            pack: "t",
            calendars: &calendars,
            lexicons: &lexicons,
            models: &models,
        };
        TextModel::compile(params, Category::Coercion, &ctx)
    }

    /// The test model, firing at 0.5.
    fn plain() -> TextModel {
        compile("model = \"zh/coercion\"\nfire_at = 0.5", MODEL).unwrap()
    }

    /// The rules left in `(rule index, finding)` after the models of `pm` judge `text`, which
    /// rules 1 and 2 had found (of the categories `category_of` gives).
    fn after_models(
        pm: &PackModels,
        category_of: impl Fn(usize) -> Option<Category>,
        text: &str,
    ) -> Vec<usize> {
        after_models_on((Channel::Sms, Party::Borrower), pm, category_of, text)
    }

    fn after_models_on(
        to: (Channel, Party),
        pm: &PackModels,
        category_of: impl Fn(usize) -> Option<Category>,
        text: &str,
    ) -> Vec<usize> {
        let findings = vec![(1, Fired::default()), (2, Fired::default())];
        standing(to, pm, category_of, text, findings)
    }

    /// The rule indices of `findings` (and of any model rule that fires) that stand after
    /// the model rules of `pm` read `text`.
    fn standing(
        (channel, to): (Channel, Party),
        pm: &PackModels,
        category_of: impl Fn(usize) -> Option<Category>,
        text: &str,
        mut findings: Vec<(usize, Fired)>,
    ) -> Vec<usize> {
        let mut p = Prepared::default();
        p.prepare(text);
        let input = TextInput {
            channel,
            to,
            purpose: crate::model::Purpose::Collection,
        };
        pm.check(&mut p, &input, |_| true, category_of, &mut findings);
        findings.iter().map(|(i, _)| *i).collect()
    }

    fn score(m: &TextModel, text: &str) -> f64 {
        let mut p = Prepared::default();
        p.prepare(text);
        let mut grams = Ngrams::default();
        hashed_ngrams(p.norm(), m.weights.min_n, m.weights.max_n, &mut grams);
        m.weights.score(&grams.list, Party::Borrower)
    }

    #[test]
    fn ngrams_are_distinct_and_stay_inside_a_clause() {
        let norm = "ab ab\ncd";
        let mut all = Vec::new();
        each_ngram(norm, 1, 2, &[], |s, e| all.push(&norm[s..e]));
        assert_eq!(
            all,
            ["a", "ab", "b", "b ", " a", "a", "ab", "b", "c", "cd", "d"]
        );
        let mut hashed = Ngrams::default();
        hashed_ngrams(norm, 1, 2, &mut hashed);
        // Eight distinct, each at its first occurrence.
        let mut firsts: Vec<&str> = hashed
            .list
            .iter()
            .map(|&(h, s)| {
                let g = all.iter().find(|g| gram_hash(g) == h).unwrap();
                assert_eq!(norm.find(g), Some(s), "`{g}`");
                *g
            })
            .collect();
        firsts.sort_unstable();
        assert_eq!(firsts, [" a", "a", "ab", "b", "b ", "c", "cd", "d"]);
        let features = features("ab ab。cd", Channel::Sms, Party::Borrower, 1, 2);
        assert_eq!(
            features,
            [" a", "a", "ab", "b", "b ", "c", "cd", "d", "@to=borrower"]
        );
    }

    #[test]
    fn the_other_partys_turns_are_not_read() {
        let pm = PackModels::build(&[(0, &plain())]);
        let judge = |text: &str, channel: Channel| {
            let mut p = Prepared::default();
            p.prepare(text);
            let input = TextInput {
                channel,
                to: Party::Borrower,
                purpose: crate::model::Purpose::Collection,
            };
            let mut out = Vec::new();
            pm.check(&mut p, &input, |_| true, |_| None, &mut out);
            !out.is_empty()
        };
        // `坐牢` alone fires the test model; here the borrower says it.
        let call = "催收员：你好\n客户：要我坐牢";
        assert!(!judge(call, Channel::Call));
        // The same words sent as a text message are read whole.
        assert!(judge(call, Channel::Sms));
        // And the collector's own words are read in a call.
        assert!(judge("客户：喂\n催收员：让你坐牢", Channel::Call));
        let features = features(call, Channel::Call, Party::Borrower, 1, 2);
        assert!(!features.iter().any(|f| f.contains('牢')), "{features:?}");
    }

    /// Found by `tests/properties.rs`: the normaliser keeps conjoining jamo as they are, so
    /// the models read the NFC form, where a text and its NFKC form agree.
    #[test]
    fn hangul_reads_alike_composed_or_as_jamo() {
        let jamo = "division bold\u{1100}\u{1161}\u{11A8}";
        let composed = "division bold\u{AC01}";
        assert_eq!(
            features(jamo, Channel::Sms, Party::Borrower, 2, 5),
            features(composed, Channel::Sms, Party::Borrower, 2, 5)
        );
    }

    #[test]
    fn score_is_the_sigmoid_of_the_scaled_sum() {
        let m = plain();
        // `再坐牢`: n-grams 再 坐 牢 再坐 坐牢 (5) and the addressee: 6 features.
        let want = sigmoid(-1.0 + 6.0 / 6f64.sqrt());
        assert!((score(&m, "再坐牢") - want).abs() < 1e-12);
        // Filler between the characters reads the same.
        assert!((score(&m, "再 坐*牢") - want).abs() < 1e-12);
        assert!(score(&m, "依法提起诉讼") < 0.5);
    }

    #[test]
    fn bad_parameters_and_models_are_errors() {
        let model = "model = \"zh/coercion\"\nfire_at = 0.5";
        let cases = [
            (
                "model = \"zh/coersion\"\nfire_at = 0.5",
                MODEL.to_string(),
                "unknown model `zh/coersion` (did you mean `zh/coercion`?)",
            ),
            (
                "model = \"zh/coercion\"\nfire_at = 1.5",
                MODEL.to_string(),
                "`fire_at` is a score between 0 and 1",
            ),
            (
                "model = \"zh/coercion\"\nfire_at = 0.5\nconfirm_at = 0.6",
                MODEL.to_string(),
                "`confirm_at` is at most `fire_at`",
            ),
            (
                model,
                MODEL.replace("[1, 2]", "[0, 2]"),
                "`ngrams` is `[min, max]`",
            ),
            (
                model,
                MODEL.replace("\t-2.0", " -2.0"),
                "models/zh/coercion.toml:8:1: `weights`: a line is",
            ),
            // The bad line is found by where the string is, not by searching for its text
            // (here also in a comment above it)...
            (
                model,
                format!("# 坐牢\t6.0\n{}", MODEL.replace("\t-2.0", " -2.0")),
                "models/zh/coercion.toml:9:1: `weights`: a line is",
            ),
            // ...and the first line may follow the quotes.
            (
                model,
                MODEL.replace("'''\n坐牢\t6.0", "'''坐牢 6.0"),
                "models/zh/coercion.toml:6:14: `weights`: a line is",
            ),
            (
                model,
                MODEL.replace("coercion\"", "abuse\""),
                "trained for `abuse`",
            ),
        ];
        for (params, file, want) in cases {
            let err = compile(params, &file).unwrap_err();
            assert!(err.contains(want), "{want}: {err}");
        }
    }

    /// The test model, firing at 0.6 and confirming at 0.3, as rule 9 of a pack.
    fn confirming() -> PackModels {
        let m = compile(
            r#"model = "zh/coercion"
fire_at = 0.6
confirm_at = 0.3"#,
            MODEL,
        )
        .unwrap();
        PackModels::build(&[(9, &m)])
    }

    #[test]
    fn a_model_confirms_findings_of_its_category_only() {
        let pm = confirming();
        let cat = |i: usize| {
            Some(if i == 1 {
                Category::Coercion
            } else {
                Category::Abuse
            })
        };
        let run = |text: &str| after_models(&pm, cat, text);
        // Scores low: the coercion finding (rule 1) is dropped, the abuse one stays.
        assert_eq!(run("我们将依法提起诉讼"), [2]);
        // Scores 0.67 (`-1 + 6 / sqrt(12)`): both stay, and the model fires.
        assert_eq!(run("你等着坐牢吧"), [1, 2, 9]);
        // 25 n-grams and the addressee, scores 0.54 (`-1 + 6 / sqrt(26)`): confirmed, but
        // not enough to fire.
        assert_eq!(run("你等着坐牢吧，好好想想清楚再说"), [1, 2]);
    }

    #[test]
    fn a_finding_that_stands_alone_is_not_confirmed() {
        let pm = confirming();
        let findings = || {
            vec![
                (1, Fired::default()),
                (
                    2,
                    Fired {
                        stands_alone: true,
                        ..Fired::default()
                    },
                ),
            ]
        };
        let to = (Channel::Sms, Party::Borrower);
        // Scores low: the confirmed finding (rule 1) is dropped; the one on a phrase that
        // stands alone (rule 2, `厚颜无耻` in a letter) stays.
        let left = standing(
            to,
            &pm,
            |_| Some(Category::Coercion),
            "我们将依法提起诉讼",
            findings(),
        );
        assert_eq!(left, [2]);
    }

    #[test]
    fn a_phrase_in_the_strongest_clause_keeps_the_model_quiet() {
        let m = compile(
            "model = \"zh/coercion\"\nfire_at = 0.5\nunless_clause = [\"没人说\"]",
            MODEL,
        )
        .unwrap();
        let pm = PackModels::build(&[(9, &m)]);
        let run = |text: &str| after_models(&pm, |_| None, text);
        assert_eq!(run("你要坐牢"), [1, 2, 9]);
        // The clause it weighs most is a denial: it does not fire.
        assert_eq!(run("没人说你要坐牢"), [1, 2]);
        // The phrase in another clause does not count.
        assert_eq!(run("没人说过。你要坐牢"), [1, 2, 9]);
        let err = compile(
            "model = \"zh/coercion\"\nfire_at = 0.5\nunless_clause = [\"没人。说\"]",
            MODEL,
        )
        .unwrap_err();
        assert!(err.contains("within one clause"), "{err}");
    }

    #[test]
    fn a_model_of_its_own_may_confirm() {
        // Trained against lawful messages only, it reads 诉讼 as unlawful where the firing
        // model reads it as lawful.
        let confirm = MODEL.replace("诉讼\t-2.0", "诉讼\t4.0");
        let files = [
            ("zh/coercion", MODEL),
            ("zh/coercion-confirm", confirm.as_str()),
        ];
        let m = compile_with(
            r#"model = "zh/coercion"
fire_at = 0.6
confirm_at = 0.3
confirm_model = "zh/coercion-confirm""#,
            &files,
        )
        .unwrap();
        let pm = PackModels::build(&[(9, &m)]);
        let run = |text: &str| after_models(&pm, |_| Some(Category::Coercion), text);
        // The confirming model scores it high: the findings stand; the firing model's score
        // is low: the rule does not fire.
        assert_eq!(run("我们将依法提起诉讼"), [1, 2]);
        // Scores low on both: the findings go.
        assert_eq!(run("您好，您的账单已出"), Vec::<usize>::new());
        // It must be a model of the rule's category, and it needs `confirm_at`.
        let abuse = MODEL.replace("\"coercion\"", "\"abuse\"");
        let files = [("zh/coercion", MODEL), ("zh/abuse", abuse.as_str())];
        let err = compile_with(
            "model = \"zh/coercion\"\nfire_at = 0.6\nconfirm_at = 0.3\nconfirm_model = \"zh/abuse\"",
            &files,
        )
        .unwrap_err();
        assert!(err.contains("was trained for `abuse`"), "{err}");
        let err = compile_with(
            "model = \"zh/coercion\"\nfire_at = 0.6\nconfirm_model = \"zh/coercion\"",
            &files,
        )
        .unwrap_err();
        assert!(err.contains("needs `confirm_at`"), "{err}");
    }

    #[test]
    fn a_passage_model_keeps_a_finding_whose_own_passage_reads_as_the_category() {
        let files = [("zh/coercion", MODEL), ("zh/coercion-passage", MODEL)];
        // The whole message never confirms (0.99); the passage model judges each finding.
        let params = "model = \"zh/coercion\"\nfire_at = 1.0\nconfirm_at = 0.99\n\
                      passage_model = \"zh/coercion-passage\"\npassage_at = 0.5\n";
        let m = compile_with(&format!("{params}passage_radius = 0"), &files).unwrap();
        let pm = PackModels::build(&[(9, &m)]);
        let text = "我们将依法提起诉讼。您的账单已出，请按时还款。不还就让你坐牢。";
        // The threat's own clause reads as coercion; the lawful one does not; a finding
        // without a span has no passage and goes.
        let findings = [(1, Some("坐牢")), (2, Some("诉讼")), (3, None)];
        assert_eq!(passage_survivors(&pm, text, &findings), [1]);
        // Read alone, a quoted threat is the words a report or a training note is about:
        // only the whole message shows the frame, and the passage does not keep it.
        let quoted = "我们将依法提起诉讼。您的账单已出，请按时还款。“不还就让你坐牢。”";
        assert_eq!(
            passage_survivors(&pm, quoted, &findings),
            Vec::<usize>::new()
        );
        // With the neighbouring clauses, the threat's passage holds the lawful words too.
        let wide = compile_with(&format!("{params}passage_radius = 2"), &files).unwrap();
        let wide = PackModels::build(&[(9, &wide)]);
        assert_eq!(
            passage_survivors(&wide, text, &findings),
            Vec::<usize>::new()
        );
        // The passage model must come with its threshold, and with `confirm_at`.
        let err = compile_with(
            "model = \"zh/coercion\"\nfire_at = 0.6\nconfirm_at = 0.3\npassage_model = \"zh/coercion\"",
            &files,
        )
        .unwrap_err();
        assert!(err.contains("go together"), "{err}");
        let err = compile_with(
            "model = \"zh/coercion\"\nfire_at = 0.6\npassage_model = \"zh/coercion\"\npassage_at = 0.5",
            &files,
        )
        .unwrap_err();
        assert!(err.contains("needs `confirm_at`"), "{err}");
        let err = compile_with(
            &params.replace("passage_at = 0.5", "passage_at = 1.5"),
            &files,
        )
        .unwrap_err();
        assert!(
            err.contains("`passage_at` is a score between 0 and 1"),
            "{err}"
        );
    }

    /// The findings (rule index, the word it found, if any) of text `text` that stand after
    /// the coercion model rule of `pm`, asked to confirm every one of them.
    fn passage_survivors(
        pm: &PackModels,
        text: &str,
        findings: &[(usize, Option<&str>)],
    ) -> Vec<usize> {
        let findings = findings
            .iter()
            .map(|&(i, word)| {
                let span = word.map(|w| {
                    let s = text.find(w).unwrap();
                    crate::verdict::Span::new(s, s + w.len())
                });
                let fired = Fired {
                    span,
                    ..Fired::default()
                };
                (i, fired)
            })
            .collect();
        standing(
            (Channel::Sms, Party::Borrower),
            pm,
            |_| Some(Category::Coercion),
            text,
            findings,
        )
    }

    #[test]
    fn confirmation_may_be_limited_to_some_addressees() {
        let m = compile(
            r#"model = "zh/coercion"
fire_at = 0.6
confirm_at = 0.3
confirm_parties = "borrower""#,
            MODEL,
        )
        .unwrap();
        let pm = PackModels::build(&[(9, &m)]);
        let to = |third: bool| {
            let party = if third {
                Party::ThirdParty {
                    relation: crate::model::Relation::Employer,
                    designated: false,
                }
            } else {
                Party::Borrower
            };
            (Channel::Sms, party)
        };
        let run = |third: bool| {
            after_models_on(
                to(third),
                &pm,
                |_| Some(Category::Coercion),
                "我们将依法提起诉讼",
            )
        };
        // Scores low: to the borrower the findings are dropped, to a third party they stand.
        assert_eq!(run(false), Vec::<usize>::new());
        assert_eq!(run(true), [1, 2]);
        assert!(compile(
            "model = \"zh/coercion\"\nfire_at = 0.6\nconfirm_parties = \"nobody\"",
            MODEL
        )
        .is_err());
    }

    #[test]
    fn a_short_message_is_left_to_the_phrase_rules() {
        let m = compile(
            r#"model = "zh/coercion"
fire_at = 0.6
confirm_at = 0.3
min_chars = 7"#,
            MODEL,
        )
        .unwrap();
        let pm = PackModels::build(&[(9, &m)]);
        let run = |text: &str| after_models(&pm, |_| Some(Category::Coercion), text);
        // Six characters (the comma is filler): scores 0.68 but does not fire.
        assert_eq!(run("你等着，坐牢吧"), [1, 2]);
        // Seven: scores 0.65 and fires.
        assert_eq!(run("你就等着坐牢吧"), [1, 2, 9]);
        // Six characters scoring 0.17, under `confirm_at`: the findings stand all the same
        // (a sentence break is not a character).
        assert_eq!(run("依法提起诉讼"), [1, 2]);
        assert_eq!(run("依法提起诉讼。"), [1, 2]);
        // Seven, scoring 0.18: they do not.
        assert_eq!(run("将依法提起诉讼"), Vec::<usize>::new());
    }

    #[test]
    fn the_other_partys_turns_do_not_count_towards_min_chars() {
        let rule = |min: usize| {
            let m = compile(
                &format!(
                    "model = \"zh/coercion\"\nfire_at = 0.55\nconfirm_at = 0.5\nmin_chars = {min}"
                ),
                MODEL,
            )
            .unwrap();
            PackModels::build(&[(9, &m)])
        };
        let call = "坐席：你就等着坐牢吧\n客户：我现在真的没有钱了你们别再打了";
        let run = |min: usize| {
            after_models_on(
                (Channel::Call, Party::Borrower),
                &rule(min),
                |_| Some(Category::Coercion),
                call,
            )
        };
        // The collector said nine characters (the label counts; the colon between two
        // Chinese characters is filler), the customer sixteen; the collector's line scores
        // 0.60 (`-1 + 6 / sqrt(18)`).
        assert_eq!(run(9), [1, 2, 9]);
        assert_eq!(run(10), [1, 2]);
        // Read as one message, not a transcript, all of it counts, and all of it is scored:
        // 0.45, under `confirm_at`.
        let sms = after_models_on(
            (Channel::Sms, Party::Borrower),
            &rule(10),
            |_| Some(Category::Coercion),
            call,
        );
        assert_eq!(sms, Vec::<usize>::new());
    }

    #[test]
    fn evidence_is_the_strongest_clause_with_personal_data_masked() {
        let m = plain();
        let mut p = Prepared::default();
        let text = "您好，身份证11010519491231002X。\n不还就坐牢";
        p.prepare(text);
        let mut grams = Ngrams::default();
        hashed_ngrams(p.norm(), 1, 2, &mut grams);
        let s = m.weights.score(&grams.list, Party::Borrower);
        let clause = m
            .weights
            .strongest_clause(p.norm(), &grams.list, &grams.skip);
        let f = fired(&p, clause, s);
        assert_eq!(f.evidence.as_deref(), Some("不还就坐牢"));
        assert_eq!(f.span.and_then(|s| s.text(text)), Some("不还就坐牢"));
        assert_eq!(
            masked_excerpt("身份证11010519491231002X"),
            "身份证110105********002X"
        );
    }
}
