//! The engine: packs compiled once, then any number of checks. Immutable, `Clone + Send +
//! Sync`, cheap to clone (an `Arc`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::history::History;
use crate::model::{Borrower, Channel, ContactAttempt, Party, Purpose};
use crate::pack::{self, closest, CompiledPack, LoadError, RuleInfo, SourceSet};
use crate::rules::text::TextInput;
use crate::rules::{render, Coverage, Ctx, Fired, Timing};
use crate::text::Prepared;
use crate::verdict::{Reason, Severity, Verdict};

/// How many rounds the `next_allowed_at` fixpoint may take before giving up (each round
/// jumps to a window edge or a count release, so real cases settle in a handful).
const MAX_FIXPOINT_ROUNDS: usize = 256;

/// Appended to the message of a finding reported as `review` because the contact gives no
/// `address_kind` and the rule is limited to some kinds of address.
const UNKNOWN_ADDRESS_KIND: &str =
    " (review: the contact gives no `address_kind`; the rule applies if the address is of the kind it covers)";

/// A check could not be made. Never a silent allow: the caller gets this instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// A pack was named that the engine does not have.
    #[error("unknown pack `{name}`{}; the engine has: {}", pack::did_you_mean(.suggestion), .known.join(", "))]
    UnknownPack {
        /// The name given.
        name: String,
        /// The closest known pack.
        suggestion: Option<String>,
        /// Every pack the engine has.
        known: Vec<String>,
    },
    /// Neither the borrower nor the engine names a pack.
    #[error("no pack applies to borrower `{borrower}`: give the borrower `packs` or the engine a default pack")]
    NoPack {
        /// The borrower.
        borrower: String,
    },
    /// The borrower lists more time zones than [`MAX_TIME_ZONES`], or one twice.
    #[error("borrower `{borrower}` lists {count} time zones{}: at most {} different ones", .repeated.as_ref().map(|z| format!(", `{z}` more than once")).unwrap_or_default(), MAX_TIME_ZONES)]
    TimeZones {
        /// The borrower.
        borrower: String,
        /// How many it lists.
        count: usize,
        /// A zone listed more than once.
        repeated: Option<String>,
    },
    /// The borrower has no time zone, so local time is unknown.
    #[error("borrower `{borrower}` has no time zone")]
    NoTimeZone {
        /// The borrower.
        borrower: String,
    },
    /// The attempt's time is outside the supported years ([`crate::SUPPORTED_YEARS`]).
    #[error("contact `{contact}` is at {at}, outside the supported years {}..={}", crate::SUPPORTED_YEARS.start(), crate::SUPPORTED_YEARS.end())]
    TimeOutOfRange {
        /// The contact.
        contact: String,
        /// Its time.
        at: DateTime<Utc>,
    },
    /// The attempt is for another borrower than the one given.
    #[error("contact `{contact}` is for borrower `{got}`, not `{expected}`")]
    WrongBorrower {
        /// The contact.
        contact: String,
        /// The borrower given.
        expected: String,
        /// The contact's borrower.
        got: String,
    },
}

/// The most time zones a borrower may list. Every zone is checked for every contact, so a
/// borrower declared in thousands of zones would make each of their contacts slow; nobody
/// needs more than a handful.
pub const MAX_TIME_ZONES: usize = 16;

/// Checks a borrower's time zones: at least one, at most [`MAX_TIME_ZONES`], none twice.
pub(crate) fn check_time_zones(borrower: &Borrower) -> Result<(), CheckError> {
    let zones = &borrower.time_zones;
    if zones.is_empty() {
        return Err(CheckError::NoTimeZone {
            borrower: borrower.id.clone(),
        });
    }
    // Too many is found before looking for repeats, which costs the square of the count.
    let repeated = (zones.len() <= MAX_TIME_ZONES)
        .then(|| {
            zones
                .iter()
                .enumerate()
                .find(|(i, z)| zones.get(..*i).is_some_and(|before| before.contains(z)))
                .map(|(_, z)| z.name().to_string())
        })
        .flatten();
    if zones.len() > MAX_TIME_ZONES || repeated.is_some() {
        return Err(CheckError::TimeZones {
            borrower: borrower.id.clone(),
            count: zones.len(),
            repeated,
        });
    }
    Ok(())
}

/// Builds an [`Engine`]. Setters take `&mut self`; [`EngineBuilder::build`] can be called
/// again.
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    defaults: Vec<String>,
    dirs: Vec<PathBuf>,
    sources: Vec<(String, String, String)>,
    embedded: bool,
}

impl Default for EngineBuilder {
    fn default() -> EngineBuilder {
        EngineBuilder::new()
    }
}

impl EngineBuilder {
    /// A builder with the embedded packs available and no default pack.
    pub fn new() -> EngineBuilder {
        EngineBuilder {
            defaults: Vec::new(),
            dirs: Vec::new(),
            sources: Vec::new(),
            embedded: true,
        }
    }

    /// Adds a default pack: applied to every borrower that does not name its own packs.
    /// A pack that `extends` another brings it along.
    pub fn pack(&mut self, id: impl Into<String>) -> &mut EngineBuilder {
        self.defaults.push(id.into());
        self
    }

    /// Loads custom packs from a folder (see the README for the layout). A custom pack with
    /// the id of an embedded one replaces it.
    pub fn rules_dir(&mut self, dir: impl AsRef<Path>) -> &mut EngineBuilder {
        self.dirs.push(dir.as_ref().to_path_buf());
        self
    }

    /// Adds one rule file from memory (e.g. a service's own pack, embedded with
    /// `include_str!`). `path` is the file's path under a rules root, used in messages and to
    /// place it: `mypack/pack.toml`, `mypack/timing.toml`, `lexicons/zh/extra.toml`, or
    /// `models/zh/mine.toml`.
    /// Files of a pack given this way replace an embedded pack of the same id.
    pub fn rule_source(
        &mut self,
        path: impl Into<String>,
        text: impl Into<String>,
    ) -> &mut EngineBuilder {
        let path = path.into();
        self.sources.push((path.clone(), path, text.into()));
        self
    }

    /// Whether the embedded packs are available (default `true`).
    pub fn embedded(&mut self, yes: bool) -> &mut EngineBuilder {
        self.embedded = yes;
        self
    }

    /// Loads, validates and compiles every available pack.
    pub fn build(&self) -> Result<Engine, LoadError> {
        let mut set = if self.embedded {
            SourceSet::embedded()
        } else {
            SourceSet::default()
        };
        for d in &self.dirs {
            set.add_dir(d)?;
        }
        set.add_memory(
            self.sources
                .iter()
                .map(|(rel, label, text)| (rel.as_str(), label.as_str(), text.as_str())),
        )?;
        let models = crate::rules::text_model::parse_models(&set.models)?;
        let mut packs = Vec::with_capacity(set.packs.len());
        for sources in set.packs.values() {
            packs.push(pack::compile_pack(sources, &set.lexicons, &models)?);
        }
        let by_id: BTreeMap<String, usize> = packs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let known: Vec<String> = by_id.keys().cloned().collect();
        let unknown = |name: &str| LoadError::UnknownPack {
            name: name.to_string(),
            suggestion: closest(name, known.iter().map(String::as_str)),
            known: known.clone(),
        };
        for p in &packs {
            for e in &p.extends {
                if !by_id.contains_key(e) {
                    return Err(unknown(e));
                }
            }
        }
        let mut inner = Compiled {
            packs,
            by_id,
            defaults: Vec::new(),
            horizon_days: 0,
            keep_last: 0,
        };
        let defaults: Vec<&str> = self.defaults.iter().map(String::as_str).collect();
        inner.defaults = inner.resolve(&defaults).map_err(|e| match e {
            CheckError::UnknownPack { name, .. } => unknown(&name),
            _ => unknown(""),
        })?;
        for p in &inner.packs {
            for r in &p.rules {
                inner.horizon_days = inner.horizon_days.max(r.kind.horizon_days());
                inner.keep_last = inner.keep_last.max(r.kind.keep_last());
            }
        }
        Ok(Engine {
            inner: Arc::new(inner),
        })
    }
}

#[derive(Debug)]
struct Compiled {
    packs: Vec<CompiledPack>,
    by_id: BTreeMap<String, usize>,
    defaults: Vec<usize>,
    horizon_days: u32,
    keep_last: usize,
}

impl Compiled {
    /// Pack indices for names, with the packs they extend, each once, bases first.
    fn resolve(&self, names: &[&str]) -> Result<Vec<usize>, CheckError> {
        let mut out = Vec::new();
        for name in names {
            self.resolve_one(name, &mut out, 0)?;
        }
        Ok(out)
    }

    fn resolve_one(
        &self,
        name: &str,
        out: &mut Vec<usize>,
        depth: usize,
    ) -> Result<(), CheckError> {
        let Some(&i) = self.by_id.get(name) else {
            let known: Vec<String> = self.by_id.keys().cloned().collect();
            return Err(CheckError::UnknownPack {
                name: name.to_string(),
                suggestion: closest(name, known.iter().map(String::as_str)),
                known,
            });
        };
        if out.contains(&i) || depth > 16 {
            return Ok(());
        }
        if let Some(p) = self.packs.get(i) {
            for base in &p.extends {
                self.resolve_one(base, out, depth + 1)?;
            }
        }
        if !out.contains(&i) {
            out.push(i);
        }
        Ok(())
    }

    /// The indices of the packs that apply to a borrower (its own, else the defaults).
    fn pack_indices(&self, borrower: &Borrower) -> Result<Cow<'_, [usize]>, CheckError> {
        let idx = match &borrower.packs {
            Some(names) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                Cow::Owned(self.resolve(&names)?)
            }
            None => Cow::Borrowed(self.defaults.as_slice()),
        };
        if idx.is_empty() {
            return Err(CheckError::NoPack {
                borrower: borrower.id.clone(),
            });
        }
        Ok(idx)
    }

    /// Calls `f` with the packs of `idx`, gathered without allocating when there are few.
    fn with_packs<R>(&self, idx: &[usize], f: impl FnOnce(&[&CompiledPack]) -> R) -> R {
        const INLINE: usize = 8;
        if let (true, Some(first)) = (idx.len() <= INLINE, self.packs.first()) {
            let mut buf = [first; INLINE];
            let mut n = 0;
            for p in idx.iter().filter_map(|&i| self.packs.get(i)) {
                if let Some(slot) = buf.get_mut(n) {
                    *slot = p;
                    n += 1;
                }
            }
            return f(buf.get(..n).unwrap_or(&[]));
        }
        let packs: Vec<&CompiledPack> = idx.iter().filter_map(|&i| self.packs.get(i)).collect();
        f(&packs)
    }
}

/// Buffers a check reuses from one call to the next: the normalised text with its offset
/// map, the match lists. Keep one per thread and pass it to [`Engine::check_text_with`] or
/// [`Engine::check_contact_with`]; it holds nothing from one check that changes the next.
#[derive(Debug, Default)]
pub struct Scratch {
    prepared: Prepared,
    hits: Vec<(usize, Fired)>,
}

/// The compiled rule packs. Build with [`EngineBuilder`] or [`Engine::from_pack`].
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Compiled>,
}

impl Engine {
    /// An engine with one embedded pack (and the packs it extends) as the default.
    ///
    /// ```
    /// let engine = collectguard::Engine::from_pack("cn")?;
    /// assert!(engine.rule("cn.quiet-hours").is_some());
    /// # Ok::<(), collectguard::LoadError>(())
    /// ```
    pub fn from_pack(id: &str) -> Result<Engine, LoadError> {
        EngineBuilder::new().pack(id).build()
    }

    /// A builder.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// Judges a contact attempt against the borrower's history. The history holds what came
    /// before the attempt; the attempt itself is not in it.
    pub fn check_contact(
        &self,
        borrower: &Borrower,
        history: &History,
        attempt: &ContactAttempt,
    ) -> Result<Verdict, CheckError> {
        self.check_contact_with(borrower, history, attempt, &mut Scratch::default())
    }

    /// [`Engine::check_contact`] reusing the buffers of `scratch` (see [`Scratch`]).
    pub fn check_contact_with(
        &self,
        borrower: &Borrower,
        history: &History,
        attempt: &ContactAttempt,
        scratch: &mut Scratch,
    ) -> Result<Verdict, CheckError> {
        validate(borrower, attempt)?;
        let idx = self.inner.pack_indices(borrower)?;
        self.inner.with_packs(&idx, |packs| {
            check_contact_in(packs, borrower, history, attempt, scratch)
        })
    }

    /// The packs that apply to a borrower, resolved once for many checks (the screener keeps
    /// them with the ledger); the error is the one [`Engine::check_contact`] would give.
    pub(crate) fn resolve_packs(&self, borrower: &Borrower) -> Result<Vec<usize>, CheckError> {
        self.inner.pack_indices(borrower).map(Cow::into_owned)
    }

    /// `(horizon_days, keep_last)` over the rules of `packs` only: how much ledger a borrower
    /// judged by these packs needs (see [`Engine::horizon_days`], [`Engine::keep_last`]).
    pub(crate) fn horizon_of(&self, packs: &[usize]) -> (u32, usize) {
        packs
            .iter()
            .filter_map(|&i| self.inner.packs.get(i))
            .flat_map(|p| p.rules.iter())
            .fold((0, 0), |(h, k), r| {
                (h.max(r.kind.horizon_days()), k.max(r.kind.keep_last()))
            })
    }

    /// [`Engine::check_contact_with`] with the packs resolved by [`Engine::resolve_packs`].
    pub(crate) fn check_contact_resolved(
        &self,
        packs: &Result<Box<[usize]>, Box<CheckError>>,
        borrower: &Borrower,
        history: &History,
        attempt: &ContactAttempt,
        scratch: &mut Scratch,
    ) -> Result<Verdict, CheckError> {
        validate(borrower, attempt)?;
        let idx = packs.as_ref().map_err(|e| CheckError::clone(e))?;
        self.inner.with_packs(idx, |packs| {
            check_contact_in(packs, borrower, history, attempt, scratch)
        })
    }

    /// Judges a message on its own (no history, no timing): what it says, for a channel and
    /// an addressee, under the engine's default packs.
    pub fn check_text(
        &self,
        text: &str,
        channel: Channel,
        to: Party,
    ) -> Result<Verdict, CheckError> {
        self.check_text_with(text, channel, to, &mut Scratch::default())
    }

    /// [`Engine::check_text`] reusing the buffers of `scratch`: for many messages, nothing is
    /// allocated per message that could be reused.
    ///
    /// ```
    /// use collectguard::{Channel, Decision, Engine, Party, Scratch};
    ///
    /// let engine = Engine::from_pack("cn")?;
    /// let mut scratch = Scratch::default();
    /// for text in ["您好，您的账单已出，请按时还款。", "再不还钱就让你坐牢"] {
    ///     let v = engine.check_text_with(text, Channel::Sms, Party::Borrower, &mut scratch)?;
    ///     println!("{}: {}", v.decision, text);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_text_with(
        &self,
        text: &str,
        channel: Channel,
        to: Party,
        scratch: &mut Scratch,
    ) -> Result<Verdict, CheckError> {
        let defaults = &self.inner.defaults;
        self.judge_text(defaults, text, channel, to, Purpose::Collection, scratch)
    }

    /// Judges a message under the named packs (with the packs they extend; the engine's
    /// default packs when `packs` is empty), for a channel, an addressee and a purpose.
    /// This is [`Engine::check_text`] with the packs and the purpose chosen per message, as
    /// the template linter needs.
    pub fn check_message(
        &self,
        packs: &[&str],
        text: &str,
        channel: Channel,
        to: Party,
        purpose: Purpose,
    ) -> Result<Verdict, CheckError> {
        let idx = if packs.is_empty() {
            self.inner.defaults.clone()
        } else {
            self.inner.resolve(packs)?
        };
        self.judge_text(&idx, text, channel, to, purpose, &mut Scratch::default())
    }

    /// What a message says, under the packs `idx` (already resolved), for a channel, an
    /// addressee and a purpose: the text rules only, no history, no timing.
    fn judge_text(
        &self,
        idx: &[usize],
        text: &str,
        channel: Channel,
        to: Party,
        purpose: Purpose,
        scratch: &mut Scratch,
    ) -> Result<Verdict, CheckError> {
        if idx.is_empty() {
            return Err(CheckError::NoPack {
                borrower: String::new(),
            });
        }
        let attempt = ContactAttempt::new("", "", DateTime::<Utc>::UNIX_EPOCH, channel)
            .to(to)
            .with_purpose(purpose);
        let input = TextInput {
            channel,
            to,
            purpose,
        };
        let mut reasons = Vec::new();
        self.inner.with_packs(idx, |packs| {
            check_text_packs(packs, text, &input, &attempt, scratch, &mut reasons);
        });
        Ok(Verdict::from_reasons(reasons, None))
    }

    /// Checks that every named pack is available (with the packs it extends).
    pub fn check_packs(&self, names: &[String]) -> Result<(), CheckError> {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let resolved = self.inner.resolve(&names)?;
        if resolved.is_empty() {
            return Err(CheckError::NoPack {
                borrower: String::new(),
            });
        }
        Ok(())
    }

    /// Every rule of every available pack, pack by pack in id order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.inner
            .packs
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| &r.info))
    }

    /// The rules of one pack (without the packs it extends).
    pub fn pack_rules(&self, pack: &str) -> Option<impl Iterator<Item = &RuleInfo>> {
        let i = *self.inner.by_id.get(pack)?;
        let p = self.inner.packs.get(i)?;
        Some(p.rules.iter().map(|r| &r.info))
    }

    /// One rule by id.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules().find(|r| r.id == id)
    }

    /// The closest rule id to a misspelt one.
    pub fn suggest_rule(&self, id: &str) -> Option<String> {
        closest(id, self.rules().map(|r| r.id.as_str()))
    }

    /// `(id, name, jurisdiction, description, extends)` of every available pack.
    pub fn packs(&self) -> impl Iterator<Item = PackInfo<'_>> {
        self.inner.packs.iter().map(|p| PackInfo {
            id: &p.id,
            name: &p.name,
            jurisdiction: &p.jurisdiction,
            description: &p.description,
            extends: &p.extends,
        })
    }

    /// The ids of the default packs, with the packs they extend.
    pub fn default_packs(&self) -> Vec<&str> {
        self.inner
            .defaults
            .iter()
            .filter_map(|&i| self.inner.packs.get(i).map(|p| p.id.as_str()))
            .collect()
    }

    /// How many days of contacts any rule looks back over; ledgers may drop older contacts.
    pub fn horizon_days(&self) -> u32 {
        self.inner.horizon_days
    }

    /// How many most recent contacts a ledger keeps whatever their age.
    pub fn keep_last(&self) -> usize {
        self.inner.keep_last
    }

    /// Runs one rule's examples; returns the failures, each described.
    pub fn run_examples(&self, rule_id: &str) -> Vec<String> {
        crate::examples::run(self, rule_id)
    }

    /// The trigger phrases of every text rule of the default packs, lexicon references
    /// expanded and `*` word-continuation marks removed. For benchmarks, which hand the same
    /// phrases to baseline matchers; not a stable API.
    #[doc(hidden)]
    pub fn bench_phrases(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in self
            .inner
            .defaults
            .iter()
            .filter_map(|&i| self.inner.packs.get(i))
        {
            for r in &p.rules {
                if let crate::rules::Kind::Text(t) = &r.kind {
                    out.extend(
                        t.trigger_phrases()
                            .map(|p| p.trim().trim_matches('*').to_string()),
                    );
                }
            }
        }
        out
    }

    /// A text as the phrase matcher reads it, after normalisation (with `phrase`, as a rule's
    /// phrase is normalised). For benchmarks; not a stable API.
    #[doc(hidden)]
    pub fn bench_normalize(text: &str, phrase: bool) -> String {
        let mut p = Prepared::default();
        if phrase {
            crate::text::normalize::normalize_phrase(text, &mut p)
        } else {
            p.prepare(text);
            p.norm().to_string()
        }
    }

    /// The features a `text_model` rule reads in a message sent on `channel` to `to`: its
    /// distinct character n-grams of `min..=max` characters (the other party's turns of a
    /// transcript left out) and its addressee. For the trainer
    /// (`examples/train_text_model.rs`); not a stable API.
    #[doc(hidden)]
    pub fn model_features(
        text: &str,
        channel: Channel,
        to: Party,
        min: usize,
        max: usize,
    ) -> Vec<String> {
        crate::rules::text_model::features(text, channel, to, min, max)
    }

    /// The features a `passage_model` reads in each passage of a message (a clause the
    /// collector said and `radius` clauses either side), in order. For the trainer; not a
    /// stable API.
    #[doc(hidden)]
    pub fn model_passage_features(
        text: &str,
        channel: Channel,
        to: Party,
        min: usize,
        max: usize,
        radius: usize,
    ) -> Vec<Vec<String>> {
        crate::rules::text_model::passage_features(text, channel, to, min, max, radius)
    }

    /// The compiled pack holding a rule, and the rule's index in it.
    pub(crate) fn locate(&self, rule_id: &str) -> Option<(&CompiledPack, usize)> {
        self.inner.packs.iter().find_map(|p| {
            p.rules
                .iter()
                .position(|r| r.info.id == rule_id)
                .map(|i| (p, i))
        })
    }
}

/// A summary of a pack.
#[derive(Debug, Clone, Copy)]
pub struct PackInfo<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Where it applies.
    pub jurisdiction: &'a str,
    /// What it covers.
    pub description: &'a str,
    /// Packs it builds on.
    pub extends: &'a [String],
}

pub(crate) fn reason(info: &RuleInfo, f: Fired) -> Reason {
    Reason {
        rule: info.id.clone(),
        category: info.category,
        severity: info.severity,
        citation: info.citation.clone(),
        message: render(&info.message, &f.vars),
        message_zh: info.message_zh.as_deref().map(|m| render(m, &f.vars)),
        span: f.span,
        evidence: f.evidence,
    }
}

/// Judges an attempt under `packs` (the borrower and attempt already checked to match).
/// What every contact check requires before any rule runs: the attempt belongs to the
/// borrower, its time is in the supported years, and the borrower's time zones are usable.
fn validate(borrower: &Borrower, attempt: &ContactAttempt) -> Result<(), CheckError> {
    if attempt.borrower != borrower.id {
        return Err(CheckError::WrongBorrower {
            contact: attempt.id.clone(),
            expected: borrower.id.clone(),
            got: attempt.borrower.clone(),
        });
    }
    if !crate::history::in_supported_range(attempt.at) {
        return Err(CheckError::TimeOutOfRange {
            contact: attempt.id.clone(),
            at: attempt.at,
        });
    }
    check_time_zones(borrower)
}

fn check_contact_in(
    packs: &[&CompiledPack],
    borrower: &Borrower,
    history: &History,
    attempt: &ContactAttempt,
    scratch: &mut Scratch,
) -> Result<Verdict, CheckError> {
    let ctx = Ctx {
        borrower,
        history,
        attempt,
    };
    let mut reasons = Vec::new();
    let mut timing_denied = false;
    // The denying timing rules that fired: the only ones whose earliest pass can be later
    // than the attempt itself.
    let mut fired_timing: Vec<&dyn Timing> = Vec::new();
    for p in packs {
        for r in &p.rules {
            let coverage = r.scope.coverage(attempt);
            if coverage == Coverage::No {
                continue;
            }
            if let Some(f) = r.kind.check_contact(&ctx) {
                let mut found = reason(&r.info, f);
                if coverage == Coverage::Unknown {
                    // The rule may not apply: reported for review, and not waited on.
                    found.severity = Severity::Review;
                    found.message.push_str(UNKNOWN_ADDRESS_KIND);
                } else if r.info.severity == Severity::Deny {
                    if r.info.category.is_timing() {
                        timing_denied = true;
                    }
                    if let Some(t) = r.kind.timing() {
                        fired_timing.push(t);
                    }
                }
                reasons.push(found);
            }
        }
    }
    if let Some(text) = &attempt.text {
        let input = TextInput {
            channel: attempt.channel,
            to: attempt.to,
            purpose: attempt.purpose,
        };
        check_text_packs(packs, text, &input, attempt, scratch, &mut reasons);
    }
    let next = if timing_denied {
        next_allowed(packs, &ctx, &fired_timing)
    } else {
        None
    };
    Ok(Verdict::from_reasons(reasons, next))
}

fn check_text_packs(
    packs: &[&CompiledPack],
    text: &str,
    input: &TextInput,
    attempt: &ContactAttempt,
    scratch: &mut Scratch,
    reasons: &mut Vec<Reason>,
) {
    if !packs.iter().any(|p| p.reads_text()) {
        return;
    }
    let Scratch { prepared, hits } = scratch;
    prepared.prepare(text);
    for p in packs {
        hits.clear();
        p.check_text(
            prepared,
            input,
            |i| {
                p.rules
                    .get(i)
                    .is_some_and(|r| r.scope.covers_attempt(attempt))
            },
            hits,
        );
        for (i, f) in hits.drain(..) {
            if let Some(r) = p.rules.get(i) {
                if r.scope.covers_attempt(attempt) {
                    reasons.push(reason(&r.info, f));
                }
            }
        }
    }
}

/// The earliest instant at or after the attempt at which every denying timing rule in force
/// passes: a fixpoint, each round jumping to the latest of the rules' earliest passes.
/// `fired` are the rules that denied the attempt itself: at the attempt's own time the others
/// pass already, so the first round asks only these.
fn next_allowed(
    packs: &[&CompiledPack],
    ctx: &Ctx<'_>,
    fired: &[&dyn Timing],
) -> Option<DateTime<Utc>> {
    let mut t = ctx.attempt.at;
    let mut latest = t;
    for rule in fired {
        latest = latest.max(rule.earliest_pass(ctx, t)?);
    }
    if latest == t {
        return Some(t);
    }
    t = latest;
    let timing: Vec<_> = packs
        .iter()
        .flat_map(|p| p.rules.iter())
        .filter(|r| {
            r.info.severity == Severity::Deny && r.scope.coverage(ctx.attempt) == Coverage::Yes
        })
        .filter_map(|r| r.kind.timing())
        .collect();
    for _ in 1..MAX_FIXPOINT_ROUNDS {
        let mut latest = t;
        for rule in &timing {
            let e = rule.earliest_pass(ctx, t)?;
            latest = latest.max(e);
        }
        if latest == t {
            return Some(t);
        }
        t = latest;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_types_are_send_sync_unwind_safe() {
        fn assert<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
        assert::<Engine>();
        assert::<EngineBuilder>();
        assert::<Verdict>();
        assert::<History>();
        assert::<crate::Screener>();
        assert::<CheckError>();
        // `LoadError` carries `std::io::Error`, which is not unwind-safe.
        fn send_sync<T: Send + Sync>() {}
        send_sync::<LoadError>();
    }
}

#[cfg(test)]
mod load_tests {
    use super::*;

    #[test]
    fn bad_rule_file_names_file_line_and_column() {
        let err = Engine::builder()
            .embedded(false)
            .rule_source("t/pack.toml", "[pack]\nid = \"t\"\nname = \"T\"\njurisdiction = \"X\"\n")
            .rule_source(
                "t/rules.toml",
                "[[rule]]\nid = \"t.x\"\nkind = \"frequency\"\ncategory = \"frequency\"\nseverity = \"deny\"\ncitation = \"c\"\nconfidence = \"V1\"\nmessage = \"m\"\nexplain = { what = \"w\", why = \"y\", instead = \"i\" }\n[rule.params]\nwindw_days = 7\n",
            )
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t/rules.toml:10:1: rule `t.x`: params: unknown field `windw_days`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_and_unverified_deny_are_errors() {
        let base = "[pack]\nid = \"t\"\nname = \"T\"\njurisdiction = \"X\"\nnmae = 1\n";
        let err = Engine::builder()
            .embedded(false)
            .rule_source("t/pack.toml", base)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t/pack.toml:5:1:") && err.contains("unknown field `nmae`"),
            "{err}"
        );
        let rule = "[[rule]]\nid = \"t.x\"\nkind = \"consent\"\ncategory = \"consent\"\nseverity = \"deny\"\ncitation = \"c\"\nconfidence = \"U\"\nmessage = \"m\"\nexplain = { what = \"w\", why = \"y\", instead = \"i\" }\nparams = { check = \"cease\" }\n";
        let err = Engine::builder()
            .embedded(false)
            .rule_source(
                "t/pack.toml",
                "[pack]\nid = \"t\"\nname = \"T\"\njurisdiction = \"X\"\n",
            )
            .rule_source("t/r.toml", rule)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t/r.toml:2:6: rule `t.x`: an unverified rule"),
            "{err}"
        );
    }

    /// A custom pack with a model of its own: the model rule fires, confirms the pack's
    /// phrase rule of its category, and a bad model file names its line.
    #[test]
    fn a_custom_pack_brings_its_own_model() {
        let model = "[model]\ncategory = \"coercion\"\nngrams = [1, 2]\nbias = -1.0\nweights = '''\n坐牢\t6.0\n诉讼\t-3.0\n'''\n";
        let rules = r#"
[[rule]]
id = "t.model"
kind = "text_model"
category = "coercion"
severity = "review"
citation = "c"
confidence = "S"
message = "score {score}: `{phrase}`"
explain = { what = "w", why = "y", instead = "i" }
params = { model = "zh/t", fire_at = 0.6, confirm_at = 0.3 }
example = [
  { expect = "review", text = "你等着坐牢吧" },
  { expect = "allow", text = "我们将依法提起诉讼" },
]

[[rule]]
id = "t.phrase"
kind = "text"
category = "coercion"
severity = "deny"
citation = "c"
confidence = "S"
message = "`{phrase}`"
explain = { what = "w", why = "y", instead = "i" }
params = { phrases = ["坐牢", "诉讼"] }
example = [
  { expect = "deny", text = "你等着坐牢吧" },
  { expect = "allow", text = "您好" },
]

[[rule]]
id = "t.unconfirmed"
kind = "text"
category = "coercion"
severity = "deny"
citation = "c"
confidence = "S"
message = "`{phrase}`"
explain = { what = "w", why = "y", instead = "i" }
params = { phrases = ["提起诉讼"], model_confirms = false }
example = [
  { expect = "deny", text = "我们将依法提起诉讼" },
  { expect = "allow", text = "您好" },
]
"#;
        let build = |model: &str| {
            Engine::builder()
                .embedded(false)
                .rule_source(
                    "t/pack.toml",
                    "[pack]\nid = \"t\"\nname = \"T\"\njurisdiction = \"X\"\n",
                )
                .rule_source("t/rules.toml", rules)
                .rule_source("models/zh/t.toml", model)
                .pack("t")
                .build()
        };
        let engine = build(model).unwrap();
        let check = |text: &str| {
            let v = engine
                .check_text(text, Channel::Sms, Party::Borrower)
                .unwrap();
            let mut rules: Vec<String> = v.reasons.iter().map(|r| r.rule.clone()).collect();
            rules.sort();
            rules
        };
        assert_eq!(check("你等着坐牢吧"), ["t.model", "t.phrase"]);
        // Both phrase rules match, and the model scores the message 0.14: `t.phrase` is not
        // confirmed; `t.unconfirmed` does not ask to be.
        assert_eq!(check("我们将依法提起诉讼"), ["t.unconfirmed"]);
        assert!(engine.run_examples("t.model").is_empty());
        let err = build(&model.replace("\t-3.0", "")).unwrap_err().to_string();
        assert!(
            err.starts_with("models/zh/t.toml:7:1: `weights`: a line is an n-gram"),
            "{err}"
        );
    }

    #[test]
    fn unknown_default_pack_suggests() {
        let err = Engine::from_pack("us-mass").unwrap_err().to_string();
        assert!(err.contains("did you mean `us-ma`?"), "{err}");
    }
}
