//! Rule packs: loading TOML rule files (embedded or from a folder), validating them, and
//! compiling each rule through its kind. Every error names the file, line and column.

pub(crate) mod schema;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

pub use schema::{Confidence, ExampleDef, Expect, RuleKind};
use schema::{RuleDef, RuleFile};

use crate::rules::text::TextInput;
use crate::rules::{self, Kind, Scope};
use crate::text::Prepared;
use crate::verdict::{Category, Severity};

/// Limits on rule files, so that a custom pack cannot exhaust memory or time while loading.
/// Each is far above what the embedded packs need.
pub(crate) mod limits {
    /// Largest rule, lexicon or model file, in bytes.
    pub(crate) const MAX_FILE_BYTES: usize = 4 << 20;
    /// Most files in one pack, and most lexicon files under one folder.
    pub(crate) const MAX_FILES: usize = 1000;
    /// Most rules in one pack.
    pub(crate) const MAX_RULES_PER_PACK: usize = 10_000;
    /// Most phrases (trigger, allow and context phrases, lexicon references expanded) in the
    /// text rules of one pack. Enforced by the text rule kind while it expands them.
    #[allow(dead_code)]
    pub(crate) const MAX_PHRASES_PER_PACK: usize = 200_000;
    /// Deepest folder nesting under `lexicons/`.
    pub(crate) const MAX_DIR_DEPTH: usize = 8;
}

/// The rule files compiled into the crate: `(path under rules/, contents)`.
static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A rule file's text and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// For messages: `rules/cn/timing.toml` or a real path.
    pub path: String,
    pub text: Cow<'static, str>,
}

/// Loading or compiling rules failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A rule file is malformed or a rule is invalid.
    #[error("{path}:{line}:{column}: {message}")]
    Rule {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A pack was named that is not loaded.
    #[error("unknown pack `{name}`{}; known packs: {}", did_you_mean(.suggestion), .known.join(", "))]
    UnknownPack {
        /// The name given.
        name: String,
        /// The closest known pack.
        suggestion: Option<String>,
        /// Every known pack.
        known: Vec<String>,
    },
    /// A folder holds no pack.
    #[error("{path}: no pack found (expected `pack.toml` in the folder or in its subfolders)")]
    NoPack {
        /// The folder.
        path: String,
    },
}

pub(crate) fn did_you_mean(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// Names longer than this (in characters) get no suggestion: nobody misspells a time zone in
/// a thousand characters, and the edit distance costs the product of the lengths.
const MAX_SUGGEST_CHARS: usize = 64;

/// The closest of `known` to `name`, if close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let len = name.chars().count();
    if len > MAX_SUGGEST_CHARS {
        return None;
    }
    known
        .into_iter()
        .filter_map(|k| {
            let klen = k.chars().count();
            let limit = 2.max(klen / 3);
            // The edit distance is at least the difference in length.
            if klen.abs_diff(len) > limit {
                return None;
            }
            edit_distance_within(name, k, limit).map(|d| (d, k))
        })
        .min()
        .map(|(_, k)| k.to_string())
}

/// The edit distance of `a` and `b` if it is at most `limit`; `None` as soon as every cell of
/// a row exceeds it (a row's minimum never decreases further down).
fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.last().copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|&d| d <= limit)
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}

impl Source {
    pub(crate) fn error_at(&self, offset: usize, message: impl Into<String>) -> LoadError {
        let (line, column) = line_col(&self.text, offset);
        LoadError::Rule {
            path: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Everything the rule kinds may look up while compiling: the pack's calendars and the
/// phrase lists (`lexicons/...`) available to it.
pub(crate) struct PackCtx<'a> {
    /// The pack's id.
    #[allow(dead_code)]
    pub pack: &'a str,
    /// Calendar id → sorted dates.
    pub calendars: &'a HashMap<String, Vec<NaiveDate>>,
    /// Lexicon name (`zh/abuse`, the path under `lexicons/` without `.toml`) → file.
    pub lexicons: &'a BTreeMap<String, Source>,
    /// Model name (`zh/coercion`, the path under `models/` without `.toml`) → its weights.
    pub models: &'a BTreeMap<String, Arc<rules::text_model::Weights>>,
}

/// What a user can learn about a rule: its id, basis, documentation and examples.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    /// Stable id, e.g. `cn.quiet-hours`.
    pub id: String,
    /// The pack it belongs to.
    pub pack: String,
    /// Its kind.
    pub kind: RuleKind,
    /// Its category.
    pub category: Category,
    /// Its severity.
    pub severity: Severity,
    /// The regulation behind it.
    pub citation: String,
    /// How sure we are of that basis.
    pub confidence: Confidence,
    /// Message template (English).
    pub message: String,
    /// Message template (Chinese), where the pack gives one.
    pub message_zh: Option<String>,
    /// Caveats (e.g. unverified values).
    pub notes: Option<String>,
    /// What it checks.
    pub what: String,
    /// Why.
    pub why: String,
    /// What is allowed instead.
    pub instead: String,
    /// Its examples.
    pub examples: Vec<ExampleDef>,
    /// `file:line` of its definition.
    pub defined_at: String,
}

impl RuleInfo {
    /// The rule's documentation under fixed headings, as `collectguard explain` prints it.
    pub fn explain(&self) -> String {
        use fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} ({} · {} · {})",
            self.id,
            self.category,
            self.severity.as_str(),
            self.kind.as_str()
        );
        let _ = writeln!(s, "\n## What it checks\n{}", self.what.trim());
        let _ = writeln!(s, "\n## Why\n{}", self.why.trim());
        let _ = writeln!(s, "\n## Example");
        for ex in &self.examples {
            let verdict = match ex.expect {
                Expect::Allow => "allowed",
                Expect::Review => "review",
                Expect::Deny => "denied",
            };
            let name = ex.name.as_deref().unwrap_or("");
            match &ex.text {
                Some(t) => {
                    let _ = writeln!(
                        s,
                        "- {verdict}: {name}{}`{}`",
                        if name.is_empty() { "" } else { ": " },
                        t.trim()
                    );
                }
                None => {
                    let _ = writeln!(s, "- {verdict}: {name}");
                }
            }
        }
        let _ = writeln!(s, "\n## Allowed instead\n{}", self.instead.trim());
        let _ = writeln!(
            s,
            "\n## Citation\n{} (confidence {})",
            self.citation,
            self.confidence.as_str()
        );
        if let Some(n) = &self.notes {
            let _ = writeln!(s, "\n## Notes\n{}", n.trim());
        }
        let _ = writeln!(s, "\nDefined at {}", self.defined_at);
        s
    }
}

/// A rule, compiled.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub info: RuleInfo,
    pub scope: Scope,
    pub kind: Kind,
}

/// A pack, compiled.
#[derive(Debug)]
pub(crate) struct CompiledPack {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub description: String,
    pub extends: Vec<String>,
    pub rules: Vec<CompiledRule>,
    pub text: rules::text::PackText,
    pub models: rules::text_model::PackModels,
}

impl CompiledPack {
    /// Whether the pack has any rule that reads a message's text.
    pub fn reads_text(&self) -> bool {
        !self.text.is_empty() || !self.models.is_empty()
    }

    /// Runs the pack's text and text-model rules whose index `applies` accepts over a
    /// prepared message: pushes `(rule index, finding)`, at most one per rule.
    pub fn check_text(
        &self,
        prepared: &mut Prepared,
        input: &TextInput,
        applies: impl Fn(usize) -> bool,
        out: &mut Vec<(usize, rules::Fired)>,
    ) {
        self.text.check_where(prepared, input, &applies, out);
        self.models.check(
            prepared,
            input,
            &applies,
            // A text rule that opts out of confirmation has no category to confirm.
            |i| {
                self.rules
                    .get(i)
                    .filter(|r| !matches!(&r.kind, Kind::Text(t) if !t.model_confirms))
                    .map(|r| r.info.category)
            },
            out,
        );
    }
}

/// The sources of one pack, before compiling.
#[derive(Debug, Clone)]
pub(crate) struct PackSources {
    pub id: String,
    pub files: Vec<Source>,
}

/// A set of packs and lexicons to compile together.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceSet {
    pub packs: BTreeMap<String, PackSources>,
    pub lexicons: BTreeMap<String, Source>,
    pub models: BTreeMap<String, Source>,
}

impl SourceSet {
    /// The packs compiled into the crate.
    pub fn embedded() -> SourceSet {
        let mut set = SourceSet::default();
        for (path, text) in EMBEDDED {
            set.add(
                path,
                Source {
                    path: format!("rules/{path}"),
                    text: Cow::Borrowed(text),
                },
            );
        }
        set
    }

    /// Adds files from memory: `(path under a rules root, label for messages, text)`. The
    /// packs they name replace packs of the same id already present. A path that names no
    /// pack (`rules.toml`) is an error, not a file silently left out.
    pub fn add_memory<'a>(
        &mut self,
        files: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<(), LoadError> {
        let files: Vec<_> = files.into_iter().collect();
        for (rel, label, _) in &files {
            let rel = rel.replace('\\', "/");
            let placed = match rel.split_once('/') {
                Some(("lexicons" | "models", rest)) => !rest.is_empty(),
                Some((pack, rest)) => !pack.is_empty() && !rest.is_empty(),
                None => false,
            };
            if !placed {
                return Err(LoadError::Rule {
                    path: label.to_string(),
                    line: 1,
                    column: 1,
                    message: format!("`{rel}` names no pack: give rule files as `<pack>/<file>.toml`, phrase lists as `lexicons/<name>.toml` and models as `models/<name>.toml`"),
                });
            }
        }
        let mut replaced = HashSet::new();
        for (rel, _, _) in &files {
            if let Some((pack, _)) = rel.split_once('/') {
                if pack != "lexicons" && pack != "models" && replaced.insert(pack.to_string()) {
                    self.packs.remove(pack);
                }
            }
        }
        for (rel, label, text) in files {
            self.add(
                rel,
                Source {
                    path: label.to_string(),
                    text: Cow::Owned(text.to_string()),
                },
            );
        }
        Ok(())
    }

    /// Adds a file by its path under a rules root (`cn/timing.toml`, `lexicons/zh/abuse.toml`,
    /// `models/zh/coercion.toml`).
    fn add(&mut self, rel: &str, source: Source) {
        let rel = rel.replace('\\', "/");
        if let Some(lex) = rel.strip_prefix("lexicons/") {
            let name = lex.strip_suffix(".toml").unwrap_or(lex).to_string();
            self.lexicons.insert(name, source);
        } else if let Some(model) = rel.strip_prefix("models/") {
            let name = model.strip_suffix(".toml").unwrap_or(model).to_string();
            self.models.insert(name, source);
        } else if let Some((pack, _)) = rel.split_once('/') {
            self.packs
                .entry(pack.to_string())
                .or_insert_with(|| PackSources {
                    id: pack.to_string(),
                    files: Vec::new(),
                })
                .files
                .push(source);
        }
    }

    /// Adds the packs of a folder: the folder is a pack when it holds `pack.toml`; otherwise
    /// each subfolder holding one is. A `lexicons/` subfolder adds phrase lists, a `models/`
    /// subfolder models. A pack with
    /// the id of one already present replaces it.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        let io = |p: &Path, e| LoadError::Io {
            path: p.display().to_string(),
            source: e,
        };
        let mut found = false;
        if dir.join("pack.toml").is_file() {
            let id = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.packs.remove(&id);
            let files = toml_files(dir).map_err(|e| io(dir, e))?;
            if files.len() > limits::MAX_FILES {
                return Err(too_many_files(dir));
            }
            for f in files {
                let text = read_limited(&f)?;
                self.add(
                    &format!("{id}/x"),
                    Source {
                        path: f.display().to_string(),
                        text: Cow::Owned(text),
                    },
                );
            }
            found = true;
        } else {
            let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| io(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            subdirs.sort();
            for sub in subdirs {
                let name = sub
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if name == "lexicons" || name == "models" {
                    let files = walk_toml(&sub).map_err(|e| io(&sub, e))?;
                    if files.len() > limits::MAX_FILES {
                        return Err(too_many_files(&sub));
                    }
                    for f in files {
                        let rel = f
                            .strip_prefix(dir)
                            .unwrap_or(&f)
                            .to_string_lossy()
                            .into_owned();
                        let text = read_limited(&f)?;
                        self.add(
                            &rel,
                            Source {
                                path: f.display().to_string(),
                                text: Cow::Owned(text),
                            },
                        );
                    }
                } else if sub.join("pack.toml").is_file() {
                    self.add_dir(&sub)?;
                    found = true;
                }
            }
        }
        if found {
            Ok(())
        } else {
            Err(LoadError::NoPack {
                path: dir.display().to_string(),
            })
        }
    }
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The `.toml` files under `dir`, at most [`limits::MAX_DIR_DEPTH`] folders deep (so a
/// symbolic-link loop ends) and stopping once more than [`limits::MAX_FILES`] are found.
fn walk_toml(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                if depth < limits::MAX_DIR_DEPTH {
                    stack.push((p, depth + 1));
                }
            } else if p.is_file() && p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
                if out.len() > limits::MAX_FILES {
                    return Ok(out);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a rule file, refusing one over [`limits::MAX_FILE_BYTES`] before reading it.
fn read_limited(path: &Path) -> Result<String, LoadError> {
    let io = |e| LoadError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limits::MAX_FILE_BYTES as u64 {
        return Err(file_too_large(&path.display().to_string(), len));
    }
    std::fs::read_to_string(path).map_err(io)
}

pub(crate) fn file_too_large(path: &str, len: u64) -> LoadError {
    LoadError::Rule {
        path: path.to_string(),
        line: 1,
        column: 1,
        message: format!(
            "file of {len} bytes is larger than the limit of {} bytes",
            limits::MAX_FILE_BYTES
        ),
    }
}

fn too_many_files(dir: &Path) -> LoadError {
    LoadError::Rule {
        path: dir.display().to_string(),
        line: 1,
        column: 1,
        message: format!("more rule files than the limit of {}", limits::MAX_FILES),
    }
}

/// Compiles one pack.
pub(crate) fn compile_pack(
    sources: &PackSources,
    lexicons: &BTreeMap<String, Source>,
    models: &BTreeMap<String, Arc<rules::text_model::Weights>>,
) -> Result<CompiledPack, LoadError> {
    let mut header = None;
    let mut calendars: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    let mut defs: Vec<(&Source, RuleDef)> = Vec::new();
    if sources.files.len() > limits::MAX_FILES {
        return Err(too_many_files(Path::new(&sources.id)));
    }
    for src in sources.files.iter().chain(lexicons.values()) {
        if src.text.len() > limits::MAX_FILE_BYTES {
            return Err(file_too_large(&src.path, src.text.len() as u64));
        }
    }
    for src in &sources.files {
        let file: RuleFile = toml::from_str(&src.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            src.error_at(offset, e.message().trim().to_string())
        })?;
        if let Some(h) = file.pack {
            if header.is_some() {
                return Err(src.error_at(
                    h.id.span().start,
                    "a second `[pack]` header in the same pack",
                ));
            }
            header = Some((src, h));
        }
        for cal in file.calendar {
            let mut dates = Vec::with_capacity(cal.dates.len());
            for d in &cal.dates {
                let date = NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d").map_err(|_| {
                    src.error_at(
                        d.span().start,
                        format!(
                            "calendar `{}`: invalid date `{}`, expected `YYYY-MM-DD`",
                            cal.id,
                            d.get_ref()
                        ),
                    )
                })?;
                dates.push(date);
            }
            dates.sort();
            dates.dedup();
            calendars.entry(cal.id.clone()).or_default().extend(dates);
        }
        for r in file.rule {
            if defs.len() >= limits::MAX_RULES_PER_PACK {
                return Err(src.error_at(
                    r.id.span().start,
                    format!(
                        "pack `{}` has more than {} rules",
                        sources.id,
                        limits::MAX_RULES_PER_PACK
                    ),
                ));
            }
            defs.push((src, r));
        }
    }
    for dates in calendars.values_mut() {
        dates.sort();
        dates.dedup();
    }
    let Some((hsrc, header)) = header else {
        let path = sources
            .files
            .first()
            .map_or_else(|| sources.id.clone(), |s| s.path.clone());
        return Err(LoadError::Rule {
            path,
            line: 1,
            column: 1,
            message: format!(
                "pack `{}` has no `[pack]` header (put it in `pack.toml`)",
                sources.id
            ),
        });
    };
    let id = header.id.get_ref().clone();
    if id != sources.id {
        return Err(hsrc.error_at(
            header.id.span().start,
            format!("pack id `{id}` does not match its folder `{}`", sources.id),
        ));
    }
    let ctx = PackCtx {
        pack: &id,
        calendars: &calendars,
        lexicons,
        models,
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut rules = Vec::with_capacity(defs.len());
    for (src, def) in defs {
        rules.push(compile_rule(src, def, &id, &ctx, &mut seen)?);
    }
    let text_rules: Vec<(usize, &rules::text::TextRule)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.kind {
            Kind::Text(t) => Some((i, t)),
            _ => None,
        })
        .collect();
    let text = rules::text::PackText::build(&text_rules).map_err(|message| LoadError::Rule {
        path: hsrc.path.clone(),
        line: 1,
        column: 1,
        message: format!("pack `{id}`: text rules: {message}"),
    })?;
    let model_rules: Vec<_> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.kind {
            Kind::TextModel(m) => Some((i, m)),
            _ => None,
        })
        .collect();
    let models = rules::text_model::PackModels::build(&model_rules);
    Ok(CompiledPack {
        id,
        name: header.name,
        jurisdiction: header.jurisdiction,
        description: header.description,
        extends: header.extends.into_iter().map(|e| e.into_inner()).collect(),
        rules,
        text,
        models,
    })
}

fn compile_rule(
    src: &Source,
    def: RuleDef,
    pack: &str,
    ctx: &PackCtx<'_>,
    seen: &mut HashSet<String>,
) -> Result<CompiledRule, LoadError> {
    let id = def.id.get_ref().clone();
    let at = def.id.span().start;
    let err = |offset: usize, m: String| src.error_at(offset, format!("rule `{id}`: {m}"));
    if !id.starts_with(&format!("{pack}.")) {
        return Err(err(
            at,
            format!("rule ids of pack `{pack}` start with `{pack}.`"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(err(
            at,
            "rule ids use lower-case ASCII letters, digits, `.` and `-`".into(),
        ));
    }
    if !seen.insert(id.clone()) {
        return Err(err(at, "defined twice".into()));
    }
    if def.confidence == Confidence::U && def.severity == Severity::Deny {
        return Err(err(
            at,
            "an unverified rule (confidence `U`) may only have severity `review`".into(),
        ));
    }
    if def.citation.trim().is_empty() {
        return Err(err(
            at,
            "a rule cites its source: `citation` is empty".into(),
        ));
    }
    let (params_at, params) = match def.params {
        Some(p) => (p.span().start, p.into_inner()),
        None => (at, toml::Table::new()),
    };
    let perr = |m: String| err(params_at, format!("params: {m}"));
    fn parse<T: serde::de::DeserializeOwned>(t: toml::Table) -> Result<T, String> {
        T::deserialize(t).map_err(|e| e.message().trim().to_string())
    }
    let scope = def.scope;
    let kind = match def.kind {
        RuleKind::QuietHours => Kind::QuietHours(
            rules::quiet_hours::QuietHours::compile(parse(params).map_err(perr)?, &scope, ctx)
                .map_err(perr)?,
        ),
        RuleKind::Frequency => Kind::Frequency(
            rules::frequency::Frequency::compile(parse(params).map_err(perr)?, &scope, ctx)
                .map_err(perr)?,
        ),
        RuleKind::Consent => Kind::Consent(
            rules::consent::ConsentRule::compile(parse(params).map_err(perr)?, &scope, ctx)
                .map_err(perr)?,
        ),
        RuleKind::ThirdParty => Kind::ThirdParty(
            rules::third_party::ThirdParty::compile(parse(params).map_err(perr)?, &scope, ctx)
                .map_err(perr)?,
        ),
        RuleKind::Text => Kind::Text(
            rules::text::TextRule::compile(parse(params).map_err(perr)?, &scope, ctx)
                .map_err(perr)?,
        ),
        RuleKind::TextModel => Kind::TextModel(
            rules::text_model::TextModel::compile(parse(params).map_err(perr)?, def.category, ctx)
                .map_err(perr)?,
        ),
    };
    let fires = match def.severity {
        Severity::Deny => Expect::Deny,
        Severity::Review => Expect::Review,
    };
    if let Some(bad) = def
        .example
        .iter()
        .find(|e| e.expect != Expect::Allow && e.expect != fires)
    {
        return Err(err(
            at,
            format!(
                "example {:?} expects `{:?}` but the rule's severity is `{}`",
                bad.name.as_deref().unwrap_or(""),
                bad.expect,
                def.severity.as_str()
            ),
        ));
    }
    if !def.example.iter().any(|e| e.expect == fires)
        || !def.example.iter().any(|e| e.expect == Expect::Allow)
    {
        return Err(err(at, "a rule needs at least one example where it fires and one where it does not (`[[rule.example]]`)".into()));
    }
    for ex in &def.example {
        if ex.events.is_some() == ex.text.is_some() {
            return Err(err(at, "each example has either `events` or `text`".into()));
        }
    }
    let (line, _) = line_col(&src.text, at);
    Ok(CompiledRule {
        info: RuleInfo {
            id,
            pack: pack.to_string(),
            kind: def.kind,
            category: def.category,
            severity: def.severity,
            citation: def.citation,
            confidence: def.confidence,
            message: def.message,
            message_zh: def.message_zh,
            notes: def.notes,
            what: def.explain.what,
            why: def.explain.why,
            instead: def.explain.instead,
            examples: def.example,
            defined_at: format!("{}:{line}", src.path),
        },
        scope,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n催收x", 0), (1, 1));
        assert_eq!(line_col("ab\n催收x", 3), (2, 1));
        assert_eq!(line_col("ab\n催收x", 9), (2, 3));
    }

    #[test]
    fn bounded_edit_distance() {
        assert_eq!(edit_distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
        assert_eq!(edit_distance_within("", "ab", 2), Some(2));
        assert_eq!(edit_distance_within("催收", "催收", 0), Some(0));
        assert_eq!(edit_distance_within("abcdef", "uvwxyz", 2), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("us-mass", ["us", "us-ma", "cn"]),
            Some("us-ma".to_string())
        );
        assert_eq!(closest("xyzzy", ["us", "cn"]), None);
        let long = "u".repeat(MAX_SUGGEST_CHARS + 1);
        assert_eq!(closest(&long, [long.as_str()]), None);
    }
}

#[cfg(test)]
mod limit_tests {
    use crate::Engine;

    const HEADER: &str = "[pack]\nid = \"t\"\nname = \"T\"\njurisdiction = \"X\"\n";

    #[test]
    fn a_memory_file_that_names_no_pack_is_an_error() {
        let err = Engine::builder()
            .embedded(false)
            .rule_source("t/pack.toml", HEADER)
            .rule_source("rules.toml", "[[rule]]\n")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("rules.toml:1:1: `rules.toml` names no pack"),
            "{err}"
        );
    }

    #[test]
    fn an_oversized_rule_file_is_refused() {
        let big = format!("# {}\n", "x".repeat(super::limits::MAX_FILE_BYTES));
        let err = Engine::builder()
            .embedded(false)
            .rule_source("t/pack.toml", HEADER)
            .rule_source("t/big.toml", big)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "t/big.toml:1:1: file of 4194307 bytes is larger than the limit of 4194304 bytes"
            ),
            "{err}"
        );
    }

    #[test]
    fn too_many_rules_in_a_pack_are_refused() {
        let rule = "[[rule]]\nid = \"t.x\"\nkind = \"consent\"\ncategory = \"consent\"\nseverity = \"deny\"\ncitation = \"c\"\nconfidence = \"V1\"\nmessage = \"m\"\nexplain = { what = \"w\", why = \"y\", instead = \"i\" }\n";
        let many = rule.repeat(super::limits::MAX_RULES_PER_PACK + 1);
        let err = Engine::builder()
            .embedded(false)
            .rule_source("t/pack.toml", HEADER)
            .rule_source("t/many.toml", many)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("pack `t` has more than 10000 rules"), "{err}");
    }
}
